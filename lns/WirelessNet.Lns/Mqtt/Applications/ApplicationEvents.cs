using System.Text.Json.Serialization;

namespace WirelessNet.Lns.Mqtt.Applications;

// The JSON of the ChirpStack v4 MQTT integration events, field for field (lowerCamelCase, bytes as base64, enums as
// their protobuf names, times as RFC 3339). Integrations written for ChirpStack parse these unchanged.

public sealed record DeviceInfoJson(
    string TenantId,
    string TenantName,
    string ApplicationId,
    string ApplicationName,
    string DeviceProfileId,
    string DeviceProfileName,
    string DeviceName,
    string DevEui);

public sealed record LocationJson(double Latitude, double Longitude, double Altitude);

public sealed record LoraModulationJson(int Bandwidth, int SpreadingFactor, string CodeRate)
{
    /// <summary>Only written for downlinks.</summary>
    public bool? PolarizationInversion { get; init; }
}

public sealed record ModulationJson(LoraModulationJson Lora);

public sealed record RxInfoJson
{
    public required string GatewayId { get; init; }

    public uint UplinkId { get; init; }

    public DateTimeOffset NsTime { get; init; }

    public int Rssi { get; init; }

    public float Snr { get; init; }

    public int Channel { get; init; }

    public int RfChain { get; init; }

    public int Board { get; init; }

    public int Antenna { get; init; }

    public LocationJson? Location { get; init; }

    public byte[] Context { get; init; } = [];

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public string CrcStatus { get; init; } = "CRC_OK";
}

public sealed record UplinkTxInfoJson(ulong Frequency, ModulationJson Modulation);

public sealed record UplinkEventJson
{
    public required string DeduplicationId { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required DeviceInfoJson DeviceInfo { get; init; }

    public required string DevAddr { get; init; }

    public bool Adr { get; init; }

    public int Dr { get; init; }

    public uint FCnt { get; init; }

    public int FPort { get; init; }

    public bool Confirmed { get; init; }

    public byte[] Data { get; init; } = [];

    public required IReadOnlyList<RxInfoJson> RxInfo { get; init; }

    public required UplinkTxInfoJson TxInfo { get; init; }
}

public sealed record JoinEventJson(string DeduplicationId, DateTimeOffset Time, DeviceInfoJson DeviceInfo, string DevAddr);

public sealed record AckEventJson(
    string? DeduplicationId,
    DateTimeOffset Time,
    DeviceInfoJson DeviceInfo,
    string QueueItemId,
    bool Acknowledged,
    uint FCntDown);

public sealed record EmptyJson;

public sealed record DelayTimingJson(string Delay);

public sealed record GpsEpochTimingJson(string TimeSinceGpsEpoch);

/// <summary>Exactly one member is set, like the protobuf oneof.</summary>
public sealed record TimingJson
{
    public EmptyJson? Immediately { get; init; }

    public DelayTimingJson? Delay { get; init; }

    public GpsEpochTimingJson? GpsEpoch { get; init; }
}

public sealed record DownlinkTxInfoJson
{
    public ulong Frequency { get; init; }

    public int Power { get; init; }

    public required ModulationJson Modulation { get; init; }

    public int Board { get; init; }

    public int Antenna { get; init; }

    public TimingJson? Timing { get; init; }

    public byte[] Context { get; init; } = [];
}

public sealed record TxAckEventJson
{
    public required uint DownlinkId { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required DeviceInfoJson DeviceInfo { get; init; }

    public string? QueueItemId { get; init; }

    public uint FCntDown { get; init; }

    public required string GatewayId { get; init; }

    public DownlinkTxInfoJson? TxInfo { get; init; }
}

public sealed record LogEventJson(
    DateTimeOffset Time,
    DeviceInfoJson DeviceInfo,
    string Level,
    string Code,
    string Description,
    IReadOnlyDictionary<string, string> Context);

/// <summary>The downlink command an application publishes on <c>application/{applicationId}/device/{devEui}/command/down</c>.</summary>
public sealed record DownlinkCommandJson
{
    /// <summary>Optional queue item id chosen by the application (a UUID).</summary>
    public string? Id { get; init; }

    public string? DevEui { get; init; }

    public bool Confirmed { get; init; }

    public int FPort { get; init; }

    /// <summary>Base64.</summary>
    public byte[]? Data { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(UplinkEventJson))]
[JsonSerializable(typeof(JoinEventJson))]
[JsonSerializable(typeof(AckEventJson))]
[JsonSerializable(typeof(TxAckEventJson))]
[JsonSerializable(typeof(LogEventJson))]
[JsonSerializable(typeof(DownlinkCommandJson))]
public sealed partial class ApplicationEventsJsonContext : JsonSerializerContext;
