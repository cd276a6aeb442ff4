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
    public static H3Index[] PolygonToCells(Polygon polygon, int res) => PolygonToCells(polygon, res, interiorShortcut: true);

    /// <param name="interiorShortcut">False tests every candidate centre (the tests compare both paths).</param>
    internal static H3Index[] PolygonToCells(Polygon polygon, int res, bool interiorShortcut)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        CheckRes(res);
        if (polygon.IsEmpty)
        {
            return [];
        }

        var shape = GeoPolygon.From(polygon, interiorShortcut);
        if (shape.Outer.Count == 0)
        {
            return [];
        }

        var result = new List<H3Index>();
        var baseCells = BaseCellCaps.Instance;
        for (var bc = 0; bc < BaseCellCount; bc++)
        {
            var cell = CellBits.SetBaseCell(CellBits.CellInit, bc);
            if (res == 0)
            {
                Descend(cell, res, shape, result);
            }
            else
            {
                // the 122 base cell centres and radii are cached: computing them costs ~0.15 ms per call otherwise
                DescendFrom(cell, baseCells.Lat[bc], baseCells.Lng[bc], baseCells.Radius[bc], res, shape, result);
            }
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

        DescendFrom(cell, lat, lng, MaxCircumradiusRads[res], targetRes, shape, result);
    }

    /// <summary>
    /// An upper bound of the circumradius (radians) of any cell at each resolution: the largest found over 300,000 random
    /// cells per resolution plus the neighbourhoods of all base cells and pentagons, plus 2%. Cells vary by a factor of
    /// ~1.5; using the bound instead of each cell's own boundary (~0.9 µs) only widens the search margin a little.
    /// </summary>
    private static readonly double[] MaxCircumradiusRads =
    [
        0.2214, 8.483e-2, 3.213e-2, 1.2145e-2, 4.591e-3, 1.7351e-3, 6.558e-4, 2.4787e-4,
        9.369e-5, 3.5410e-5, 1.3384e-5, 5.0586e-6, 1.9120e-6, 7.2265e-7, 2.7314e-7, 1.0324e-7,
    ];

    private static void DescendFrom(ulong cell, double lat, double lng, double circumradius, int targetRes, GeoPolygon shape, List<H3Index> result)
    {
        // Centres of all descendants lie within ~1.05 circumradii of this centre (children within ~0.66, each further
        // level adding a factor of 1/√7); 2 is a safe margin. One level above the target only the children's centres
        // matter, so 1 circumradius is still a 1.5× margin (there only from resolution 4 on, where cells are small enough
        // for the projection's distortion across a cell to be negligible).
        var res = CellBits.GetResolution(cell);
        var reach = (res == targetRes - 1 && res >= 4 ? 1.0 : 2.0) * circumradius;
        if (!shape.Outer.Box.IntersectsCap(lat, lng, reach))
        {
            return;
        }

        // When that whole cap lies inside the polygon, every descendant centre does too: emit them without testing
        // each one (a cell centre costs ~0.25 µs; this makes the interior of a large polygon nearly free).
        if (shape.ContainsCap(lat, lng, reach))
        {
            var all = new ChildIterator(cell, targetRes);
            while (all.MoveNext())
            {
                result.Add(new H3Index(all.Current));
            }

            return;
        }

        var it = new ChildIterator(cell, res + 1);
        while (it.MoveNext())
        {
            Descend(it.Current, targetRes, shape, result);
        }
    }

    /// <summary>Centres and circumradii (radians) of the 122 base cells, computed once.</summary>
    private sealed class BaseCellCaps
    {
        private BaseCellCaps()
        {
            for (var bc = 0; bc < BaseCellCount; bc++)
            {
                var cell = CellBits.SetBaseCell(CellBits.CellInit, bc);
                FaceIjk.CellToGeo(cell, out Lat[bc], out Lng[bc]);
                Radius[bc] = CircumradiusRads(cell, Lat[bc], Lng[bc]);
            }
        }

        public static BaseCellCaps Instance { get; } = new();

        public double[] Lat { get; } = new double[BaseCellCount];

        public double[] Lng { get; } = new double[BaseCellCount];

        public double[] Radius { get; } = new double[BaseCellCount];
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

        /// <summary>
        /// Whether any edge of the loop touches the lat/lng rectangle (radians). Only for loops that do not cross the
        /// antimeridian.
        /// </summary>
        public bool AnyEdgeTouches(double south, double north, double west, double east)
        {
            var box = Box;
            if (box.North < south || box.South > north || box.East < west || box.West > east)
            {
                return false;
            }

            for (var i = 0; i < Count; i++)
            {
                var j = i + 1 == Count ? 0 : i + 1;
                if (SegmentTouchesRectangle(Lat[i], Lng[i], Lat[j], Lng[j], south, north, west, east))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Liang–Barsky clipping of segment a→b against the rectangle (boundary counts as touching).</summary>
        private static bool SegmentTouchesRectangle(
            double aLat, double aLng, double bLat, double bLng, double south, double north, double west, double east)
        {
            double t0 = 0.0, t1 = 1.0;
            var dLat = bLat - aLat;
            var dLng = bLng - aLng;
            return Clip(-dLng, aLng - west, ref t0, ref t1) &&
                   Clip(dLng, east - aLng, ref t0, ref t1) &&
                   Clip(-dLat, aLat - south, ref t0, ref t1) &&
                   Clip(dLat, north - aLat, ref t0, ref t1);

            static bool Clip(double p, double q, ref double t0, ref double t1)
            {
                if (p == 0.0)
                {
                    return q >= 0.0;
                }

                var r = q / p;
                if (p < 0.0)
                {
                    if (r > t1)
                    {
                        return false;
                    }

                    if (r > t0)
                    {
                        t0 = r;
                    }
                }
                else
                {
                    if (r < t0)
                    {
                        return false;
                    }

                    if (r < t1)
                    {
                        t1 = r;
                    }
                }

                return true;
            }
        }

        private static double Normalize(double lng, bool transmeridian) =>
            transmeridian && lng < 0.0 ? lng + H3Math.TwoPi : lng;
    }

    private const double DblEpsilon = 2.220446049250313e-16;

    private sealed class GeoPolygon
    {
        private readonly bool _shortcutDisabled;

        private GeoPolygon(GeoLoop outer, GeoLoop[] holes, bool interiorShortcut)
        {
            Outer = outer;
            Holes = holes;
            _shortcutDisabled = !interiorShortcut || outer.Box.IsTransmeridian || Array.Exists(holes, h => h.Box.IsTransmeridian);
        }

        public GeoLoop Outer { get; }

        public GeoLoop[] Holes { get; }

        public static GeoPolygon From(Polygon polygon, bool interiorShortcut)
        {
            var holes = new GeoLoop[polygon.NumInteriorRings];
            for (var i = 0; i < holes.Length; i++)
            {
                holes[i] = new GeoLoop(polygon.GetInteriorRingN(i).Coordinates);
            }

            return new GeoPolygon(new GeoLoop(polygon.ExteriorRing.Coordinates), holes, interiorShortcut);
        }

        /// <summary>
        /// Whether every point of the spherical cap lies inside the polygon: the cap's lat/lng bounding rectangle
        /// (slightly enlarged, so H3's epsilon tie-breaks cannot matter) meets no edge of any loop and its centre is
        /// inside. Conservative: false for antimeridian-crossing loops and caps reaching a pole or the antimeridian.
        /// </summary>
        public bool ContainsCap(double lat, double lng, double radius)
        {
            if (_shortcutDisabled)
            {
                return false;
            }

            const double Margin = 1e-9;
            var south = lat - radius - Margin;
            var north = lat + radius + Margin;
            if (south <= -Math.PI / 2 || north >= Math.PI / 2)
            {
                return false;
            }

            var s = Math.Sin(radius) / Math.Cos(lat);
            if (s >= 1.0)
            {
                return false;
            }

            var half = Math.Asin(s) + Margin;
            var west = lng - half;
            var east = lng + half;
            var outer = Outer.Box;
            if (west <= -Math.PI || east >= Math.PI ||
                south <= outer.South || north >= outer.North || west <= outer.West || east >= outer.East)
            {
                return false;
            }

            if (Outer.AnyEdgeTouches(south, north, west, east))
            {
                return false;
            }

            foreach (var hole in Holes)
            {
                if (hole.AnyEdgeTouches(south, north, west, east))
                {
                    return false;
                }
            }

            return Contains(lat, lng);
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
