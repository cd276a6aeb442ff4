using BenchmarkDotNet.Attributes;
using NetTopologySuite.Geometries;
using WirelessNet.Coverage.H3;

namespace WirelessNet.Benchmarks.Coverage;

/// <summary>
/// The H3 operations the coverage domain leans on, over random inputs (fixed seed) so that branch prediction and
/// caches see a realistic spread of faces and base cells. Scalar benchmarks walk <see cref="Count"/> inputs per
/// invocation and report the per-operation time; the C reference figures are H3 4.5.0 on the same machine.
/// </summary>
[MemoryDiagnoser]
public class H3GridBenchmarks
{
    private const int Count = 1024;

    private readonly LatLng[] _points = new LatLng[Count];
    private readonly H3Index[] _cells12 = new H3Index[Count];
    private readonly H3Index[] _cells9 = new H3Index[Count];
    private readonly H3Index[] _distanceTargets = new H3Index[Count];
    private readonly LatLng[] _boundary = new LatLng[H3Grid.MaxBoundaryVertices];
    private readonly H3Index[] _disk1 = new H3Index[H3Grid.MaxGridDiskSize(1)];
    private readonly H3Index[] _disk10 = new H3Index[H3Grid.MaxGridDiskSize(10)];
    private readonly Polygon[] _polygons = new Polygon[8];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(17);
        var far = new H3Index[H3Grid.MaxGridDiskSize(10)];
        for (var i = 0; i < Count; i++)
        {
            // uniform on the sphere: latitude from asin of a uniform value
            var lat = Math.Asin((random.NextDouble() * 2) - 1) * 180 / Math.PI;
            var lng = (random.NextDouble() * 360) - 180;
            _points[i] = new LatLng(lat, lng);
            _cells12[i] = H3Grid.LatLngToCell(lat, lng, 12);
            _cells9[i] = H3Grid.LatLngToCell(lat, lng, 9);
            var n = H3Grid.GridDisk(_cells9[i], 10, far);
            _distanceTargets[i] = far[random.Next(n)];
        }

        var factory = new GeometryFactory();
        for (var p = 0; p < _polygons.Length; p++)
        {
            // a ~10 km wide octagon around a random mid-latitude centre
            var lat = (random.NextDouble() * 120) - 60;
            var lng = (random.NextDouble() * 360) - 180;
            const double RadiusKm = 5.0;
            var ring = new Coordinate[9];
            for (var v = 0; v < 8; v++)
            {
                var angle = v * Math.PI / 4;
                var dLat = RadiusKm / 111.2 * Math.Sin(angle);
                var dLng = RadiusKm / (111.2 * Math.Cos(lat * Math.PI / 180)) * Math.Cos(angle);
                ring[v] = new Coordinate(lng + dLng, lat + dLat);
            }

            ring[8] = ring[0];
            _polygons[p] = factory.CreatePolygon(ring);
        }
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "LatLngToCell res 12")]
    public ulong LatLngToCell()
    {
        ulong acc = 0;
        foreach (var p in _points)
        {
            acc ^= H3Grid.LatLngToCell(p, 12).Value;
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "CellToLatLng")]
    public double CellToLatLng()
    {
        var acc = 0.0;
        foreach (var c in _cells12)
        {
            acc += H3Grid.CellToLatLng(c).Lat;
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "CellToBoundary")]
    public int CellToBoundary()
    {
        var acc = 0;
        var boundary = _boundary.AsSpan();
        foreach (var c in _cells12)
        {
            acc += H3Grid.CellToBoundary(c, boundary);
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "CellToParent (12 -> 7)")]
    public ulong CellToParent()
    {
        ulong acc = 0;
        foreach (var c in _cells12)
        {
            acc ^= H3Grid.CellToParent(c, 7).Value;
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "GridDisk k=1")]
    public int GridDisk1()
    {
        var acc = 0;
        var output = _disk1.AsSpan();
        foreach (var c in _cells12)
        {
            acc += H3Grid.GridDisk(c, 1, output);
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "GridDisk k=10")]
    public int GridDisk10()
    {
        var acc = 0;
        var output = _disk10.AsSpan();
        foreach (var c in _cells12)
        {
            acc += H3Grid.GridDisk(c, 10, output);
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "GridDistance (res 9, <= 10 apart)")]
    public long GridDistance()
    {
        long acc = 0;
        for (var i = 0; i < Count; i++)
        {
            acc += H3Grid.GridDistance(_cells9[i], _distanceTargets[i]);
        }

        return acc;
    }

    [Benchmark(Description = "PolygonToCells ~10 km octagon, res 9")]
    public int PolygonToCells()
    {
        var polygon = _polygons[_next++ & (_polygons.Length - 1)];
        return H3Grid.PolygonToCells(polygon, 9).Length;
    }
}
