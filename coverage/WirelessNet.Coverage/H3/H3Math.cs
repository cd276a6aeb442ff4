using System.Runtime.CompilerServices;

namespace WirelessNet.Coverage.H3;

/// <summary>
/// Projection between the sphere and the face-centred hex grids of the icosahedron
/// (gnomonic projection per face, aperture-7 scaling per resolution, Class III rotation).
/// </summary>
internal static class H3Math
{
    public const double Sqrt3Over2 = 0.8660254037844386;
    public const double InvSin60 = 1.1547005383792515;
    public const double OneThird = 0.3333333333333333;
    public const double TwoThirds = 0.6666666666666666;
    public const double Sqrt7 = 2.6457513110645907;
    public const double InvSqrt7 = 0.37796447300922725;

    /// <summary>Gnomonic unit length of a resolution 0 hex (Class II).</summary>
    public const double Res0UGnomonic = 0.381966011250105;
    public const double InvRes0UGnomonic = 2.618033988749896;

    /// <summary>Rotation between Class II and Class III grids (asin(sqrt(3/28))).</summary>
    public const double Ap7RotRads = 0.3334731722518321;
    public const double TwoPi = 6.283185307179586;
    public const double Epsilon = 1e-16;
    public const double FloatEpsilon = 1.1920928955078125e-7;
    public const double EarthRadiusKm = 6371.007180918475;

    public const int NumBaseCells = 122;
    public const int MaxResolution = 15;

    /// <summary>Per face: the unit "north" tangent vector at the face centre (x, y, z).</summary>
    private static readonly double[] FaceNorth = BuildFaceNorth();

    private static double[] BuildFaceNorth()
    {
        var centers = H3Tables.FaceCenterPoint;
        var north = new double[60];
        for (var f = 0; f < 20; f++)
        {
            var cx = centers[f * 3];
            var cy = centers[(f * 3) + 1];
            var cz = centers[(f * 3) + 2];

            // project the pole axis (0, 0, 1) onto the tangent plane at the centre
            var p = -(cz + ((cx * 0.0) + (cy * 0.0)));
            var nx = (cx * p) + 0.0;
            var ny = (cy * p) + 0.0;
            var nz = (cz * p) + 1.0;
            var len = Math.Sqrt((nz * nz) + ((nx * nx) + (ny * ny)));
            var inv = len > 0.0 ? 1.0 / len : 0.0;
            north[f * 3] = nx * inv;
            north[(f * 3) + 1] = ny * inv;
            north[(f * 3) + 2] = nz * inv;
        }

        return north;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsClassIII(int res) => (res & 1) == 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double PosAngle(double a)
    {
        var tmp = a < 0.0 ? a + TwoPi : a;
        return a >= TwoPi ? tmp - TwoPi : tmp;
    }

    public static double DegreesToRadians(double degrees) => degrees * Math.PI / 180.0;

    public static double RadiansToDegrees(double radians) => radians * 180.0 / Math.PI;

    /// <summary>Finds the face and hex2d position (at <paramref name="res"/>) of a point given in radians.</summary>
    public static void GeoToHex2d(double lat, double lng, int res, out int face, out double x, out double y)
    {
        var cosLat = Math.Cos(lat);
        var px = cosLat * Math.Cos(lng);
        var py = cosLat * Math.Sin(lng);
        var pz = Math.Sin(lat);
        Vec3ToHex2d(px, py, pz, res, out face, out x, out y);
    }

    public static void Vec3ToHex2d(double px, double py, double pz, int res, out int face, out double x, out double y)
    {
        var centers = H3Tables.FaceCenterPoint;
        face = 0;
        var sqd = 5.0;
        for (var f = 0; f < 20; f++)
        {
            var dx = centers[f * 3] - px;
            var dy = centers[(f * 3) + 1] - py;
            var dz = centers[(f * 3) + 2] - pz;
            var d = (dx * dx) + (dy * dy) + (dz * dz);
            if (d < sqd)
            {
                face = f;
                sqd = d;
            }
        }

        var r = Math.Acos(1.0 - (sqd * 0.5));
        if (r < Epsilon)
        {
            x = 0.0;
            y = 0.0;
            return;
        }

        var cx = centers[face * 3];
        var cy = centers[(face * 3) + 1];
        var cz = centers[(face * 3) + 2];
        var north = FaceNorth;
        var nx = north[face * 3];
        var ny = north[(face * 3) + 1];
        var nz = north[(face * 3) + 2];

        // direction of the point in the tangent plane at the face centre
        var e = -((px * cx) + (py * cy) + (pz * cz));
        var tx = px + (cx * e);
        var ty = py + (cy * e);
        var tz = pz + (cz * e);
        var len = Math.Sqrt((tz * tz) + ((tx * tx) + (ty * ty)));
        var inv = len > 0.0 ? 1.0 / len : 0.0;
        tx *= inv;
        ty *= inv;
        tz *= inv;

        var sinAz = (tz * ((cy * nx) - (cx * ny))) + ((tx * ((cz * ny) - (cy * nz))) + (ty * ((cx * nz) - (cz * nx))));
        var cosAz = (nz * tz) + ((nx * tx) + (ny * ty));
        var theta = PosAngle(H3Tables.FaceAxesAzRadsCII[face * 3] - PosAngle(Math.Atan2(sinAz, cosAz)));
        if (IsClassIII(res))
        {
            theta = PosAngle(theta + -Ap7RotRads);
        }

        var rr = Math.Tan(r) * InvRes0UGnomonic;
        for (var i = 0; i < res; i++)
        {
            rr *= Sqrt7;
        }

        x = Math.Cos(theta) * rr;
        y = Math.Sin(theta) * rr;
    }

    /// <summary>The point (radians) of a hex2d position on a face; substrate grids are the 3x finer vertex grids.</summary>
    public static void Hex2dToGeo(double x, double y, int face, int res, bool substrate, out double lat, out double lng)
    {
        var centers = H3Tables.FaceCenterPoint;
        var cx = centers[face * 3];
        var cy = centers[(face * 3) + 1];
        var cz = centers[(face * 3) + 2];
        var r = Math.Sqrt((x * x) + (y * y));
        if (r < Epsilon)
        {
            lat = Math.Asin(cz);
            lng = Math.Atan2(cy, cx);
            return;
        }

        var theta = Math.Atan2(y, x);
        for (var i = 0; i < res; i++)
        {
            r *= InvSqrt7;
        }

        if (substrate)
        {
            var third = r * OneThird;
            r = Math.Atan((IsClassIII(res) ? third * InvSqrt7 : third) * Res0UGnomonic);
        }
        else
        {
            r = Math.Atan(r * Res0UGnomonic);
            if (IsClassIII(res))
            {
                theta = PosAngle(theta + Ap7RotRads);
            }
        }

        var az = PosAngle(H3Tables.FaceAxesAzRadsCII[face * 3] - theta);
        var north = FaceNorth;
        var nx = north[face * 3];
        var ny = north[(face * 3) + 1];
        var nz = north[(face * 3) + 2];
        var cosAz = Math.Cos(az);
        var sinAz = Math.Sin(az);
        var cosR = Math.Cos(r);
        var sinR = Math.Sin(r);
        var px = (cosR * cx) + (sinR * ((cosAz * nx) + (sinAz * ((cz * ny) - (cy * nz)))));
        var py = (cosR * cy) + (sinR * ((cosAz * ny) + (sinAz * ((cx * nz) - (cz * nx)))));
        var pz = (cosR * cz) + (sinR * ((cosAz * nz) + (sinAz * ((cy * nx) - (cx * ny)))));
        var len = Math.Sqrt((pz * pz) + ((px * px) + (py * py)));
        var inv = len > 0.0 ? 1.0 / len : 0.0;
        lat = Math.Asin(pz * inv);
        lng = Math.Atan2(py * inv, px * inv);
    }
}
