using System.Text.Json;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Mapping;
using WirelessNet.Coverage.Measured;

namespace WirelessNet.Coverage.Tests.Mapping;

public sealed class CoverageGeoJsonTests
{
    [Fact]
    public void Writes_hexes_as_polygons_with_their_statistics_and_hotspots_as_points()
    {
        var cell = H3Grid.LatLngToCell(52.3702, 4.8952, 9);
        var hex = new HexCoverage(cell, 12, 3, true, -95, -104.25, 6.5, 1.125, new DateTimeOffset(2026, 11, 26, 6, 30, 0, TimeSpan.Zero));
        var hotspot = new HotspotLocation(0x70b3d57ed0000001, new LatLng(52.37, 4.89), "Dam Square");

        var json = CoverageGeoJson.Serialize(CoverageGeoJson.ToFeatureCollection([hex], [hotspot]));

        using var document = JsonDocument.Parse(json);
        var features = document.RootElement.GetProperty("features");
        Assert.Equal("FeatureCollection", document.RootElement.GetProperty("type").GetString());
        Assert.Equal(2, features.GetArrayLength());

        var polygon = features[0];
        Assert.Equal("Polygon", polygon.GetProperty("geometry").GetProperty("type").GetString());
        var ring = polygon.GetProperty("geometry").GetProperty("coordinates")[0];
        Assert.Equal(7, ring.GetArrayLength()); // six vertices, closed
        Assert.Equal(ring[0].ToString(), ring[6].ToString());
        var boundary = H3Grid.CellToBoundary(cell);
        Assert.Equal(boundary[0].Lng, ring[0][0].GetDouble(), 6);
        Assert.Equal(boundary[0].Lat, ring[0][1].GetDouble(), 6);

        var p = polygon.GetProperty("properties");
        Assert.Equal("hex", p.GetProperty("kind").GetString());
        Assert.Equal(cell.ToString(), p.GetProperty("cell").GetString());
        Assert.Equal(9, p.GetProperty("res").GetInt32());
        Assert.Equal(12, p.GetProperty("count").GetInt64());
        Assert.Equal(3, p.GetProperty("distinctGateways").GetInt32());
        Assert.Equal(-95, p.GetProperty("bestRssi").GetDouble());
        Assert.Equal(-104.25, p.GetProperty("meanRssi").GetDouble());
        Assert.Equal(6.5, p.GetProperty("bestSnr").GetDouble());
        Assert.Equal(1.13, p.GetProperty("meanSnr").GetDouble());
        Assert.Equal("2026-11-26T06:30:00.000Z", p.GetProperty("lastSeen").GetString());

        var point = features[1];
        Assert.Equal("Point", point.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal("70b3d57ed0000001", point.GetProperty("properties").GetProperty("id").GetString());
        Assert.Equal("Dam Square", point.GetProperty("properties").GetProperty("name").GetString());
    }

    [Fact]
    public void Keeps_antimeridian_hexes_in_one_piece()
    {
        var cell = H3Grid.LatLngToCell(0, 179.9999, 3);

        var ring = CoverageGeoJson.HexPolygon(cell).ExteriorRing.Coordinates;

        Assert.True(ring.Max(c => c.X) - ring.Min(c => c.X) < 10);
    }
}
