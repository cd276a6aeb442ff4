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
public sealed class UplinkDeduplicator(
    IDeduplicationStore store,
    IOptions<NetworkServerOptions> options,
    PipelineMetrics metrics,
    TimeProvider time,
    ILogger<UplinkDeduplicator> logger)
{
    /// <summary>
    /// Adds the reception; when this call is the collector, returns the merged uplink after the window, otherwise null.
    /// </summary>
    public async ValueTask<ReceivedUplink?> AddAsync(UplinkReception reception, CancellationToken cancellationToken)
    {
        var window = options.Value.DeduplicationWindow;
        var key = UplinkReceptionSerializer.DeduplicationKey(reception.PhyPayload);

        // The set outlives the window so that late copies still find it and are counted as duplicates, not new frames.
        var first = await store.AddReceptionAsync(key, UplinkReceptionSerializer.Serialize(reception), window * 10 + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        if (!first)
        {
            metrics.Duplicate();
            return null;
        }

        await Task.Delay(window, time, cancellationToken).ConfigureAwait(false);
        var stored = await store.GetReceptionsAsync(key, cancellationToken).ConfigureAwait(false);
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

        if (receptions.Count == 0)
        {
            receptions.Add(reception);
        }

        return new ReceivedUplink(Guid.NewGuid(), reception.PhyPayload, receptions);
    }
}
