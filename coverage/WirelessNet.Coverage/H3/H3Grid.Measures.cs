namespace WirelessNet.Coverage.H3;

public static partial class H3Grid
{
    /// <summary>Mean radius of H3's authalic sphere, km.</summary>
    public const double EarthRadiusKm = H3Math.EarthRadiusKm;

    private static ReadOnlySpan<double> HexAreaAvgKm2 => HexAreaAvgKm2Data;

    private static readonly double[] HexAreaAvgKm2Data =
    [
        4357449.416078383, 609788.4417941332, 86801.7803989972, 12393.43465508816,
        1770.347654491307, 252.9038581819449, 36.12906216441245, 5.161293359717191,
        0.7373275975944177, 0.1053325134272067, 0.01504750190766435, 0.002149643129451879,
        0.000307091875631606, 0.00004387026794728296, 0.000006267181135324313, 8.95311590760579e-7,
    ];

    private static ReadOnlySpan<double> HexEdgeLengthAvgKm => HexEdgeLengthAvgKmData;

    private static readonly double[] HexEdgeLengthAvgKmData =
    [
        1281.256011, 483.0568391, 182.5129565, 68.97922179,
        26.07175968, 9.85409099, 3.724532667, 1.406475763,
        0.53141401, 0.200786148, 0.075863783, 0.028663897,
        0.010830188, 0.00409201, 0.0015461, 0.000584169,
    ];

    private static ReadOnlySpan<double> HexAreaAvgM2 => HexAreaAvgM2Data;

    private static readonly double[] HexAreaAvgM2Data =
    [
        4357449416078.39, 609788441794.1339, 86801780398.99731, 12393434655.08818,
        1770347654.491309, 252903858.1819452, 36129062.1644125, 5161293.359717198,
        737327.5975944188, 105332.5134272069, 15047.50190766437, 2149.643129451882,
        307.0918756316063, 43.87026794728301, 6.267181135324322, 0.8953115907605802,
    ];

    private static ReadOnlySpan<double> HexEdgeLengthAvgM => HexEdgeLengthAvgMData;

    private static readonly double[] HexEdgeLengthAvgMData =
    [
        1281256.011, 483056.8391, 182512.9565, 68979.22179,
        26071.75968, 9854.09099, 3724.532667, 1406.475763,
        531.4140101, 200.7861476, 75.86378287, 28.66389748,
        10.83018784, 4.092010473, 1.546099657, 0.58416863,
    ];

    /// <summary>Average hexagon area at a resolution, km² (H3's published table).</summary>
    public static double GetHexagonAreaAvgKm2(int res)
    {
        CheckRes(res);
        return HexAreaAvgKm2[res];
    }

    /// <summary>Average hexagon area at a resolution, m².</summary>
    public static double GetHexagonAreaAvgM2(int res)
    {
        CheckRes(res);
        return HexAreaAvgM2[res];
    }

    /// <summary>Average hexagon edge length at a resolution, km (H3's published table).</summary>
    public static double GetHexagonEdgeLengthAvgKm(int res)
    {
        CheckRes(res);
        return HexEdgeLengthAvgKm[res];
    }

    /// <summary>Average hexagon edge length at a resolution, m.</summary>
    public static double GetHexagonEdgeLengthAvgM(int res)
    {
        CheckRes(res);
        return HexEdgeLengthAvgM[res];
    }

    /// <summary>Great-circle (haversine) distance in radians between two points given in radians.</summary>
    public static double GreatCircleDistanceRads(double lat1, double lng1, double lat2, double lng2)
    {
        var sinLat = Math.Sin((lat2 - lat1) * 0.5);
        var sinLng = Math.Sin((lng2 - lng1) * 0.5);
        var a = (sinLat * sinLat) + (Math.Cos(lat1) * Math.Cos(lat2) * sinLng * sinLng);
        return 2.0 * Math.Atan2(Math.Sqrt(a), Math.Sqrt(1.0 - a));
    }

    /// <summary>Great-circle distance in km between two points (degrees).</summary>
    public static double GreatCircleDistanceKm(LatLng a, LatLng b) =>
        GreatCircleDistanceRads(
            H3Math.DegreesToRadians(a.Lat), H3Math.DegreesToRadians(a.Lng),
            H3Math.DegreesToRadians(b.Lat), H3Math.DegreesToRadians(b.Lng)) * EarthRadiusKm;

    /// <summary>Great-circle distance in m between two points (degrees).</summary>
    public static double GreatCircleDistanceM(LatLng a, LatLng b) => GreatCircleDistanceKm(a, b) * 1000.0;

    /// <summary>Exact area of a cell on the unit sphere (steradians), from its boundary as H3 computes it.</summary>
    public static double CellAreaRads2(H3Index cell)
    {
        EnsureValid(cell);
        Span<double> lats = stackalloc double[MaxBoundaryVertices];
        Span<double> lngs = stackalloc double[MaxBoundaryVertices];
        var n = FaceIjk.CellToBoundary(cell.Value, lats, lngs);

        // signed spherical polygon area from edge contributions (H3's formula), Kahan-summed;
        // edges crossing the antimeridian use the wrapped longitude step, which keeps full precision
        double sum = 0.0, comp = 0.0;
        for (var i = 0; i < n; i++)
        {
            var j = (i + 1) % n;
            var a = (lats[i] * 0.5) + (Math.PI / 4);
            var b = (lats[j] * 0.5) + (Math.PI / 4);
            var sinProd = Math.Sin(a) * Math.Sin(b);
            var dLng = lngs[j] - lngs[i];
            if (dLng > Math.PI)
            {
                dLng -= 2 * Math.PI;
            }
            else if (dLng < -Math.PI)
            {
                dLng += 2 * Math.PI;
            }
            var term = Math.Atan2(Math.Sin(dLng) * sinProd, (Math.Cos(a) * Math.Cos(b)) + (Math.Cos(dLng) * sinProd)) * -2.0;
            var y = term - comp;
            var t = sum + y;
            comp = t - sum - y;
            sum = t;
        }

        return sum < 0.0 ? sum + ((4 * Math.PI) - comp) : sum;
    }

    /// <summary>Exact area of a cell in km².</summary>
    public static double CellAreaKm2(H3Index cell) => CellAreaRads2(cell) * EarthRadiusKm * EarthRadiusKm;

    /// <summary>Exact area of a cell in m².</summary>
    public static double CellAreaM2(H3Index cell) => CellAreaKm2(cell) * 1000.0 * 1000.0;
}
