using NetTopologySuite.Features;
using WirelessNet.Coverage.Geo;

namespace WirelessNet.Coverage.Mapping;

/// <summary>What <see cref="CoverageMapPage"/> shows and where it gets it.</summary>
public sealed class CoverageMapPageOptions
{
    public string Title { get; init; } = "WirelessNet coverage";

    /// <summary>The coverage API the page fetches from (bbox and res are appended).</summary>
    public string DataUrl { get; init; } = "/api/coverage";

    /// <summary>The area to fetch when the page's own address has no ?bbox=.</summary>
    public GeoBoundingBox? Box { get; init; }

    /// <summary>The resolution to fetch when the page's own address has no &amp;res=.</summary>
    public int? Resolution { get; init; }

    /// <summary>Data to embed in the page instead of fetching it: a static export that works from a file.</summary>
    public FeatureCollection? EmbeddedData { get; init; }
}
