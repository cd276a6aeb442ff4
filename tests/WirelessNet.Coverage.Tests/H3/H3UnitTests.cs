using NetTopologySuite.Geometries;
using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Tests.H3Conformance;

/// <summary>Small hand-checkable facts about the H3 grid.</summary>
public class H3UnitTests
{
    [Fact]
    public void Known_cell_for_a_known_point()
    {
        var cell = H3Grid.LatLngToCell(37.3615593, -122.0553238, 7);
        Assert.Equal("87283472bffffff", cell.ToString());
        Assert.Equal(0x87283472bffffffUL, cell.Value);
        Assert.Equal(7, H3Grid.GetResolution(cell));
        Assert.Equal(20, H3Grid.GetBaseCell(cell));
        Assert.True(H3Grid.IsValidCell(cell));
        Assert.False(H3Grid.IsPentagon(cell));
        Assert.True(H3Grid.IsResClassIII(cell));
    }

    [Fact]
    public void Index_parses_and_formats_like_h3js()
    {
        var cell = H3Index.Parse("87283472bffffff");
        Assert.Equal(cell, H3Index.Parse("0x087283472BFFFFFF"));
        Assert.Equal("87283472bffffff", cell.ToString());
        Span<char> buffer = stackalloc char[16];
        Assert.True(cell.TryFormat(buffer, out var written, default, null));
        Assert.Equal("87283472bffffff", buffer[..written].ToString());
        Assert.False(H3Index.TryParse("not-hex", out _));
        Assert.False(H3Index.TryParse("1234567890abcdef0", out _));
        Assert.False(H3Grid.IsValidCell(H3Index.Null));
    }

    [Fact]
    public void There_are_122_base_cells_and_12_pentagons()
    {
        var res0 = H3Grid.GetRes0Cells();
        Assert.Equal(122, res0.Length);
        Assert.All(res0, c => Assert.True(H3Grid.IsValidCell(c)));
        Assert.Equal(122, res0.Distinct().Count());
        Assert.Equal(122L, H3Grid.GetNumCells(0));
        Assert.Equal(2L + (120L * 7 * 7 * 7 * 7 * 7 * 7 * 7), H3Grid.GetNumCells(7));

        int[] pentagonBaseCells = [4, 14, 24, 38, 49, 58, 63, 72, 83, 97, 107, 117];
        Assert.Equal(pentagonBaseCells, res0.Where(H3Grid.IsPentagon).Select(H3Grid.GetBaseCell).ToArray());
        Assert.Equal(
            ["8009fffffffffff", "801dfffffffffff", "8031fffffffffff", "804dfffffffffff", "8063fffffffffff", "8075fffffffffff",
             "807ffffffffffff", "8091fffffffffff", "80a7fffffffffff", "80c3fffffffffff", "80d7fffffffffff", "80ebfffffffffff"],
            H3Grid.GetPentagons(0).Select(p => p.ToString()).ToArray());

        // the pentagon flags in the extracted table agree with the fast bit mask
        for (var bc = 0; bc < 122; bc++)
        {
            Assert.Equal(H3Tables.BaseCellData[(bc * 7) + 4] == 1, CellBits.IsBaseCellPentagon(bc));
        }

        for (var r = 0; r <= 15; r++)
        {
            Assert.All(H3Grid.GetPentagons(r), p =>
            {
                Assert.True(H3Grid.IsPentagon(p));
                Assert.Equal(r, H3Grid.GetResolution(p));
                Span<LatLng> verts = stackalloc LatLng[10];
                // Class III pentagons have 10 vertices (every edge crosses an icosahedron edge), Class II 5
                Assert.Equal(r % 2 == 1 ? 10 : 5, H3Grid.CellToBoundary(p, verts));
            });
        }
    }

    [Fact]
    public void Hexagons_have_7_children_and_pentagons_6()
    {
        var hex = H3Index.Parse("87283472bffffff");
        Assert.Equal(7, H3Grid.CellToChildren(hex, 8).Length);
        Assert.Equal(49L, H3Grid.CellToChildrenCount(hex, 9));
        var pent = H3Grid.GetPentagons(3)[0];
        Assert.Equal(6, H3Grid.CellToChildren(pent, 4).Length);
        Assert.Equal(1L + (5 * 48 / 6), H3Grid.CellToChildrenCount(pent, 5));
        Assert.All(H3Grid.CellToChildren(hex, 9), c => Assert.Equal(hex, H3Grid.CellToParent(c, 7)));
        Assert.Equal(H3Grid.CellToCenterChild(hex, 9), H3Grid.CellToChildren(hex, 9)[0]);
        Assert.Equal([hex], H3Grid.CompactCells(H3Grid.CellToChildren(hex, 9)));
        Assert.Throws<ArgumentException>(() => H3Grid.CompactCells([hex, hex]));
    }

    [Fact]
    public void Grid_disk_ring_and_distance_basics()
    {
        var hex = H3Index.Parse("87283472bffffff");
        Span<H3Index> disk = stackalloc H3Index[H3Grid.MaxGridDiskSize(2)];
        Assert.Equal(19, H3Grid.GridDisk(hex, 2, disk));
        Assert.Equal(hex, disk[0]);
        Assert.Equal(12, H3Grid.GridRing(hex, 2).Length);
        foreach (var c in H3Grid.GridRing(hex, 2))
        {
            Assert.Equal(2L, H3Grid.GridDistance(hex, c));
        }

        // a pentagon has 5 neighbours; the safe fallback handles the disk
        var pent = H3Grid.GetPentagons(5)[3];
        Assert.Equal(6, H3Grid.GridDisk(pent, 1).Length);
        Assert.Equal(5, H3Grid.GridRing(pent, 1).Length);

        // different resolutions and far-apart cells fail rather than returning a wrong number
        Assert.False(H3Grid.TryGridDistance(hex, H3Grid.CellToParent(hex, 6), out _));
        Assert.Equal(-1L, H3Grid.GridDistance(hex, H3Grid.LatLngToCell(-33.9, 151.2, 7)));
    }

    [Fact]
    public void Areas_distances_and_polygon_basics()
    {
        // res-0 hexagon/pentagon areas sum to the sphere
        var total = H3Grid.GetRes0Cells().Sum(H3Grid.CellAreaKm2);
        Assert.Equal(4 * Math.PI * H3Grid.EarthRadiusKm * H3Grid.EarthRadiusKm, total, 1e-6 * total);
        Assert.Equal(111.195, H3Grid.GreatCircleDistanceKm(new LatLng(0, 0), new LatLng(1, 0)), 1e-3);
        Assert.Equal(1.406475763, H3Grid.GetHexagonEdgeLengthAvgKm(7), 1e-12);

        // a polygon around a cell's centre contains exactly that cell at that resolution
        var hex = H3Index.Parse("87283472bffffff");
        var c = H3Grid.CellToLatLng(hex);
        var d = 0.001;
        var square = new GeometryFactory().CreatePolygon(
        [
            new Coordinate(c.Lng - d, c.Lat - d), new Coordinate(c.Lng + d, c.Lat - d),
            new Coordinate(c.Lng + d, c.Lat + d), new Coordinate(c.Lng - d, c.Lat + d), new Coordinate(c.Lng - d, c.Lat - d),
        ]);
        Assert.Equal([hex], H3Grid.PolygonToCells(square, 7));
    }

    [Fact]
    public void Scalar_operations_allocate_nothing()
    {
        // Any real per-call allocation is at least 24 bytes; one-off runtime allocations (tiering, first-call
        // bookkeeping) are excluded by requiring under one byte per iteration over many iterations.
        const int Iterations = 20_000;
        var hex = H3Index.Parse("87283472bffffff");
        Span<LatLng> verts = stackalloc LatLng[10];
        Span<H3Index> disk = stackalloc H3Index[H3Grid.MaxGridDiskSize(1)];
        var checksum = 0.0;
        long allocated = 0;
        for (var pass = 0; pass < 2; pass++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Iterations; i++)
            {
                var cell = H3Grid.LatLngToCell(37.3615593 + (i * 1e-5), -122.0553238, 12);
                var ll = H3Grid.CellToLatLng(cell);
                var n = H3Grid.CellToBoundary(cell, verts);
                var parent = H3Grid.CellToParent(cell, 5);
                var k = H3Grid.GridDisk(cell, 1, disk);
                var area = H3Grid.CellAreaKm2(cell);
                var dist = H3Grid.GridDistance(cell, disk[3]);
                checksum += ll.Lat + n + parent.Resolution + k + area + dist + H3Grid.CellToCenterChild(parent, 9).Resolution;
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.True(allocated < Iterations, $"{allocated} bytes allocated in {Iterations} iterations");
        Assert.True(checksum > 0);
    }
}
