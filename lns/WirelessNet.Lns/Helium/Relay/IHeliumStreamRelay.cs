using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Helium.Relay;

/// <summary>
/// Reaches a Helium gateway whose route stream lives on another server instance. The instance holding a stream
/// claims the gateway; a downlink decided anywhere else is forwarded to the claimant, which writes it to the stream
/// and acknowledges it to the shared store exactly as for its own downlinks.
/// </summary>
public interface IHeliumStreamRelay
{
    /// <summary>This instance now holds the gateway's stream (registered at <paramref name="attachedAt"/>).</summary>
    ValueTask ClaimAsync(Eui64 gatewayId, DateTimeOffset attachedAt, CancellationToken cancellationToken);

    /// <summary>
    /// The stream registered at <paramref name="attachedAt"/> has ended. A claim made since, by a newer stream here or
    /// on another instance, is kept.
    /// </summary>
    ValueTask ReleaseAsync(Eui64 gatewayId, DateTimeOffset attachedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Hands the downlink to the live instance holding the gateway's stream. False when no other instance claims the
    /// gateway, or its claimant is not listening (it died; its claim expires).
    /// </summary>
    ValueTask<bool> TryForwardAsync(Eui64 gatewayId, uint downlinkId, envelope_down_v1 envelope, CancellationToken cancellationToken);
}
