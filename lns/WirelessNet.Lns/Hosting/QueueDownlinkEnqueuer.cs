using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Mqtt.Applications;
using WirelessNet.Lns.Storage;

namespace WirelessNet.Lns.Hosting;

/// <summary>Queues downlinks that applications send over MQTT, after checking the device belongs to the application.</summary>
public sealed class QueueDownlinkEnqueuer(IDeviceRegistry registry, IDownlinkQueueStore queue, TimeProvider time) : IDownlinkEnqueuer
{
    public async ValueTask<DownlinkEnqueueResult> EnqueueAsync(ApplicationDownlinkRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var device = await registry.GetDeviceAsync(request.DevEui, cancellationToken).ConfigureAwait(false);
        if (device is null || !string.Equals(device.ApplicationId, request.ApplicationId, StringComparison.Ordinal))
        {
            return DownlinkEnqueueResult.Rejected("no such device in this application");
        }

        if (device.Disabled)
        {
            return DownlinkEnqueueResult.Rejected("device is disabled");
        }

        var item = new QueuedDownlink
        {
            Id = request.QueueItemId ?? Guid.NewGuid(),
            DevEui = request.DevEui,
            FPort = request.FPort,
            Data = request.Data,
            Confirmed = request.Confirmed,
            EnqueuedAt = time.GetUtcNow(),
        };
        await queue.EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
        return DownlinkEnqueueResult.Enqueued(item.Id);
    }
}
