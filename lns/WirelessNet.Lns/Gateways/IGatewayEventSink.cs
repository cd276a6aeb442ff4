namespace WirelessNet.Lns.Gateways;

/// <summary>A gateway's periodic statistics (ChirpStack <c>gw.GatewayStats</c>, transport-independent).</summary>
public sealed record GatewayStatsReport(
    LoRaWan.Primitives.Eui64 GatewayId,
    DateTimeOffset ReceivedAt,
    GeoLocation? Location,
    uint RxPacketsReceived,
    uint RxPacketsReceivedOk,
    uint TxPacketsReceived,
    uint TxPacketsEmitted,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// Where the gateway transports (MQTT bridge, Helium gRPC) deliver what gateways send. Implementations must not
/// block: the transports call them on their receive paths.
/// </summary>
public interface IGatewayEventSink
{
    /// <summary>A reception of a radio frame. The transport has already validated its shape.</summary>
    ValueTask OnUplinkAsync(UplinkReception reception, CancellationToken cancellationToken);

    ValueTask OnTxAckAsync(DownlinkTxAck ack, CancellationToken cancellationToken);

    ValueTask OnStatsAsync(GatewayStatsReport stats, CancellationToken cancellationToken);

    ValueTask OnConnectionStateAsync(LoRaWan.Primitives.Eui64 gatewayId, bool online, DateTimeOffset at, CancellationToken cancellationToken);
}
