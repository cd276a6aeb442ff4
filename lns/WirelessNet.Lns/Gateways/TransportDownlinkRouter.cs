using System.Collections.Concurrent;

namespace WirelessNet.Lns.Gateways;

/// <summary>
/// Sends each downlink through the sender of the transport the gateway is connected with (MQTT bridge, Helium
/// packet router…). Senders are resolved on first use per transport, because they depend on the pipeline that
/// depends on this router.
/// </summary>
public sealed class TransportDownlinkRouter(Func<GatewayTransport, IGatewayDownlinkSender?> resolve) : IGatewayDownlinkSender
{
    private readonly ConcurrentDictionary<GatewayTransport, IGatewayDownlinkSender?> _senders = new();

    /// <exception cref="InvalidOperationException">No sender is registered for <paramref name="transport"/>.</exception>
    public ValueTask SendAsync(DownlinkTransmission transmission, GatewayTransport transport, CancellationToken cancellationToken)
    {
        var sender = _senders.GetOrAdd(transport, resolve)
            ?? throw new InvalidOperationException($"No downlink sender is registered for gateway transport {transport}.");
        return sender.SendAsync(transmission, transport, cancellationToken);
    }
}
