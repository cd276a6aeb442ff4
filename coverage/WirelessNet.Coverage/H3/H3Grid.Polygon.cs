using NetTopologySuite.Geometries;

namespace WirelessNet.Coverage.H3;

public static partial class H3Grid
{
    /// <summary>
    /// All cells at <paramref name="res"/> whose centre lies inside <paramref name="polygon"/> (holes excluded),
    /// in ascending order. Coordinates are X = longitude, Y = latitude in degrees; the closing vertex of each ring is
    /// dropped. Containment follows H3 v4 exactly (ray casting in lat/lng with H3's tie-breaking); a ring with an edge
    /// spanning more than 180° of longitude is treated as crossing the antimeridian. Polygons containing a pole are not
    /// supported (as in H3).
    /// </summary>
    public static H3Index[] PolygonToCells(Polygon polygon, int res)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        CheckRes(res);
        if (polygon.IsEmpty)
        {
            return [];
        }

        var shape = GeoPolygon.From(polygon);
        if (shape.Outer.Count == 0)
        {
            return [];
        }

        var result = new List<H3Index>();
        for (var bc = 0; bc < BaseCellCount; bc++)
        {
            Descend(CellBits.SetBaseCell(CellBits.CellInit, bc), res, shape, result);
        }

        result.Sort();
        return [.. result];
    }

    /// <summary>Union of <see cref="PolygonToCells(Polygon, int)"/> over the parts, in ascending order.</summary>
    public static H3Index[] PolygonToCells(MultiPolygon multiPolygon, int res)
    {
        ArgumentNullException.ThrowIfNull(multiPolygon);
        var set = new SortedSet<H3Index>();
        foreach (var geometry in multiPolygon.Geometries)
        {
            set.UnionWith(PolygonToCells((Polygon)geometry, res));
        }

        return [.. set];
    }

    private static void Descend(ulong cell, int targetRes, GeoPolygon shape, List<H3Index> result)
    {
        FaceIjk.CellToGeo(cell, out var lat, out var lng);
        var res = CellBits.GetResolution(cell);
        if (res == targetRes)
        {
            if (shape.Contains(lat, lng))
            {
                result.Add(new H3Index(cell));
            }

            return;
        }

        // Centres of all descendants lie within ~1.05 circumradii of this centre; 2 is a safe margin.
        if (!shape.Outer.Box.IntersectsCap(lat, lng, 2.0 * CircumradiusRads(cell, lat, lng)))
        {
            return;
        }

        var it = new ChildIterator(cell, res + 1);
        while (it.MoveNext())
        {
            Descend(it.Current, targetRes, shape, result);
        }
    }

    private static double CircumradiusRads(ulong cell, double lat, double lng)
    {
        Span<double> lats = stackalloc double[MaxBoundaryVertices];
        Span<double> lngs = stackalloc double[MaxBoundaryVertices];
        var n = FaceIjk.CellToBoundary(cell, lats, lngs);
        var max = 0.0;
        for (var i = 0; i < n; i++)
        {
            max = Math.Max(max, GreatCircleDistanceRads(lat, lng, lats[i], lngs[i]));
        }

        return max;
    }

    /// <summary>H3's bounding box of a loop (radians); east &lt; west when it crosses the antimeridian.</summary>
    private readonly record struct GeoBox(double North, double South, double East, double West)
    {
        public bool IsTransmeridian => East < West;

        public bool Contains(double lat, double lng) =>
            lat >= South && lat <= North &&
            (IsTransmeridian ? lng >= West || lng <= East : lng >= West && lng <= East);

        /// <summary>Whether a spherical cap can touch this box (conservative).</summary>
        public bool IntersectsCap(double lat, double lng, double radius)
        {
            if (lat + radius < South || lat - radius > North)
            {
                return false;
            }

            if (lat + radius >= Math.PI / 2 || lat - radius <= -Math.PI / 2)
            {
                return true;
            }

            var s = Math.Sin(radius) / Math.Cos(lat);
            if (s >= 1.0)
            {
                return true;
            }

            var half = Math.Asin(s);
            var west = West;
            var east = IsTransmeridian ? East + H3Math.TwoPi : East;
            for (var k = -1; k <= 1; k++)
            {
                var offset = k * H3Math.TwoPi;
                if (lng - half + offset <= east && lng + half + offset >= west)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class GeoLoop
    {
        public GeoLoop(Coordinate[] ring)
        {
            var n = ring.Length;
            if (n > 1 && ring[0].Equals2D(ring[n - 1]))
            {
                n--;
            }

            Lat = new double[n];
            Lng = new double[n];
            for (var i = 0; i < n; i++)
            {
                Lat[i] = H3Math.DegreesToRadians(ring[i].Y);
                Lng[i] = H3Math.DegreesToRadians(ring[i].X);
            }

            Box = ComputeBox();
        }

        public double[] Lat { get; }

        public double[] Lng { get; }

        public int Count => Lat.Length;

        public GeoBox Box { get; }

        private GeoBox ComputeBox()
        {
            if (Count == 0)
            {
                return default;
            }

            double south = double.MaxValue, west = double.MaxValue, north = -double.MaxValue, east = -double.MaxValue;
            double minPosLng = double.MaxValue, maxNegLng = -double.MaxValue;
            var transmeridian = false;
            for (var i = 0; i < Count; i++)
            {
                var lat = Lat[i];
                var lng = Lng[i];
                var nextLng = Lng[(i + 1) % Count];
                south = Math.Min(south, lat);
                west = Math.Min(west, lng);
                north = Math.Max(north, lat);
                east = Math.Max(east, lng);
                if (lng > 0 && lng < minPosLng)
                {
                    minPosLng = lng;
                }

                if (lng < 0 && lng > maxNegLng)
                {
                    maxNegLng = lng;
                }

                if (Math.Abs(lng - nextLng) > Math.PI)
                {
                    transmeridian = true;
                }
            }

            return transmeridian ? new GeoBox(north, south, maxNegLng, minPosLng) : new GeoBox(north, south, east, west);
        }

        /// <summary>H3's ray-casting containment test (with its epsilon tie-breaks).</summary>
        public bool Contains(double lat, double lng)
        {
            var box = Box;
            if (!box.Contains(lat, lng))
            {
                return false;
            }

            var tm = box.IsTransmeridian;
            lng = Normalize(lng, tm);
            var contains = false;
            for (var i = 0; i < Count; i++)
            {
                var j = (i + 1) % Count;
                double aLat = Lat[i], aLng = Lng[i], bLat = Lat[j], bLng = Lng[j];
                if (aLat > bLat)
                {
                    (aLat, aLng, bLat, bLng) = (bLat, bLng, aLat, aLng);
                }

                if (lat == aLat || lat == bLat)
                {
                    lat += DblEpsilon;
                }

                if (lat < aLat || lat > bLat)
                {
                    continue;
                }

                aLng = Normalize(aLng, tm);
                bLng = Normalize(bLng, tm);
                if (aLng == lng || bLng == lng)
                {
                    lng -= DblEpsilon;
                }

                var ratio = (lat - aLat) / (bLat - aLat);
                var testLng = Normalize(aLng + ((bLng - aLng) * ratio), tm);
                if (testLng > lng)
                {
                    contains = !contains;
                }
            }

            return contains;
        }

        private static double Normalize(double lng, bool transmeridian) =>
            transmeridian && lng < 0.0 ? lng + H3Math.TwoPi : lng;
    }

    private const double DblEpsilon = 2.220446049250313e-16;

    private sealed class GeoPolygon
    {
        private GeoPolygon(GeoLoop outer, GeoLoop[] holes)
        {
            Outer = outer;
            Holes = holes;
        }

        public GeoLoop Outer { get; }

        public GeoLoop[] Holes { get; }

        public static GeoPolygon From(Polygon polygon)
        {
            var holes = new GeoLoop[polygon.NumInteriorRings];
            for (var i = 0; i < holes.Length; i++)
            {
                holes[i] = new GeoLoop(polygon.GetInteriorRingN(i).Coordinates);
            }

            return new GeoPolygon(new GeoLoop(polygon.ExteriorRing.Coordinates), holes);
        }

        public bool Contains(double lat, double lng)
        {
            if (!Outer.Contains(lat, lng))
            {
                return false;
            }

            foreach (var hole in Holes)
            {
                if (hole.Contains(lat, lng))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
