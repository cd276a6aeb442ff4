using WirelessNet.Coverage.Geo;

namespace WirelessNet.Coverage.Http;

/// <summary>Limits and defaults of the coverage endpoints.</summary>
public sealed class CoverageEndpointOptions
{
    /// <summary>
    /// GET /api/coverage refuses (400) a bbox holding more hexes than this at the requested resolution: the answer would
    /// be too big to draw, and computing it would let one request occupy the server.
    /// </summary>
    public int MaxCellsPerQuery { get; init; } = 20_000;

    /// <summary>The area /map shows when its address has no ?bbox=.</summary>
    public GeoBoundingBox? DefaultMapBox { get; init; }

    /// <summary>The resolution /map shows when its address has no &amp;res= (default 9).</summary>
    public int DefaultMapResolution { get; init; } = 9;

    public string MapTitle { get; init; } = "WirelessNet coverage";
}
