using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Mqtt.Applications;

/// <summary>An application's request to queue a downlink, already validated for shape (FPort, size, DevEUI).</summary>
public sealed record ApplicationDownlinkRequest(string ApplicationId, Eui64 DevEui, int FPort, byte[] Data, bool Confirmed)
{
    /// <summary>The queue item id the application chose, if any.</summary>
    public Guid? QueueItemId { get; init; }
}

/// <summary>The enqueuer's answer: accepted with the queue item id, or rejected with a reason for the log.</summary>
public readonly record struct DownlinkEnqueueResult(bool Accepted, Guid? QueueItemId, string? RejectReason)
{
    public static DownlinkEnqueueResult Enqueued(Guid queueItemId) => new(true, queueItemId, null);

    public static DownlinkEnqueueResult Rejected(string reason) => new(false, null, reason);
}

/// <summary>
/// Queues application downlinks; the pipeline implements it. It checks what the MQTT side cannot: that the device
/// exists, belongs to the topic's application and is not disabled.
/// </summary>
public interface IDownlinkEnqueuer
{
    ValueTask<DownlinkEnqueueResult> EnqueueAsync(ApplicationDownlinkRequest request, CancellationToken cancellationToken);
}
