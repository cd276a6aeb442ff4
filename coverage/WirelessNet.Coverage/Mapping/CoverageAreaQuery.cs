using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using WirelessNet.Coverage.Geo;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Measured;

namespace WirelessNet.Coverage.Mapping;

/// <summary>The coverage of an area at one resolution, as GeoJSON features (what GET /api/coverage answers).</summary>
public static class CoverageAreaQuery
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>
    /// Hexes at <paramref name="res"/> with data whose centre lies in <paramref name="area"/> (X = longitude, Y = latitude;
    /// H3 polygon-to-cells semantics), then the hotspots inside it. Resolutions the store keeps no statistics for give
    /// hotspots only. The caller bounds the area: the work grows with the number of hexes it holds at <paramref name="res"/>.
    /// </summary>
    public static async ValueTask<FeatureCollection> GetFeaturesAsync(
        ICoverageStore store, Polygon area, int res, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(area);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)res, (uint)H3Grid.MaxResolution, nameof(res));

        var (minRes, maxRes) = store.Resolutions;
        IReadOnlyList<HexCoverage> hexes = [];
        if (res >= minRes && res <= maxRes)
        {
            hexes = await store.GetHexesAsync(H3Grid.PolygonToCells(area, res), cancellationToken).ConfigureAwait(false);
        }

        var envelope = area.EnvelopeInternal;
        IReadOnlyList<HotspotLocation> hotspots = [];
        if (!envelope.IsNull && envelope.MinX < envelope.MaxX && envelope.MinY < envelope.MaxY)
        {
            var box = new GeoBoundingBox(
                Math.Max(-180, envelope.MinX), Math.Max(-90, envelope.MinY), Math.Min(180, envelope.MaxX), Math.Min(90, envelope.MaxY));
            var candidates = await store.GetHotspotsAsync(box, cancellationToken).ConfigureAwait(false);
            hotspots = [.. candidates.Where(h => area.Covers(Factory.CreatePoint(new Coordinate(h.Position.Lng, h.Position.Lat))))];
        }

        return CoverageGeoJson.ToFeatureCollection(hexes, hotspots);
    }

    /// <summary><see cref="GetFeaturesAsync(ICoverageStore, Polygon, int, CancellationToken)"/> of a bounding box.</summary>
    public static ValueTask<FeatureCollection> GetFeaturesAsync(
        ICoverageStore store, GeoBoundingBox box, int res, CancellationToken cancellationToken = default) =>
        GetFeaturesAsync(store, box.ToPolygon(Factory), res, cancellationToken);
}
