using System.Security.Cryptography;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Storage;

namespace WirelessNet.Lns.Pipeline;

/// <summary>Sends a planned downlink to its gateway after recording it as in flight (so its TxAck can be matched).</summary>
public sealed class DownlinkDispatcher(IGatewayDownlinkSender sender, IDownlinkQueueStore queue, PipelineMetrics metrics, Microsoft.Extensions.Options.IOptions<NetworkServerOptions> options)
{
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
        await sender.SendAsync(transmission, transport, cancellationToken).ConfigureAwait(false);
        metrics.Downlink("sent");
    }
}
