using NetTopologySuite.Geometries;
using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Tests.H3Conformance;

/// <summary>
/// PolygonToCells emits the descendants of cells whose whole reach lies inside the polygon without testing each centre;
/// that must give exactly the cells the exhaustive centre-by-centre walk gives.
/// </summary>
public sealed class H3PolygonShortcutTests
{
    private static readonly GeometryFactory Factory = new();

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    public void Interior_shortcut_gives_the_same_cells_as_testing_every_centre(int res)
    {
        var random = new Random(res);
        var shortcutUsed = false;
        for (var i = 0; i < 12; i++)
        {
            var lat = (random.NextDouble() * 150) - 75;
            var lng = (random.NextDouble() * 340) - 170;
            var radiusKm = 2 + (random.NextDouble() * 8);
            var vertices = 5 + random.Next(12);
            var outer = Ring(lat, lng, radiusKm, vertices, random, jitter: 0.4);
            var hole = Ring(lat, lng, radiusKm * 0.3, 6, random, jitter: 0.2);
            var polygon = i % 2 == 0 ? Factory.CreatePolygon(outer) : Factory.CreatePolygon(Factory.CreateLinearRing(outer), [Factory.CreateLinearRing(hole)]);

            var expected = H3Grid.PolygonToCells(polygon, res, interiorShortcut: false);
            var actual = H3Grid.PolygonToCells(polygon, res, interiorShortcut: true);

            Assert.Equal(expected, actual);
            shortcutUsed |= expected.Length > 200;
        }

        Assert.True(shortcutUsed, "the polygons should be large enough for the shortcut to apply");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(11)]
    public void PolygonToCells_finds_exactly_the_cells_whose_centre_is_inside(int res)
    {
        // Reference: every cell of a disk covering the polygon, kept when NTS's planar lng/lat point-in-polygon test says
        // its centre is inside (H3's ray casting agrees everywhere but exactly on edges, which random polygons avoid).
        var random = new Random(100 + res);
        for (var i = 0; i < 6; i++)
        {
            var lat = (random.NextDouble() * 150) - 75;
            var lng = (random.NextDouble() * 340) - 170;
            var radiusKm = H3Grid.GetHexagonEdgeLengthAvgKm(res) * (8 + (random.NextDouble() * 12));
            var outer = Ring(lat, lng, radiusKm, 5 + random.Next(12), random, jitter: 0.5);
            var hole = Ring(lat, lng, radiusKm * 0.3, 6, random, jitter: 0.2);
            var polygon = Factory.CreatePolygon(Factory.CreateLinearRing(outer), [Factory.CreateLinearRing(hole)]);

            var centre = H3Grid.LatLngToCell(lat, lng, res);
            var k = (int)Math.Ceiling(radiusKm / H3Grid.GetHexagonEdgeLengthAvgKm(res) * 1.5) + 2;
            var expected = H3Grid.GridDisk(centre, k)
                .Where(c =>
                {
                    var p = H3Grid.CellToLatLng(c);
                    return polygon.Contains(Factory.CreatePoint(new Coordinate(p.Lng, p.Lat)));
                })
                .Order()
                .ToArray();

            Assert.NotEmpty(expected);
            Assert.Equal(expected, H3Grid.PolygonToCells(polygon, res));
        }
    }

    private static Coordinate[] Ring(double lat, double lng, double radiusKm, int vertices, Random random, double jitter)
    {
        var ring = new Coordinate[vertices + 1];
        for (var v = 0; v < vertices; v++)
        {
            var angle = 2 * Math.PI * v / vertices;
            var r = radiusKm * (1 - (jitter * random.NextDouble()));
            var dLat = r / 111.2 * Math.Sin(angle);
            var dLng = r / (111.2 * Math.Cos(lat * Math.PI / 180)) * Math.Cos(angle);
            ring[v] = new Coordinate(lng + dLng, lat + dLat);
        }

        ring[vertices] = ring[0];
        return ring;
    }
}
