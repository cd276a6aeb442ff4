using Microsoft.Extensions.Logging;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;

namespace WirelessNet.Lns.Downlinks;

/// <summary>
/// Acts on a gateway's TxAck: only an OK item consumes the queue item and advances the downlink counter the frame
/// used. A downlink that is never acknowledged stays queued and goes out again at the next opportunity.
/// </summary>
public sealed class TxAckHandler(
    IDownlinkQueueStore queue,
    ISessionStore sessions,
    IDeviceRegistry registry,
    IDeviceEventSink events,
    PipelineMetrics metrics,
    TimeProvider time,
    ILogger<TxAckHandler> logger)
{
    public async ValueTask HandleAsync(DownlinkTxAck ack, CancellationToken cancellationToken)
    {
        var inFlight = await queue.TakeInFlightAsync(ack.DownlinkId, cancellationToken).ConfigureAwait(false);
        if (inFlight is null)
        {
            logger.LogInformation("TxAck for unknown or expired downlink {DownlinkId} from gateway {GatewayId}", ack.DownlinkId, ack.GatewayId);
            metrics.Downlink("ack_unknown");
            return;
        }

        if (ack.TransmittedItem < 0)
        {
            var status = ack.ItemStatuses.Count > 0 ? ack.ItemStatuses[^1] : TxAckStatus.Ignored;
            metrics.Downlink(status.ToString());
            logger.LogInformation("Downlink {DownlinkId} for {DevEui} not transmitted by {GatewayId}: {Status}", ack.DownlinkId, inFlight.DevEui, ack.GatewayId, status);
            return;
        }

        metrics.Downlink(nameof(TxAckStatus.Ok));
        if (inFlight.IsJoinAccept)
        {
            return;
        }

        await sessions.TryAdvanceDownlinkCounterAsync(inFlight.DevEui, inFlight.UsesApplicationCounter, inFlight.FCnt, cancellationToken).ConfigureAwait(false);
        if (inFlight.QueueItemId is { } itemId)
        {
            await queue.RemoveAsync(inFlight.DevEui, itemId, cancellationToken).ConfigureAwait(false);
            if (inFlight.Confirmed && await sessions.GetActiveSessionAsync(inFlight.DevEui, cancellationToken).ConfigureAwait(false) is { } session)
            {
                // The device's next uplink tells whether it got it (ACK bit): see DataUplinkProcessor.
                await sessions.UpdateActiveSessionSettingsAsync(session with { AwaitingAckQueueItemId = itemId, AwaitingAckFCnt = inFlight.FCnt }, cancellationToken).ConfigureAwait(false);
            }
        }

        var device = await registry.GetDeviceAsync(inFlight.DevEui, cancellationToken).ConfigureAwait(false);
        if (device is not null)
        {
            await events.OnTxAckAsync(new DeviceTxAckEvent(ack.DownlinkId, time.GetUtcNow(), device, inFlight.QueueItemId, inFlight.FCnt, ack.GatewayId), cancellationToken).ConfigureAwait(false);
        }
    }
}
