using WirelessNet.Coverage.Geo;
using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Measured;

/// <summary>
/// An <see cref="ICoverageStore"/> in process memory: a <see cref="CoverageAggregator"/> and a hotspot table behind one
/// lock. Writers hold the lock for a batch at a time; the work per observation is ~1 µs, so readers wait little.
/// </summary>
public sealed class InMemoryCoverageStore : ICoverageStore
{
    private readonly Lock _lock = new();
    private readonly CoverageAggregator _aggregator;
    private readonly Dictionary<ulong, HotspotLocation> _hotspots = [];

    public InMemoryCoverageStore(CoverageAggregatorOptions? options = null) => _aggregator = new CoverageAggregator(options);

    public (int Min, int Max) Resolutions => _aggregator.Resolutions;

    public ValueTask AddObservationsAsync(ReadOnlyMemory<CoverageObservation> observations, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _aggregator.Add(observations.Span);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask UpsertHotspotAsync(HotspotLocation hotspot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hotspot);
        lock (_lock)
        {
            _hotspots[hotspot.Id] = hotspot;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<HexCoverage?> GetHexAsync(H3Index cell, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_aggregator.TryGetHex(cell, out var coverage) ? coverage : null);
        }
    }

    public ValueTask<IReadOnlyList<HexCoverage>> GetHexesAsync(IReadOnlyList<H3Index> cells, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var result = new List<HexCoverage>();
        lock (_lock)
        {
            foreach (var cell in cells)
            {
                if (_aggregator.TryGetHex(cell, out var coverage))
                {
                    result.Add(coverage);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<HexCoverage>>(result);
    }

    public ValueTask<HotspotLocation?> GetHotspotAsync(ulong hotspotId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_hotspots.GetValueOrDefault(hotspotId));
        }
    }

    public ValueTask<IReadOnlyList<HotspotLocation>> GetHotspotsAsync(GeoBoundingBox box, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<HotspotLocation> result = [.. _hotspots.Values.Where(h => box.Contains(h.Position)).OrderBy(h => h.Id)];
            return ValueTask.FromResult(result);
        }
    }

    public ValueTask<IReadOnlyList<HexCoverage>> GetHotspotCoverageAsync(ulong hotspotId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<HexCoverage>>(_aggregator.GetGatewayCoverage(hotspotId));
        }
    }
}
