using NetTopologySuite.Geometries;
using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Tests.H3Conformance;

public class H3PolygonVectorTests
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>h3-js loops are open; NTS rings are closed (the closing vertex is dropped again by PolygonToCells).</summary>
    internal static LinearRing Ring(System.Text.Json.JsonElement loop)
    {
        var coords = loop.EnumerateArray().Select(p => new Coordinate(p[0].GetDouble(), p[1].GetDouble())).ToList();
        coords.Add(coords[0].Copy());
        return Factory.CreateLinearRing([.. coords]);
    }

    [Fact]
    public void PolygonToCells_matches_h3js_for_polygons_with_holes_and_antimeridian_crossings()
    {
        var f = new H3Vectors.Failures();
        var total = 0;
        var ties = 0;
        foreach (var line in H3Vectors.Lines("polygons.jsonl"))
        {
            var res = line.GetProperty("res").GetInt32();
            var loops = line.GetProperty("loops").EnumerateArray().Select(Ring).ToArray();
            var polygon = Factory.CreatePolygon(loops[0], loops[1..]);
            var expected = H3Vectors.Strings(line.GetProperty("cells"));
            var actual = H3Vectors.Sorted(H3Grid.PolygonToCells(polygon, res));
            total += expected.Length;
            if (line.TryGetProperty("ties", out var t) && t.GetBoolean())
            {
                // Vertices here are exact cell centres: those centres lie on the boundary and H3's answer for them hinges on the
                // last bit of the centre (h3-js computes it with V8's libm). Only such boundary cells may differ.
                var vertices = loops.SelectMany(l => l.Coordinates).ToArray();
                var differing = expected.Except(actual).Concat(actual.Except(expected)).ToArray();
                ties += differing.Length;
                f.Check(
                    differing.All(c => OnVertex(H3Grid.CellToLatLng(H3Index.Parse(c)), vertices)),
                    () => $"res {res} tie polygon: cells off the boundary differ: {string.Join(",", differing.Where(c => !OnVertex(H3Grid.CellToLatLng(H3Index.Parse(c)), vertices)))}");
                continue;
            }

            f.Check(
                actual.SequenceEqual(expected),
                () => $"res {res}, {loops.Length} loops: {actual.Length} cells vs {expected.Length}; missing {string.Join(",", expected.Except(actual).Take(5))} extra {string.Join(",", actual.Except(expected).Take(5))}");
        }

        f.AssertNone(70);
        Assert.True(total > 1000, $"only {total} cells in the polygon vectors");
        Assert.True(ties < total / 100, $"{ties} boundary ties differ");
    }

    private static bool OnVertex(LatLng p, Coordinate[] vertices) =>
        vertices.Any(v => Math.Abs(v.Y - p.Lat) < 1e-9 && Math.Abs(v.X - p.Lng) < 1e-9);
}
