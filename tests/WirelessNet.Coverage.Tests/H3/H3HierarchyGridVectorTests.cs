using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Tests.H3Conformance;

public class H3HierarchyGridVectorTests
{
    [Fact]
    public void Parents_centre_children_and_children_match_h3js()
    {
        var f = new H3Vectors.Failures();
        foreach (var line in H3Vectors.Lines("hierarchy.jsonl"))
        {
            var s = line.GetProperty("h").GetString()!;
            var h = H3Index.Parse(s);
            var res = H3Grid.GetResolution(h);
            var parents = line.GetProperty("parents");
            for (var pr = 0; pr <= res; pr++)
            {
                var expected = parents[pr].GetString();
                var actual = H3Grid.CellToParent(h, pr).ToString();
                var r = pr;
                f.Check(actual == expected, () => $"{s} parent {r}: expected {expected}, got {actual}");
            }

            var centers = line.GetProperty("centers");
            for (var cr = res; cr <= 15; cr++)
            {
                var expected = centers[cr - res].GetString();
                var actual = H3Grid.CellToCenterChild(h, cr).ToString();
                var r = cr;
                f.Check(actual == expected, () => $"{s} centre child {r}: expected {expected}, got {actual}");
            }

            if (line.TryGetProperty("childRes", out var childResEl))
            {
                var childRes = childResEl.GetInt32();
                var expected = H3Vectors.Strings(line.GetProperty("children"));
                f.Check(H3Grid.CellToChildrenCount(h, childRes) == line.GetProperty("childCount").GetInt64(), () => $"{s} child count");
                var array = H3Grid.CellToChildren(h, childRes);
                f.Check(array.SequenceEqual(array.Order()), () => $"{s} children not ascending");
                var actual = H3Vectors.Sorted(array);
                f.Check(actual.SequenceEqual(expected), () => $"{s} children at {childRes}: {actual.Length} vs {expected.Length}");
                var lazy = H3Vectors.Sorted(H3Grid.EnumerateChildren(h, childRes));
                f.Check(lazy.SequenceEqual(expected), () => $"{s} enumerated children at {childRes}");
            }
        }

        f.AssertNone(40_000);
    }

    [Fact]
    public void Compact_and_uncompact_match_h3js()
    {
        var f = new H3Vectors.Failures();
        foreach (var line in H3Vectors.Lines("compact.jsonl"))
        {
            var cells = line.GetProperty("cells").EnumerateArray().Select(H3Vectors.Cell).ToArray();
            var expectedCompact = H3Vectors.Strings(line.GetProperty("compact"));
            var compact = H3Grid.CompactCells(cells);
            var actualCompact = H3Vectors.Sorted(compact);
            f.Check(actualCompact.SequenceEqual(expectedCompact), () => $"compact of {cells.Length} cells: {actualCompact.Length} vs {expectedCompact.Length}");

            var ures = line.GetProperty("ures").GetInt32();
            var expectedUncompact = H3Vectors.Strings(line.GetProperty("uncompact"));
            var actualUncompact = H3Vectors.Sorted(H3Grid.UncompactCells(compact, ures));
            f.Check(actualUncompact.SequenceEqual(expectedUncompact), () => $"uncompact to {ures}: {actualUncompact.Length} vs {expectedUncompact.Length}");
        }

        f.AssertNone(300);
    }

    [Fact]
    public void GridDisk_GridRing_and_GridDistance_match_h3js()
    {
        var f = new H3Vectors.Failures();
        var buffer = new H3Index[H3Grid.MaxGridDiskSize(5)];
        foreach (var line in H3Vectors.Lines("grid.jsonl"))
        {
            var s = line.GetProperty("h").GetString()!;
            var h = H3Index.Parse(s);
            var disks = line.GetProperty("disks");
            for (var k = 1; k <= 5; k++)
            {
                var expected = H3Vectors.Strings(disks[k - 1]);
                var n = H3Grid.GridDisk(h, k, buffer);
                var actual = H3Vectors.Sorted(buffer.Take(n));
                var kk = k;
                f.Check(actual.SequenceEqual(expected), () => $"{s} gridDisk {kk}: {actual.Length} cells vs {expected.Length}");
            }

            var rings = line.GetProperty("rings");
            for (var k = 1; k <= 3; k++)
            {
                var expected = H3Vectors.Strings(rings[k - 1]);
                var actual = H3Vectors.Sorted(H3Grid.GridRing(h, k));
                var kk = k;
                f.Check(actual.SequenceEqual(expected), () => $"{s} gridRing {kk}: {actual.Length} cells vs {expected.Length}");
            }

            foreach (var pair in line.GetProperty("dist").EnumerateArray())
            {
                var target = H3Vectors.Cell(pair[0]);
                var expected = pair[1].GetInt64();
                var ok = H3Grid.TryGridDistance(h, target, out var d);
                var actual = ok ? d : -1;
                f.Check(actual == expected, () => $"{s} -> {target}: distance expected {expected}, got {actual}");
            }
        }

        f.AssertNone(15_000);
    }

    [Fact]
    public void Large_disks_and_rings_near_pentagons_match_h3js()
    {
        var f = new H3Vectors.Failures();
        foreach (var line in H3Vectors.Lines("grid_large.jsonl"))
        {
            var s = line.GetProperty("h").GetString()!;
            var h = H3Index.Parse(s);
            var k = line.GetProperty("k").GetInt32();
            var expectedDisk = H3Vectors.Strings(line.GetProperty("disk"));
            var disk = H3Vectors.Sorted(H3Grid.GridDisk(h, k));
            f.Check(disk.SequenceEqual(expectedDisk), () => $"{s} gridDisk {k}: {disk.Length} vs {expectedDisk.Length}");
            var expectedRing = H3Vectors.Strings(line.GetProperty("ring"));
            var ring = H3Vectors.Sorted(H3Grid.GridRing(h, k));
            f.Check(ring.SequenceEqual(expectedRing), () => $"{s} gridRing {k}: {ring.Length} vs {expectedRing.Length}");
        }

        f.AssertNone(160);
    }
}
