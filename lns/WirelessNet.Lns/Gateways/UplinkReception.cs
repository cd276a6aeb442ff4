using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Gateways;

/// <summary>A gateway's location as reported or provisioned.</summary>
public readonly record struct GeoLocation(double Latitude, double Longitude, double Altitude = 0);

/// <summary>
/// One reception of a PHYPayload by one gateway, independent of the transport it arrived on. Several receptions of
/// the same frame (one per gateway that heard it) are merged by the deduplicator into one uplink.
/// </summary>
public sealed record UplinkReception
{
    public required Eui64 GatewayId { get; init; }

    public required byte[] PhyPayload { get; init; }

    public required ulong FrequencyHz { get; init; }

    public required LoRaModulation Modulation { get; init; }

    public required int Rssi { get; init; }

    public required float Snr { get; init; }

    /// <summary>When the server received it (used for timing rules, never the gateway's own clock).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    public GatewayTransport Transport { get; init; }

    /// <summary>Opaque gateway context (concentrator timestamp): must be echoed in the Class A downlink.</summary>
    public byte[] Context { get; init; } = [];

    /// <summary>The gateway's concentrator clock in µs where the transport carries it (Helium gRPC).</summary>
    public ulong? GatewayTimestampMicros { get; init; }

    public uint UplinkId { get; init; }

    public int Channel { get; init; }

    public int RfChain { get; init; }

    public int Board { get; init; }

    public int Antenna { get; init; }

    public GeoLocation? Location { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = EmptyMetadata;

    private static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();
}
