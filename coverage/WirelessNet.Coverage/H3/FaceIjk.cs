using System.Runtime.CompilerServices;

namespace WirelessNet.Coverage.H3;

/// <summary>Face-centred IJK addressing: conversions to and from cells, centres and boundaries.</summary>
internal static class FaceIjk
{
    private const int NoOverage = 0;
    private const int FaceEdge = 1;
    private const int NewFace = 2;

    // face quadrants in H3Tables.FaceNeighbors / AdjacentFaceDir
    private const int QuadIJ = 1;
    private const int QuadKI = 2;
    private const int QuadJK = 3;

    private const double ThreeSqrt3Over2 = 2.598076211353316;

    private static ReadOnlySpan<int> MaxDimByCIIRes => MaxDimByCIIResData;

    private static readonly int[] MaxDimByCIIResData = [2, -1, 14, -1, 98, -1, 686, -1, 4802, -1, 33614, -1, 235298, -1, 1647086, -1, 11529602];

    private static ReadOnlySpan<int> UnitScaleByCIIRes => UnitScaleByCIIResData;

    private static readonly int[] UnitScaleByCIIResData = [1, -1, 7, -1, 49, -1, 343, -1, 2401, -1, 16807, -1, 117649, -1, 823543, -1, 5764801];

    // substrate (aperture 3 x 3) vertex offsets, Class II then Class III; the first 5 serve pentagons
    private static ReadOnlySpan<int> VertsCII => VertsCIIData;

    private static readonly int[] VertsCIIData = [2, 1, 0, 1, 2, 0, 0, 2, 1, 0, 1, 2, 1, 0, 2, 2, 0, 1];

    private static ReadOnlySpan<int> VertsCIII => VertsCIIIData;

    private static readonly int[] VertsCIIIData = [5, 4, 0, 1, 5, 0, 0, 5, 4, 0, 1, 5, 4, 0, 5, 5, 0, 1];

    // ---------------------------------------------------------------- geo -> cell

    public static ulong GeoToCell(double latRad, double lngRad, int res)
    {
        H3Math.GeoToHex2d(latRad, lngRad, res, out var face, out var x, out var y);
        var ijk = CoordIjk.FromHex2d(x, y);
        return FaceIjkToCell(face, ijk, res);
    }

    /// <summary>Encodes a face/IJK address at <paramref name="res"/> as a cell; 0 if it is outside the face's base cells.</summary>
    public static ulong FaceIjkToCell(int face, CoordIjk ijk, int res)
    {
        var h = CellBits.SetResolution(CellBits.CellInit, res);
        if (res == 0)
        {
            if ((uint)ijk.I > 2 || (uint)ijk.J > 2 || (uint)ijk.K > 2)
            {
                return 0;
            }

            return CellBits.SetBaseCell(h, H3Tables.FaceIjkBaseCells[BaseCellSlot(face, ijk)]);
        }

        // walk up the resolutions recording the digit at each step
        for (var r = res - 1; r >= 0; r--)
        {
            var last = ijk;
            CoordIjk lastCenter;
            if (H3Math.IsClassIII(r + 1))
            {
                ijk.UpAp7();
                lastCenter = ijk;
                lastCenter.DownAp7();
            }
            else
            {
                ijk.UpAp7R();
                lastCenter = ijk;
                lastCenter.DownAp7R();
            }

            var diff = new CoordIjk(last.I - lastCenter.I, last.J - lastCenter.J, last.K - lastCenter.K);
            h = CellBits.SetDigit(h, r + 1, diff.ToDigit());
        }

        if ((uint)ijk.I > 2 || (uint)ijk.J > 2 || (uint)ijk.K > 2)
        {
            return 0;
        }

        var slot = BaseCellSlot(face, ijk);
        var baseCell = H3Tables.FaceIjkBaseCells[slot];
        var numRots = H3Tables.FaceIjkBaseCells[slot + 1];
        h = CellBits.SetBaseCell(h, baseCell);
        if (CellBits.IsBaseCellPentagon(baseCell))
        {
            if (CellBits.LeadingNonZeroDigit(h) == Digit.K)
            {
                h = CellBits.BaseCellIsCwOffset(baseCell, face) ? CellBits.Rotate60Cw(h) : CellBits.Rotate60Ccw(h);
            }

            for (var i = 0; i < numRots; i++)
            {
                h = CellBits.RotatePent60Ccw(h);
            }
        }
        else
        {
            for (var i = 0; i < numRots; i++)
            {
                h = CellBits.Rotate60Ccw(h);
            }
        }

        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BaseCellSlot(int face, CoordIjk ijk) => ((((face * 3) + ijk.I) * 3 + ijk.J) * 3 + ijk.K) * 2;

    // ---------------------------------------------------------------- cell -> face ijk

    /// <summary>
    /// Applies the digits of <paramref name="h"/> to <paramref name="ijk"/> (the base cell's coordinates).
    /// Returns whether the result may lie beyond the face (overage possible).
    /// </summary>
    public static bool ApplyDigits(ulong h, ref CoordIjk ijk)
    {
        var res = CellBits.GetResolution(h);
        var possibleOverage = CellBits.IsBaseCellPentagon(CellBits.GetBaseCell(h)) || (res != 0 && !ijk.IsZero);
        for (var r = 1; r <= res; r++)
        {
            if (H3Math.IsClassIII(r))
            {
                ijk.DownAp7();
            }
            else
            {
                ijk.DownAp7R();
            }

            ijk.Neighbor(CellBits.GetDigit(h, r));
        }

        return possibleOverage;
    }

    /// <summary>The face/IJK address of a valid cell, on the face that contains its centre.</summary>
    public static void CellToFaceIjk(ulong h, out int face, out CoordIjk ijk)
    {
        var baseCell = CellBits.GetBaseCell(h);
        if (CellBits.IsBaseCellPentagon(baseCell) && CellBits.LeadingNonZeroDigit(h) == Digit.IK)
        {
            h = CellBits.Rotate60Cw(h);
        }

        var data = H3Tables.BaseCellData;
        face = data[baseCell * 7];
        ijk = new CoordIjk(data[(baseCell * 7) + 1], data[(baseCell * 7) + 2], data[(baseCell * 7) + 3]);
        if (!ApplyDigits(h, ref ijk))
        {
            return;
        }

        var orig = ijk;
        var res = CellBits.GetResolution(h);
        var adjRes = res;
        if (H3Math.IsClassIII(res))
        {
            // Class II grid is needed for the overage test
            ijk.DownAp7R();
            adjRes++;
        }

        var pentLeading4 = CellBits.IsBaseCellPentagon(baseCell) && CellBits.LeadingNonZeroDigit(h) == Digit.I;
        if (AdjustOverageClassII(ref face, ref ijk, adjRes, pentLeading4, false) != NoOverage)
        {
            // a pentagon base cell may need more than one face hop
            if (CellBits.IsBaseCellPentagon(baseCell))
            {
                while (AdjustOverageClassII(ref face, ref ijk, adjRes, false, false) != NoOverage)
                {
                }
            }

            if (adjRes != res)
            {
                ijk.UpAp7R();
            }
        }
        else if (adjRes != res)
        {
            ijk = orig;
        }
    }

    /// <summary>Moves a Class II address onto the adjacent face if it lies beyond this face's edge.</summary>
    private static int AdjustOverageClassII(ref int face, ref CoordIjk ijk, int res, bool pentLeading4, bool substrate)
    {
        var overage = NoOverage;
        var maxDim = MaxDimByCIIRes[res];
        if (substrate)
        {
            maxDim *= 3;
        }

        var sum = ijk.I + ijk.J + ijk.K;
        if (substrate && sum == maxDim)
        {
            return FaceEdge;
        }

        if (sum > maxDim)
        {
            overage = NewFace;
            int quadrant;
            if (ijk.K > 0)
            {
                if (ijk.J > 0)
                {
                    quadrant = QuadJK;
                }
                else
                {
                    quadrant = QuadKI;
                    if (pentLeading4)
                    {
                        // rotate out of the deleted K sub-sequence about the face vertex
                        var tmp = new CoordIjk(ijk.I - maxDim, ijk.J, ijk.K);
                        tmp.Rotate60Cw();
                        ijk = new CoordIjk(tmp.I + maxDim, tmp.J, tmp.K);
                    }
                }
            }
            else
            {
                quadrant = QuadIJ;
            }

            var orient = H3Tables.FaceNeighbors.Slice((face * 20) + (quadrant * 5), 5);
            face = orient[0];
            for (var i = 0; i < orient[4]; i++)
            {
                ijk.Rotate60Ccw();
            }

            var unitScale = UnitScaleByCIIRes[res];
            if (substrate)
            {
                unitScale *= 3;
            }

            ijk.I += orient[1] * unitScale;
            ijk.J += orient[2] * unitScale;
            ijk.K += orient[3] * unitScale;
            ijk.Normalize();

            if (substrate && ijk.I + ijk.J + ijk.K == maxDim)
            {
                overage = FaceEdge;
            }
        }

        return overage;
    }

    // ---------------------------------------------------------------- centres and boundaries

    public static void CellToGeo(ulong h, out double lat, out double lng)
    {
        CellToFaceIjk(h, out var face, out var ijk);
        ijk.ToHex2d(out var x, out var y);
        H3Math.Hex2dToGeo(x, y, face, CellBits.GetResolution(h), false, out lat, out lng);
    }

    /// <summary>Writes the boundary vertices (radians) of a cell; returns their count (at most 10).</summary>
    public static int CellToBoundary(ulong h, Span<double> lats, Span<double> lngs)
    {
        CellToFaceIjk(h, out var face, out var ijk);
        var res = CellBits.GetResolution(h);
        return CellBits.IsPentagon(h)
            ? PentagonBoundary(face, ijk, res, lats, lngs)
            : HexagonBoundary(face, ijk, res, lats, lngs);
    }

    /// <summary>Converts a cell centre to substrate coordinates and produces the vertex addresses.</summary>
    private static void ToVerts(ref CoordIjk center, ref int adjRes, int count, Span<int> faces, Span<CoordIjk> verts, int face)
    {
        var offsets = H3Math.IsClassIII(adjRes) ? VertsCIII : VertsCII;

        // centre into the aperture 3x3 substrate grid
        center.DownAp3();
        center.DownAp3R();

        // Class III: one more clockwise aperture 7 to reach the icosahedral Class II grid
        if (H3Math.IsClassIII(adjRes))
        {
            center.DownAp7R();
            adjRes++;
        }

        for (var v = 0; v < count; v++)
        {
            faces[v] = face;
            var c = new CoordIjk(center.I + offsets[v * 3], center.J + offsets[(v * 3) + 1], center.K + offsets[(v * 3) + 2]);
            c.Normalize();
            verts[v] = c;
        }
    }

    private static void EdgeVertices(int maxDim, int dir, out double e0x, out double e0y, out double e1x, out double e1y)
    {
        double v0x = 3.0 * maxDim, v0y = 0.0;
        double v1x = -1.5 * maxDim, v1y = ThreeSqrt3Over2 * maxDim;
        double v2x = -1.5 * maxDim, v2y = -ThreeSqrt3Over2 * maxDim;
        switch (dir)
        {
            case QuadIJ:
                (e0x, e0y, e1x, e1y) = (v0x, v0y, v1x, v1y);
                break;
            case QuadJK:
                (e0x, e0y, e1x, e1y) = (v1x, v1y, v2x, v2y);
                break;
            case QuadKI:
                (e0x, e0y, e1x, e1y) = (v2x, v2y, v0x, v0y);
                break;
            default:
                throw new InvalidOperationException("Faces are not adjacent.");
        }
    }

    private static void Intersect(
        double p0x, double p0y, double p1x, double p1y, double p2x, double p2y, double p3x, double p3y, out double x, out double y)
    {
        var s1x = p1x - p0x;
        var s1y = p1y - p0y;
        var s2x = p3x - p2x;
        var s2y = p3y - p2y;
        var t = ((s2x * (p0y - p2y)) - (s2y * (p0x - p2x))) / ((-s2x * s1y) + (s1x * s2y));
        x = p0x + (t * s1x);
        y = p0y + (t * s1y);
    }

    private static int HexagonBoundary(int face, CoordIjk center, int res, Span<double> lats, Span<double> lngs)
    {
        var adjRes = res;
        Span<int> faces = stackalloc int[6];
        Span<CoordIjk> verts = stackalloc CoordIjk[6];
        ToVerts(ref center, ref adjRes, 6, faces, verts, face);

        var n = 0;
        var lastFace = -1;
        var lastOverage = NoOverage;
        var classIII = H3Math.IsClassIII(res);
        for (var vert = 0; vert < 7; vert++)
        {
            var v = vert % 6;
            var vFace = faces[v];
            var vIjk = verts[v];
            var overage = AdjustOverageClassII(ref vFace, ref vIjk, adjRes, false, true);

            // A Class III edge that crosses an icosahedron edge gets an extra vertex at the crossing.
            if (classIII && vert > 0 && vFace != lastFace && lastOverage != FaceEdge)
            {
                var lastV = (v + 5) % 6;
                verts[lastV].ToHex2d(out var o0x, out var o0y);
                verts[v].ToHex2d(out var o1x, out var o1y);
                var face2 = lastFace == face ? vFace : lastFace;
                EdgeVertices(MaxDimByCIIRes[adjRes], H3Tables.AdjacentFaceDir[(face * 20) + face2], out var e0x, out var e0y, out var e1x, out var e1y);
                Intersect(o0x, o0y, o1x, o1y, e0x, e0y, e1x, e1y, out var ix, out var iy);
                var atVertex = (Math.Abs(o0x - ix) < H3Math.FloatEpsilon && Math.Abs(o0y - iy) < H3Math.FloatEpsilon) ||
                               (Math.Abs(o1x - ix) < H3Math.FloatEpsilon && Math.Abs(o1y - iy) < H3Math.FloatEpsilon);
                if (!atVertex)
                {
                    H3Math.Hex2dToGeo(ix, iy, face, adjRes, true, out lats[n], out lngs[n]);
                    n++;
                }
            }

            if (vert < 6)
            {
                vIjk.ToHex2d(out var x, out var y);
                H3Math.Hex2dToGeo(x, y, vFace, adjRes, true, out lats[n], out lngs[n]);
                n++;
            }

            lastFace = vFace;
            lastOverage = overage;
        }

        return n;
    }

    private static int PentagonBoundary(int face, CoordIjk center, int res, Span<double> lats, Span<double> lngs)
    {
        var adjRes = res;
        Span<int> faces = stackalloc int[5];
        Span<CoordIjk> verts = stackalloc CoordIjk[5];
        ToVerts(ref center, ref adjRes, 5, faces, verts, face);

        var n = 0;
        var lastFace = 0;
        var last = default(CoordIjk);
        var classIII = H3Math.IsClassIII(res);
        for (var vert = 0; vert < 6; vert++)
        {
            var v = vert % 5;
            var vFace = faces[v];
            var vIjk = verts[v];
            while (AdjustOverageClassII(ref vFace, ref vIjk, adjRes, false, true) == NewFace)
            {
            }

            // every Class III pentagon edge crosses an icosahedron edge
            if (classIII && vert > 0)
            {
                last.ToHex2d(out var o0x, out var o0y);
                var dirToLast = H3Tables.AdjacentFaceDir[(vFace * 20) + lastFace];
                var orient = H3Tables.FaceNeighbors.Slice((vFace * 20) + (dirToLast * 5), 5);
                var tmpFace = orient[0];
                var tmp = vIjk;
                for (var i = 0; i < orient[4]; i++)
                {
                    tmp.Rotate60Ccw();
                }

                var unitScale = UnitScaleByCIIRes[adjRes] * 3;
                tmp.I += orient[1] * unitScale;
                tmp.J += orient[2] * unitScale;
                tmp.K += orient[3] * unitScale;
                tmp.Normalize();
                tmp.ToHex2d(out var o1x, out var o1y);

                EdgeVertices(MaxDimByCIIRes[adjRes], H3Tables.AdjacentFaceDir[(tmpFace * 20) + vFace], out var e0x, out var e0y, out var e1x, out var e1y);
                Intersect(o0x, o0y, o1x, o1y, e0x, e0y, e1x, e1y, out var ix, out var iy);
                H3Math.Hex2dToGeo(ix, iy, tmpFace, adjRes, true, out lats[n], out lngs[n]);
                n++;
            }

            if (vert < 5)
            {
                vIjk.ToHex2d(out var x, out var y);
                H3Math.Hex2dToGeo(x, y, vFace, adjRes, true, out lats[n], out lngs[n]);
                n++;
            }

            lastFace = vFace;
            last = vIjk;
        }

        return n;
    }
}
