using System.Security.Cryptography;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Storage;

namespace WirelessNet.Lns.Pipeline;

/// <summary>Sends a planned downlink to its gateway after recording it as in flight (so its TxAck can be matched).</summary>
/// <remarks>
/// The sender is resolved on first use: the gateway transports depend on the pipeline (they deliver uplinks to it)
/// and the pipeline sends downlinks through them, so resolving both eagerly would be a cycle.
/// </remarks>
public sealed class DownlinkDispatcher(Func<IGatewayDownlinkSender> senderFactory, IDownlinkQueueStore queue, PipelineMetrics metrics, Microsoft.Extensions.Options.IOptions<NetworkServerOptions> options)
{
    private readonly Lazy<IGatewayDownlinkSender> _sender = new(senderFactory);

    /// <summary>A fresh non-zero downlink id; random so that ids from several instances do not collide.</summary>
    public static uint NewDownlinkId()
    {
        uint id;
        do
        {
            id = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
        }
        while (id == 0);

        return id;
    }

    public async ValueTask SendAsync(DownlinkTransmission transmission, GatewayTransport transport, InFlightDownlink record, CancellationToken cancellationToken)
    {
        await queue.SaveInFlightAsync(record, options.Value.TxAckTimeout, cancellationToken).ConfigureAwait(false);
        await _sender.Value.SendAsync(transmission, transport, cancellationToken).ConfigureAwait(false);
        metrics.Downlink("sent");
    }
}
