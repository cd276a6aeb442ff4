using WirelessNet.Lns.Downlinks;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Storage;

/// <summary>Per-device application downlink queues and the downlinks in flight to gateways.</summary>
public interface IDownlinkQueueStore
{
    ValueTask EnqueueAsync(QueuedDownlink item, CancellationToken cancellationToken);

    /// <summary>The oldest queued item, left in the queue.</summary>
    ValueTask<QueuedDownlink?> PeekAsync(Eui64 devEui, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<QueuedDownlink>> ListAsync(Eui64 devEui, CancellationToken cancellationToken);

    /// <summary>Removes an item; false if it was not there (already consumed).</summary>
    ValueTask<bool> RemoveAsync(Eui64 devEui, Guid itemId, CancellationToken cancellationToken);

    ValueTask ClearAsync(Eui64 devEui, CancellationToken cancellationToken);

    /// <summary>Remembers a downlink sent to a gateway until its TxAck arrives or <paramref name="lifetime"/> passes.</summary>
    ValueTask SaveInFlightAsync(InFlightDownlink downlink, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>Atomically reads and removes the in-flight record, so a TxAck is acted on once.</summary>
    ValueTask<InFlightDownlink?> TakeInFlightAsync(uint downlinkId, CancellationToken cancellationToken);
}
