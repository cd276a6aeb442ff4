using NetTopologySuite.Geometries;
using WirelessNet.Coverage.Geo;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Mapping;
using WirelessNet.Coverage.Measured;

namespace WirelessNet.Coverage.Tests.Mapping;

public sealed class CoverageAreaQueryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_polygon_selects_the_hexes_and_hotspots_inside_it()
    {
        var store = new InMemoryCoverageStore();
        var inside = new LatLng(52.3702, 4.8952);
        var outside = new LatLng(52.3702, 4.9700); // ~5 km east
        await store.AddObservationsAsync(new[]
        {
            new CoverageObservation(inside, 1, -90, 5, T0),
            new CoverageObservation(outside, 1, -100, 5, T0),
        });
        await store.UpsertHotspotAsync(new HotspotLocation(1, inside, "in"));
        await store.UpsertHotspotAsync(new HotspotLocation(2, outside, "out"));
        var factory = new GeometryFactory();
        var triangle = factory.CreatePolygon(
        [
            new Coordinate(4.85, 52.35), new Coordinate(4.94, 52.35), new Coordinate(4.895, 52.40), new Coordinate(4.85, 52.35),
        ]);

        var collection = await CoverageAreaQuery.GetFeaturesAsync(store, triangle, 10);

        var hex = Assert.Single(collection, f => (string)f.Attributes["kind"] == "hex");
        Assert.Equal(H3Grid.CellToParent(H3Grid.LatLngToCell(inside, 12), 10).ToString(), hex.Attributes["cell"]);
        var hotspot = Assert.Single(collection, f => (string)f.Attributes["kind"] == "hotspot");
        Assert.Equal("in", hotspot.Attributes["name"]);

        var wide = await CoverageAreaQuery.GetFeaturesAsync(store, new GeoBoundingBox(4.8, 52.3, 5.0, 52.45), 10);
        Assert.Equal(4, wide.Count);
    }
}
