using System.Text;

namespace WirelessNet.Coverage.Measured;

/// <summary>Maps textual gateway identifiers (e.g. Helium public keys) to the 64-bit ids coverage is kept under.</summary>
public static class GatewayIds
{
    /// <summary>A stable 64-bit FNV-1a hash of the UTF-8 name: the same on every host and run, unlike string.GetHashCode.</summary>
    public static ulong FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = 0xcbf29ce484222325UL;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = name.Length * 3 <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(name, buffer)] : Encoding.UTF8.GetBytes(name);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 0x100000001b3UL;
        }

        return hash;
    }

    /// <summary>The id as 16 lowercase hex digits (the form used in URLs and GeoJSON).</summary>
    public static string Format(ulong id) => id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses 1-16 hex digits.</summary>
    public static bool TryParse(string? text, out ulong id) =>
        ulong.TryParse(text, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out id) &&
        text!.Length <= 16;
}
