using WirelessNet.Coverage.Geo;
using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Measured;

/// <summary>
/// Where measured coverage and hotspot locations live (in memory here; Redis later). Asynchronous because a shared store
/// is remote; every member must be safe to call concurrently.
/// </summary>
public interface ICoverageStore
{
    /// <summary>Resolutions with per-hex statistics (default 8-12).</summary>
    (int Min, int Max) Resolutions { get; }

    ValueTask AddObservationsAsync(ReadOnlyMemory<CoverageObservation> observations, CancellationToken cancellationToken = default);

    ValueTask UpsertHotspotAsync(HotspotLocation hotspot, CancellationToken cancellationToken = default);

    /// <summary>The statistics of one hex, or null when nothing was received there (or its resolution is not kept).</summary>
    ValueTask<HexCoverage?> GetHexAsync(H3Index cell, CancellationToken cancellationToken = default);

    /// <summary>The statistics of those of <paramref name="cells"/> that have any, in the order given.</summary>
    ValueTask<IReadOnlyList<HexCoverage>> GetHexesAsync(IReadOnlyList<H3Index> cells, CancellationToken cancellationToken = default);

    ValueTask<HotspotLocation?> GetHotspotAsync(ulong hotspotId, CancellationToken cancellationToken = default);

    /// <summary>Hotspots located inside the box.</summary>
    ValueTask<IReadOnlyList<HotspotLocation>> GetHotspotsAsync(GeoBoundingBox box, CancellationToken cancellationToken = default);

    /// <summary>Where a hotspot received: hexes with that hotspot's own statistics (empty when it received nothing).</summary>
    ValueTask<IReadOnlyList<HexCoverage>> GetHotspotCoverageAsync(ulong hotspotId, CancellationToken cancellationToken = default);
}
