using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Measured;

namespace WirelessNet.Coverage.Mapping;

/// <summary>
/// Coverage as GeoJSON: each hex a Polygon feature (its H3 boundary) with its statistics, each hotspot a Point feature.
/// Features carry "kind": "hex" or "hotspot" so one collection can hold both.
/// </summary>
public static class CoverageGeoJson
{
    public const string MediaType = "application/geo+json";

    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>System.Text.Json options that write NetTopologySuite features as GeoJSON.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateSerializerOptions();

    /// <summary>
    /// A feature collection of hexes (properties: kind, cell, res, count, distinctGateways, distinctGatewaysExact, bestRssi,
    /// meanRssi, bestSnr, meanSnr, lastSeen) followed by hotspots (properties: kind, id, name).
    /// </summary>
    public static FeatureCollection ToFeatureCollection(IEnumerable<HexCoverage> hexes, IEnumerable<HotspotLocation>? hotspots = null)
    {
        ArgumentNullException.ThrowIfNull(hexes);
        var collection = new FeatureCollection();
        foreach (var hex in hexes)
        {
            collection.Add(ToFeature(hex));
        }

        foreach (var hotspot in hotspots ?? [])
        {
            collection.Add(ToFeature(hotspot));
        }

        return collection;
    }

    public static Feature ToFeature(HexCoverage hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var attributes = new AttributesTable
        {
            { "kind", "hex" },
            { "cell", hex.Cell.ToString() },
            { "res", hex.Resolution },
            { "count", hex.Count },
            { "distinctGateways", hex.DistinctGateways },
            { "distinctGatewaysExact", hex.DistinctGatewaysExact },
            { "bestRssi", hex.BestRssi },
            { "meanRssi", Math.Round(hex.MeanRssi, 2, MidpointRounding.AwayFromZero) },
            { "bestSnr", hex.BestSnr },
            { "meanSnr", Math.Round(hex.MeanSnr, 2, MidpointRounding.AwayFromZero) },
            { "lastSeen", hex.LastSeen.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) },
        };
        return new Feature(HexPolygon(hex.Cell), attributes);
    }

    public static Feature ToFeature(HotspotLocation hotspot)
    {
        ArgumentNullException.ThrowIfNull(hotspot);
        var attributes = new AttributesTable
        {
            { "kind", "hotspot" },
            { "id", GatewayIds.Format(hotspot.Id) },
            { "name", hotspot.Name ?? GatewayIds.Format(hotspot.Id) },
        };
        return new Feature(Factory.CreatePoint(new Coordinate(hotspot.Position.Lng, hotspot.Position.Lat)), attributes);
    }

    /// <summary>
    /// The cell boundary as a closed ring (X = longitude). Longitudes are kept continuous from the first vertex, so a hex
    /// straddling the antimeridian reaches past ±180° instead of wrapping around the world.
    /// </summary>
    public static Polygon HexPolygon(H3Index cell)
    {
        Span<LatLng> boundary = stackalloc LatLng[H3Grid.MaxBoundaryVertices];
        var n = H3Grid.CellToBoundary(cell, boundary);
        var ring = new Coordinate[n + 1];
        var first = boundary[0].Lng;
        for (var i = 0; i < n; i++)
        {
            var lng = boundary[i].Lng;
            if (lng - first > 180)
            {
                lng -= 360;
            }
            else if (first - lng > 180)
            {
                lng += 360;
            }

            ring[i] = new Coordinate(Math.Round(lng, 7), Math.Round(boundary[i].Lat, 7));
        }

        ring[n] = ring[0].Copy();
        return Factory.CreatePolygon(ring);
    }

    public static string Serialize(FeatureCollection collection) => JsonSerializer.Serialize(collection, SerializerOptions);

    private static JsonSerializerOptions CreateSerializerOptions()
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
