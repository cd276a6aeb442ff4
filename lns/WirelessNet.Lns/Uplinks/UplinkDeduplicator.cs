using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;

namespace WirelessNet.Lns.Uplinks;

/// <summary>
/// Merges the receptions of one frame heard by several gateways. The first reception (on any server instance)
/// makes its instance the collector: it waits for the deduplication window, then takes every reception the
/// instances added meanwhile and processes the frame once.
/// </summary>
/// <remarks>
/// Receptions that reach the collecting instance itself during its window are kept in process instead of being
/// written to the store: only the other instances need the store to hand their copies over. With one instance, or
/// when a broker sends one frame's copies to the same subscriber, a frame then costs one store write instead of one
/// per gateway. A copy arriving while its instance has not yet learnt whether it collects waits for that answer.
/// </remarks>
public sealed class UplinkDeduplicator(
    IDeduplicationStore store,
    IOptions<NetworkServerOptions> options,
    PipelineMetrics metrics,
    TimeProvider time,
    ILogger<UplinkDeduplicator> logger)
{
    private readonly ConcurrentDictionary<string, LocalWindow> _windows = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds the reception; when this call is the collector, returns the merged uplink after the window, otherwise null.
    /// </summary>
    public async ValueTask<ReceivedUplink?> AddAsync(UplinkReception reception, CancellationToken cancellationToken)
    {
        var window = options.Value.DeduplicationWindow;
        var key = UplinkReceptionSerializer.DeduplicationKey(reception.PhyPayload);

        var mine = new LocalWindow();
        var local = _windows.GetOrAdd(key, mine);
        if (!ReferenceEquals(local, mine))
        {
            // Another copy of this frame got here first: if this instance collects it, hand the copy over in process.
            if (await local.Collecting.Task.WaitAsync(cancellationToken).ConfigureAwait(false) && local.TryAdd(reception))
            {
                metrics.Duplicate();
                return null;
            }

            // Another instance collects it (or this window just closed): the copy goes through the store as usual.
            mine = null;
        }

        bool first;
        try
        {
            // The set outlives the window so that late copies still find it and are counted as duplicates, not new frames.
            first = await store.AddReceptionAsync(key, UplinkReceptionSerializer.Serialize(reception), window * 10 + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (mine is not null)
            {
                _windows.TryRemove(new KeyValuePair<string, LocalWindow>(key, mine));
                mine.Collecting.TrySetResult(false);
            }

            throw;
        }

        mine?.Collecting.TrySetResult(first);
        if (!first)
        {
            if (mine is not null)
            {
                _windows.TryRemove(new KeyValuePair<string, LocalWindow>(key, mine));
            }

            metrics.Duplicate();
            return null;
        }

        IReadOnlyList<byte[]> stored;
        try
        {
            await Task.Delay(window, time, cancellationToken).ConfigureAwait(false);
            stored = await store.GetReceptionsAsync(key, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (mine is not null)
            {
                _windows.TryRemove(new KeyValuePair<string, LocalWindow>(key, mine));
            }
        }

        var receptions = new List<UplinkReception>(stored.Count);
        var seenGateways = new HashSet<LoRaWan.Primitives.Eui64>();
        foreach (var bytes in stored)
        {
            if (!UplinkReceptionSerializer.TryDeserialize(bytes, out var r) || r is null)
            {
                logger.LogWarning("Skipping an unreadable reception in deduplication set {Key}", key);
                continue;
            }

            // A gateway that forwards the same frame twice counts once.
            if (seenGateways.Add(r.GatewayId))
            {
                receptions.Add(r);
            }
        }

        foreach (var r in mine?.Close() ?? [])
        {
            if (seenGateways.Add(r.GatewayId))
            {
                receptions.Add(r);
            }
        }

        if (receptions.Count == 0)
        {
            receptions.Add(reception);
        }

        return new ReceivedUplink(Guid.NewGuid(), reception.PhyPayload, receptions);
    }

    /// <summary>The copies of one frame that reached this instance while it decides about, or collects, the frame.</summary>
    private sealed class LocalWindow
    {
        private readonly List<UplinkReception> _copies = [];
        private bool _closed;

        /// <summary>Whether this instance collects the frame, once the store has said.</summary>
        public TaskCompletionSource<bool> Collecting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>False once the collector has taken the copies: a later copy goes to the store.</summary>
        public bool TryAdd(UplinkReception reception)
        {
            lock (_copies)
            {
                if (_closed)
                {
                    return false;
                }

                _copies.Add(reception);
                return true;
            }
        }

        public List<UplinkReception> Close()
        {
            lock (_copies)
            {
                _closed = true;
                return [.. _copies];
            }
        }
    }
}
