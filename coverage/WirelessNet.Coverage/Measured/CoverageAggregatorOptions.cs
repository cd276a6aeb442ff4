namespace WirelessNet.Coverage.Measured;

/// <summary>Which resolutions <see cref="CoverageAggregator"/> keeps.</summary>
public sealed class CoverageAggregatorOptions
{
    /// <summary>The coarsest resolution kept (default 8, ~0.74 km² hexes).</summary>
    public int MinResolution { get; init; } = 8;

    /// <summary>The finest resolution kept (default 12, ~300 m² hexes: about GPS accuracy).</summary>
    public int MaxResolution { get; init; } = 12;

    /// <summary>The resolution of each gateway's own coverage (GET /api/hotspots/{id}/coverage); default 9 (~0.1 km²).</summary>
    public int HotspotResolution { get; init; } = 9;
}
