using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Storage.Redis;

/// <summary>
/// JSON of the records kept in Redis. Source-generated (no reflection at run time); identifiers and keys are hex
/// strings, enums their names, so stored values stay readable and survive reordering of enum members.
/// </summary>
/// <remarks>
/// Session JSON contains the session keys in clear: Redis is the session store and must hold them. Nothing here
/// logs a serialized value, and the JSON is never put into exception messages.
/// </remarks>
internal static class StoreJson
{
    // Declared first: static initializers run in textual order, and the type infos below apply the modifier that reads it.
    private static readonly HashSet<string> SessionFieldsKeptOutOfJson = new(StringComparer.Ordinal)
    {
        nameof(DeviceSession.FCntUp),
        nameof(DeviceSession.NFCntDown),
        nameof(DeviceSession.AFCntDown),
        nameof(DeviceSession.Pending),
    };

    /// <summary>
    /// Options whose <see cref="DeviceSession"/> contract leaves out the per-frame counters and the pending flag:
    /// those are separate hash fields (see <see cref="RedisStore"/>), so the compare-and-set scripts never rewrite JSON,
    /// and a JSON blob cannot disagree with the fields.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static JsonTypeInfo<DeviceSession> SessionStaticPart { get; } = (JsonTypeInfo<DeviceSession>)Options.GetTypeInfo(typeof(DeviceSession));

    public static JsonTypeInfo<Device> Device { get; } = (JsonTypeInfo<Device>)Options.GetTypeInfo(typeof(Device));

    public static JsonTypeInfo<DeviceProfile> Profile { get; } = (JsonTypeInfo<DeviceProfile>)Options.GetTypeInfo(typeof(DeviceProfile));

    public static JsonTypeInfo<Gateway> Gateway { get; } = (JsonTypeInfo<Gateway>)Options.GetTypeInfo(typeof(Gateway));

    public static JsonTypeInfo<QueuedDownlink> QueuedDownlink { get; } = (JsonTypeInfo<QueuedDownlink>)Options.GetTypeInfo(typeof(QueuedDownlink));

    public static JsonTypeInfo<InFlightDownlink> InFlightDownlink { get; } = (JsonTypeInfo<InFlightDownlink>)Options.GetTypeInfo(typeof(InFlightDownlink));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(StoreJsonContext.Default.Options)
        {
            TypeInfoResolver = StoreJsonContext.Default.WithAddedModifier(LeaveSessionCountersOut),
        };
        options.MakeReadOnly();
        return options;
    }

    private static void LeaveSessionCountersOut(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type != typeof(DeviceSession))
        {
            return;
        }

        // Not written rather than removed: init-only properties bind like constructor parameters on deserialization,
        // and a removed one fails that binding. Reading leaves them at their defaults; the store sets them from the fields.
        foreach (var property in typeInfo.Properties)
        {
            if (property.AttributeProvider is System.Reflection.MemberInfo member && SessionFieldsKeptOutOfJson.Contains(member.Name))
            {
                property.ShouldSerialize = static (_, _) => false;
            }
        }
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UseStringEnumConverter = true,
    Converters = [typeof(Eui64JsonConverter), typeof(DevAddrJsonConverter), typeof(AesKeyJsonConverter)])]
[JsonSerializable(typeof(DeviceSession))]
[JsonSerializable(typeof(Device))]
[JsonSerializable(typeof(DeviceProfile))]
[JsonSerializable(typeof(Gateway))]
[JsonSerializable(typeof(QueuedDownlink))]
[JsonSerializable(typeof(InFlightDownlink))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;

/// <summary>An EUI-64 as 16 lower-case hex digits.</summary>
internal sealed class Eui64JsonConverter : JsonConverter<Eui64>
{
    public override Eui64 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Eui64.TryParse(reader.GetString(), null, out var value) ? value : throw new JsonException("An EUI-64 must be 16 hex digits.");

    public override void Write(Utf8JsonWriter writer, Eui64 value, JsonSerializerOptions options)
    {
        Span<char> hex = stackalloc char[16];
        value.TryFormat(hex, out var written, default, null);
        writer.WriteStringValue(hex[..written]);
    }
}

/// <summary>A DevAddr as 8 lower-case hex digits.</summary>
internal sealed class DevAddrJsonConverter : JsonConverter<DevAddr>
{
    public override DevAddr Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DevAddr.TryParse(reader.GetString(), null, out var value) ? value : throw new JsonException("A DevAddr must be 8 hex digits.");

    public override void Write(Utf8JsonWriter writer, DevAddr value, JsonSerializerOptions options)
    {
        Span<char> hex = stackalloc char[8];
        value.TryFormat(hex, out var written, default, null);
        writer.WriteStringValue(hex[..written]);
    }
}

/// <summary>An AES-128 key as 32 lower-case hex digits. The error message never echoes the value it failed to read.</summary>
internal sealed class AesKeyJsonConverter : JsonConverter<AesKey>
{
    public override AesKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        AesKey.TryParse(reader.GetString(), out var value) ? value : throw new JsonException("An AES key must be 32 hex digits.");

    public override void Write(Utf8JsonWriter writer, AesKey value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToHexString());
}
