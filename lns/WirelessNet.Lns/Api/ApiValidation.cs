using System.Buffers.Text;
using System.Globalization;
using System.Text;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.Lns.Api;

/// <summary>
/// Request field checks shared by the HTTP and gRPC front ends. Each failure is an
/// <see cref="ApiErrorKind.InvalidArgument"/> naming the field; key values are never echoed back.
/// </summary>
public static class ApiValidation
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2000;
    public const int MaxPageSize = 1000;
    public const int MinFPort = 1;
    public const int MaxFPort = 223;
    public const int MaxDownlinkBytes = 242;

    // Generated ids are 32 hex digits; anything longer is not one of ours and need not reach the store.
    private const int MaxIdLength = 64;

    public static Eui64 Eui(string? value, string field) =>
        !string.IsNullOrWhiteSpace(value) && Eui64.TryParse(value, CultureInfo.InvariantCulture, out var eui)
            ? eui
            : throw ApiException.Invalid($"{field} must be an EUI-64 of 16 hex digits");

    /// <summary>A Helium public key given as its base58check address (ed25519 or ecc_compact).</summary>
    public static WirelessNet.Helium.Crypto.HeliumPublicKey HeliumAddress(string? value) =>
        WirelessNet.Helium.Crypto.HeliumPublicKey.TryParseAddress(value, out var key, out var error)
            ? key
            : throw ApiException.Invalid($"heliumAddress is not a Helium public key address ({error})");

    public static Eui64 OptionalEui(string? value, string field, Eui64 fallback) =>
        string.IsNullOrEmpty(value) ? fallback : Eui(value, field);

    public static DevAddr DevAddress(string? value, string field) =>
        !string.IsNullOrWhiteSpace(value) && DevAddr.TryParse(value, CultureInfo.InvariantCulture, out var a)
            ? a
            : throw ApiException.Invalid($"{field} must be a DevAddr of 8 hex digits");

    public static AesKey Key(string? value, string field) =>
        AesKey.TryParse(value, out var key) ? key : throw ApiException.Invalid($"{field} must be an AES-128 key of 32 hex digits");

    /// <summary>Null: leave unchanged; empty: remove; otherwise a key.</summary>
    public static AesKey? KeyChange(string? value, string field, AesKey? current) => value switch
    {
        null => current,
        "" => null,
        _ => Key(value, field),
    };

    public static string Name(string? value, string field = "name", bool required = true)
    {
        var name = value?.Trim() ?? string.Empty;
        if (required && name.Length == 0)
        {
            throw ApiException.Invalid($"{field} is required");
        }

        if (name.Length > MaxNameLength)
        {
            throw ApiException.Invalid($"{field} must be at most {MaxNameLength} characters");
        }

        if (name.Any(char.IsControl))
        {
            throw ApiException.Invalid($"{field} must not contain control characters");
        }

        return name;
    }

    public static string Description(string? value)
    {
        var text = value ?? string.Empty;
        return text.Length <= MaxDescriptionLength ? text : throw ApiException.Invalid($"description must be at most {MaxDescriptionLength} characters");
    }

    /// <summary>An object id from a path or a request: present, printable ASCII without separators, bounded.</summary>
    public static string Id(string? value, string field)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxIdLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw ApiException.Invalid($"{field} must be an id of 1 to {MaxIdLength} letters, digits, '-' or '_'");
        }

        return value;
    }

    /// <summary>The canonical (lower-case) id of a known region.</summary>
    public static string RegionId(string? value, string field = "region")
    {
        if (string.IsNullOrWhiteSpace(value) || !Region.TryGet(value.Trim(), out var region))
        {
            throw ApiException.Invalid($"{field} must be one of: {string.Join(", ", Region.AvailableIds)}");
        }

        return region.Id.ToLowerInvariant();
    }

    public static MacVersion MacVersionOf(string? value) => value?.Trim() switch
    {
        "1.0.2" => MacVersion.LoRaWan1_0_2,
        "1.0.3" => MacVersion.LoRaWan1_0_3,
        "1.0.4" => MacVersion.LoRaWan1_0_4,
        "1.1" or "1.1.0" => MacVersion.LoRaWan1_1_0,
        _ => throw ApiException.Invalid("macVersion must be one of: 1.0.2, 1.0.3, 1.0.4, 1.1.0"),
    };

    public static string Text(MacVersion version) => version switch
    {
        MacVersion.LoRaWan1_0_2 => "1.0.2",
        MacVersion.LoRaWan1_0_3 => "1.0.3",
        MacVersion.LoRaWan1_0_4 => "1.0.4",
        MacVersion.LoRaWan1_1_0 => "1.1.0",
        _ => version.ToString(),
    };

    public static int PageSize(int? value, int defaultSize) => value switch
    {
        null or 0 => defaultSize,
        >= 1 and <= MaxPageSize => value.Value,
        _ => throw ApiException.Invalid($"pageSize must be between 1 and {MaxPageSize}"),
    };

    public static GeoLocation Location(LocationDto location)
    {
        if (!double.IsFinite(location.Latitude) || location.Latitude is < -90 or > 90)
        {
            throw ApiException.Invalid("location.latitude must be between -90 and 90");
        }

        if (!double.IsFinite(location.Longitude) || location.Longitude is < -180 or > 180)
        {
            throw ApiException.Invalid("location.longitude must be between -180 and 180");
        }

        // From the Dead Sea shore to well above any mast or balloon-borne hotspot.
        if (!double.IsFinite(location.Altitude) || location.Altitude is < -500 or > 20_000)
        {
            throw ApiException.Invalid("location.altitude must be between -500 and 20000 metres");
        }

        return new GeoLocation(location.Latitude, location.Longitude, location.Altitude);
    }

    public static int AntennaGain(int value) =>
        value is >= -100 and <= 300 ? value : throw ApiException.Invalid("antennaGainDbi10 must be between -100 and 300 (dBi × 10)");

    public static int Elevation(int value) =>
        value is >= 0 and <= 1000 ? value : throw ApiException.Invalid("elevationMetres must be between 0 and 1000");

    public static int MaxCopies(int value) =>
        value is >= 0 and <= 100 ? value : throw ApiException.Invalid("maxCopies must be between 0 (all) and 100");

    public static int FPort(int? value) =>
        value is >= MinFPort and <= MaxFPort ? value.Value : throw ApiException.Invalid($"fPort must be between {MinFPort} and {MaxFPort}");

    public static byte[] DownlinkData(string? base64)
    {
        if (base64 is null)
        {
            throw ApiException.Invalid("data is required (base64)");
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw ApiException.Invalid("data must be base64");
        }

        return data.Length <= MaxDownlinkBytes ? data : throw ApiException.Invalid($"data must be at most {MaxDownlinkBytes} bytes");
    }
}

/// <summary>
/// Opaque page tokens: the directory's cursor, base64url-encoded with a version tag so the format can change
/// without old tokens being misread.
/// </summary>
public static class PageTokens
{
    private const string Version = "1:";

    public static string? Encode(string? cursor) => cursor is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Version + cursor));

    public static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            if (token.Length <= 400)
            {
                var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
                if (text.StartsWith(Version, StringComparison.Ordinal) && text.Length > Version.Length)
                {
                    return text[Version.Length..];
                }
            }
        }
        catch (FormatException)
        {
        }

        throw ApiException.Invalid("pageToken is not a token returned by this API");
    }
}
