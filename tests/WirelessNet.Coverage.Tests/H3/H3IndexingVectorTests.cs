using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Tests.H3Conformance;

public class H3IndexingVectorTests
{
    private const double DegTol = 1e-9;

    [Fact]
    public void LatLngToCell_matches_h3js_at_every_resolution()
    {
        var f = new H3Vectors.Failures();
        foreach (var line in H3Vectors.Lines("latlng_to_cell.jsonl"))
        {
            var lat = line[0].GetDouble();
            var lng = line[1].GetDouble();
            var cells = line[2];
            for (var r = 0; r <= 15; r++)
            {
                var expected = cells[r].GetString()!;
                var actual = H3Grid.LatLngToCell(lat, lng, r).ToString();
                f.Check(actual == expected, () => $"({lat:R}, {lng:R}) res {r}: expected {expected}, got {actual}");
            }
        }

        f.AssertNone(50_000);
    }

    [Fact]
    public void Cell_properties_centres_and_boundaries_match_h3js()
    {
        var f = new H3Vectors.Failures();
        Span<LatLng> verts = stackalloc LatLng[H3Grid.MaxBoundaryVertices];
        foreach (var line in H3Vectors.Lines("cells.jsonl"))
        {
            var s = line.GetProperty("h").GetString()!;
            var h = H3Index.Parse(s);
            f.Check(h.ToString() == s, () => $"{s}: formats as {h}");
            f.Check(H3Grid.IsValidCell(h), () => $"{s}: not valid");
            f.Check(H3Grid.GetResolution(h) == line.GetProperty("r").GetInt32(), () => $"{s}: res");
            f.Check(H3Grid.GetBaseCell(h) == line.GetProperty("bc").GetInt32(), () => $"{s}: base cell");
            f.Check(H3Grid.IsPentagon(h) == line.GetProperty("p").GetBoolean(), () => $"{s}: pentagon");
            f.Check(H3Grid.IsResClassIII(h) == line.GetProperty("c3").GetBoolean(), () => $"{s}: class III");

            var ll = line.GetProperty("ll");
            var c = H3Grid.CellToLatLng(h);
            var polar = Math.Abs(ll[0].GetDouble()) > 89.99;
            f.Check(
                H3Vectors.Close(c.Lat, ll[0].GetDouble(), DegTol) && (polar || H3Vectors.CloseLng(c.Lng, ll[1].GetDouble(), DegTol)),
                () => $"{s}: centre expected ({ll[0].GetDouble():R}, {ll[1].GetDouble():R}), got ({c.Lat:R}, {c.Lng:R})");

            var b = line.GetProperty("b");
            var n = H3Grid.CellToBoundary(h, verts);
            var count = b.GetArrayLength();
            f.Check(n == count, () => $"{s}: {n} vertices, expected {count}");
            if (n == count)
            {
                for (var i = 0; i < n; i++)
                {
                    var elat = b[i][0].GetDouble();
                    var elng = b[i][1].GetDouble();
                    var v = verts[i];
                    var vi = i;
                    f.Check(
                        H3Vectors.Close(v.Lat, elat, DegTol) && (Math.Abs(elat) > 89.99 || H3Vectors.CloseLng(v.Lng, elng, DegTol)),
                        () => $"{s}: vertex {vi} expected ({elat:R}, {elng:R}), got ({v.Lat:R}, {v.Lng:R})");
                }
            }
        }

        f.AssertNone(5_000);
    }

    [Fact]
    public void IsValidCell_matches_h3js()
    {
        var f = new H3Vectors.Failures();
        foreach (var line in H3Vectors.Lines("valid.jsonl"))
        {
            var s = line[0].GetString()!;
            var expected = line[1].GetBoolean();
            var actual = H3Index.TryParse(s, out var h) && H3Grid.IsValidCell(h);
            f.Check(actual == expected, () => $"{s}: expected {expected}");
        }

        f.AssertNone(2_000);
    }
}
