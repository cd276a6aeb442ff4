namespace WirelessNet.Coverage.H3;

public static partial class H3Grid
{
    // ring walk: the six directions followed around a ring, starting after one step in I
    private static ReadOnlySpan<byte> RingDirections => [Digit.J, Digit.JK, Digit.K, Digit.IK, Digit.I, Digit.IJ];

    // [digit * 7 + dir]: digit after moving one step in dir, at Class II resolutions (ccw parent)
    private static ReadOnlySpan<byte> NewDigitII =>
    [
        0, 1, 2, 3, 4, 5, 6,
        1, 4, 3, 6, 5, 2, 0,
        2, 3, 1, 4, 6, 0, 5,
        3, 6, 4, 5, 0, 1, 2,
        4, 5, 6, 0, 2, 3, 1,
        5, 2, 0, 1, 3, 6, 4,
        6, 0, 5, 2, 1, 4, 3,
    ];

    // [digit * 7 + dir]: carry direction into the parent resolution
    private static ReadOnlySpan<byte> NewAdjustmentII =>
    [
        0, 0, 0, 0, 0, 0, 0,
        0, 1, 0, 1, 0, 5, 0,
        0, 0, 2, 3, 0, 0, 2,
        0, 1, 3, 3, 0, 0, 0,
        0, 0, 0, 0, 4, 4, 6,
        0, 5, 0, 0, 4, 5, 0,
        0, 0, 2, 0, 6, 0, 6,
    ];

    private static ReadOnlySpan<byte> NewDigitIII =>
    [
        0, 1, 2, 3, 4, 5, 6,
        1, 2, 3, 4, 5, 6, 0,
        2, 3, 4, 5, 6, 0, 1,
        3, 4, 5, 6, 0, 1, 2,
        4, 5, 6, 0, 1, 2, 3,
        5, 6, 0, 1, 2, 3, 4,
        6, 0, 1, 2, 3, 4, 5,
    ];

    private static ReadOnlySpan<byte> NewAdjustmentIII =>
    [
        0, 0, 0, 0, 0, 0, 0,
        0, 1, 0, 3, 0, 1, 0,
        0, 0, 2, 2, 0, 0, 6,
        0, 3, 2, 3, 0, 0, 0,
        0, 0, 0, 0, 4, 5, 4,
        0, 1, 0, 0, 5, 5, 0,
        0, 0, 6, 0, 4, 0, 6,
    ];

    // [from * 7 + to] rotations when unfolding across a pentagon; -1 where undefined
    private static ReadOnlySpan<sbyte> PentagonRotations =>
    [
        0, -1, 0, 0, 0, 0, 0,
        -1, -1, -1, -1, -1, -1, -1,
        0, -1, 0, 0, 0, 1, 0,
        0, -1, 0, 0, 1, 1, 0,
        0, -1, 0, 5, 0, 0, 0,
        0, -1, 5, 5, 0, 0, 0,
        0, -1, 0, 0, 0, 0, 0,
    ];

    // [from * 7 + to] unfoldings across a pentagon that H3 does not support
    private static ReadOnlySpan<byte> FailedDirections =>
    [
        0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 1, 1, 0,
        0, 0, 0, 0, 1, 0, 1,
        0, 0, 1, 1, 0, 0, 0,
        0, 0, 1, 0, 0, 0, 1,
        0, 0, 0, 1, 0, 1, 0,
    ];

    /// <summary>Cells in a disk of radius <paramref name="k"/>: 3k(k+1)+1.</summary>
    public static int MaxGridDiskSize(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return checked((3 * k * (k + 1)) + 1);
    }

    /// <summary>
    /// The neighbour of a cell in direction <paramref name="dir"/> (1-6), tracking the number of ccw rotations
    /// picked up when crossing base cells. Returns false where H3 fails (the deleted K direction of a pentagon).
    /// </summary>
    internal static bool TryNeighbor(ulong origin, int dir, ref int rotations, out ulong result)
    {
        result = 0;
        var current = origin;
        if (rotations >= 6)
        {
            rotations %= 6;
        }

        for (var i = 0; i < rotations; i++)
        {
            dir = Digit.Rotate60Ccw(dir);
        }

        var newRotations = 0;
        var oldBaseCell = CellBits.GetBaseCell(current);
        if (oldBaseCell >= H3Math.NumBaseCells)
        {
            return false;
        }

        var r = CellBits.GetResolution(current) - 1;
        while (true)
        {
            if (r == -1)
            {
                var nb = H3Tables.BaseCellNeighbors[(oldBaseCell * 7) + dir];
                newRotations = H3Tables.BaseCellNeighbor60CcwRots[(oldBaseCell * 7) + dir];
                if (nb == CellBits.InvalidBaseCell)
                {
                    // the deleted K vertex at base cell level: this edge borders the IK neighbour
                    nb = H3Tables.BaseCellNeighbors[(oldBaseCell * 7) + Digit.IK];
                    newRotations = H3Tables.BaseCellNeighbor60CcwRots[(oldBaseCell * 7) + Digit.IK];
                    current = CellBits.Rotate60Ccw(CellBits.SetBaseCell(current, nb));
                    rotations++;
                }
                else
                {
                    current = CellBits.SetBaseCell(current, nb);
                }

                break;
            }

            var oldDigit = CellBits.GetDigit(current, r + 1);
            if (oldDigit == Digit.Invalid)
            {
                return false;
            }

            int nextDir;
            if (H3Math.IsClassIII(r + 1))
            {
                current = CellBits.SetDigit(current, r + 1, NewDigitII[(oldDigit * 7) + dir]);
                nextDir = NewAdjustmentII[(oldDigit * 7) + dir];
            }
            else
            {
                current = CellBits.SetDigit(current, r + 1, NewDigitIII[(oldDigit * 7) + dir]);
                nextDir = NewAdjustmentIII[(oldDigit * 7) + dir];
            }

            if (nextDir == Digit.Center)
            {
                break;
            }

            dir = nextDir;
            r--;
        }

        var newBaseCell = CellBits.GetBaseCell(current);
        if (CellBits.IsBaseCellPentagon(newBaseCell))
        {
            var alreadyAdjustedK = false;
            if (CellBits.LeadingNonZeroDigit(current) == Digit.K)
            {
                if (oldBaseCell != newBaseCell)
                {
                    // entered the deleted K sub-sequence from a neighbouring base cell
                    current = CellBits.BaseCellIsCwOffset(newBaseCell, CellBits.BaseCellHomeFace(oldBaseCell))
                        ? CellBits.Rotate60Cw(current)
                        : CellBits.Rotate60Ccw(current);
                    alreadyAdjustedK = true;
                }
                else
                {
                    // entered the deleted K sub-sequence from within the same pentagon base cell
                    switch (CellBits.LeadingNonZeroDigit(origin))
                    {
                        case Digit.JK:
                            current = CellBits.Rotate60Ccw(current);
                            rotations++;
                            break;
                        case Digit.IK:
                            current = CellBits.Rotate60Cw(current);
                            rotations += 5;
                            break;
                        default:
                            return false;
                    }
                }
            }

            for (var i = 0; i < newRotations; i++)
            {
                current = CellBits.RotatePent60Ccw(current);
            }

            if (oldBaseCell != newBaseCell)
            {
                if (CellBits.IsBaseCellPolarPentagon(newBaseCell))
                {
                    // polar pentagons have all I neighbours
                    if (oldBaseCell != 118 && oldBaseCell != 8 && CellBits.LeadingNonZeroDigit(current) != Digit.JK)
                    {
                        rotations++;
                    }
                }
                else if (CellBits.LeadingNonZeroDigit(current) == Digit.IK && !alreadyAdjustedK)
                {
                    rotations++;
                }
            }
        }
        else
        {
            for (var i = 0; i < newRotations; i++)
            {
                current = CellBits.Rotate60Ccw(current);
            }
        }

        rotations += newRotations;
        if (rotations >= 6)
        {
            rotations %= 6;
        }

        result = current;
        return true;
    }

    /// <summary>
    /// Writes all cells within <paramref name="k"/> steps of <paramref name="origin"/> into <paramref name="output"/>
    /// (length at least <see cref="MaxGridDiskSize"/>); returns the count. Uses the fast ring walk and falls back to a
    /// breadth-first traversal near pentagons, like H3's gridDisk.
    /// </summary>
    public static int GridDisk(H3Index origin, int k, Span<H3Index> output)
    {
        var max = MaxGridDiskSize(k);
        if (output.Length < max)
        {
            throw new ArgumentException($"The span must hold {max} cells.", nameof(output));
        }

        EnsureValid(origin);
        if (TryGridDiskUnsafe(origin.Value, k, output))
        {
            return max;
        }

        return GridDiskBreadthFirst(origin.Value, k, output, null);
    }

    /// <summary>All cells within <paramref name="k"/> steps of <paramref name="origin"/>.</summary>
    public static H3Index[] GridDisk(H3Index origin, int k)
    {
        var buffer = new H3Index[MaxGridDiskSize(k)];
        var n = GridDisk(origin, k, buffer);
        return n == buffer.Length ? buffer : buffer[..n];
    }

    private static bool TryGridDiskUnsafe(ulong origin, int k, Span<H3Index> output)
    {
        output[0] = new H3Index(origin);
        if (k == 0)
        {
            return true;
        }

        if (CellBits.IsPentagon(origin))
        {
            return false;
        }

        var idx = 1;
        var rotations = 0;
        for (var ring = 1; ring <= k; ring++)
        {
            if (!TryNeighbor(origin, Digit.I, ref rotations, out origin) || CellBits.IsPentagon(origin))
            {
                return false;
            }

            for (var direction = 0; direction < 6; direction++)
            {
                for (var i = 0; i < ring; i++)
                {
                    if (!TryNeighbor(origin, RingDirections[direction], ref rotations, out origin))
                    {
                        return false;
                    }

                    output[idx++] = new H3Index(origin);
                    if (CellBits.IsPentagon(origin))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    /// <summary>Breadth-first disk; optionally records each cell's distance. Returns the count.</summary>
    private static int GridDiskBreadthFirst(ulong origin, int k, Span<H3Index> output, Span<int> distances)
    {
        HashSet<ulong>? seen = k > 6 ? [origin] : null;
        output[0] = new H3Index(origin);
        if (!distances.IsEmpty)
        {
            distances[0] = 0;
        }

        var count = 1;
        var layerStart = 0;
        for (var dist = 1; dist <= k; dist++)
        {
            var layerEnd = count;
            for (var q = layerStart; q < layerEnd; q++)
            {
                var cell = output[q].Value;
                for (var dir = Digit.K; dir <= Digit.IJ; dir++)
                {
                    var rotations = 0;
                    if (!TryNeighbor(cell, dir, ref rotations, out var nb))
                    {
                        continue;
                    }

                    var isNew = seen?.Add(nb) ?? !Contains(output[..count], nb);
                    if (isNew)
                    {
                        if (!distances.IsEmpty)
                        {
                            distances[count] = dist;
                        }

                        output[count++] = new H3Index(nb);
                    }
                }
            }

            layerStart = layerEnd;
        }

        return count;

        static bool Contains(ReadOnlySpan<H3Index> cells, ulong h)
        {
            foreach (var c in cells)
            {
                if (c.Value == h)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The cells exactly <paramref name="k"/> steps from <paramref name="origin"/> (pentagon-safe).</summary>
    public static H3Index[] GridRing(H3Index origin, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        EnsureValid(origin);
        var ringSize = k == 0 ? 1 : 6 * k;
        var ring = new H3Index[ringSize];
        if (TryGridRingUnsafe(origin.Value, k, ring))
        {
            return ring;
        }

        var disk = new H3Index[MaxGridDiskSize(k)];
        var distances = new int[disk.Length];
        var n = GridDiskBreadthFirst(origin.Value, k, disk, distances);
        var result = new List<H3Index>(ringSize);
        for (var i = 0; i < n; i++)
        {
            if (distances[i] == k)
            {
                result.Add(disk[i]);
            }
        }

        return [.. result];
    }

    private static bool TryGridRingUnsafe(ulong origin, int k, Span<H3Index> output)
    {
        if (k == 0)
        {
            output[0] = new H3Index(origin);
            return true;
        }

        if (CellBits.IsPentagon(origin))
        {
            return false;
        }

        var rotations = 0;
        for (var ring = 0; ring < k; ring++)
        {
            if (!TryNeighbor(origin, Digit.I, ref rotations, out origin) || CellBits.IsPentagon(origin))
            {
                return false;
            }
        }

        var lastIndex = origin;
        var idx = 0;
        output[idx++] = new H3Index(origin);
        for (var direction = 0; direction < 6; direction++)
        {
            for (var pos = 0; pos < k; pos++)
            {
                if (!TryNeighbor(origin, RingDirections[direction], ref rotations, out origin))
                {
                    return false;
                }

                // the very last step returns to the start, already written
                if (pos != k - 1 || direction != 5)
                {
                    output[idx++] = new H3Index(origin);
                    if (CellBits.IsPentagon(origin))
                    {
                        return false;
                    }
                }
            }
        }

        return lastIndex == origin;
    }

    /// <summary>
    /// The grid distance between two cells of the same resolution, or false where H3 cannot compute it
    /// (different resolutions, cells too far apart, or unfolding across pentagon distortion).
    /// </summary>
    public static bool TryGridDistance(H3Index origin, H3Index destination, out long distance)
    {
        distance = -1;
        if (!CellBits.IsValidCell(origin.Value) || !CellBits.IsValidCell(destination.Value) ||
            !TryCellToLocalIjk(origin.Value, origin.Value, out var a) ||
            !TryCellToLocalIjk(origin.Value, destination.Value, out var b))
        {
            return false;
        }

        distance = CoordIjk.Distance(a, b);
        return true;
    }

    /// <summary>The grid distance, or -1 where H3 fails (see <see cref="TryGridDistance"/>).</summary>
    public static long GridDistance(H3Index origin, H3Index destination) =>
        TryGridDistance(origin, destination, out var d) ? d : -1;

    private static int BaseCellDirection(int originBaseCell, int neighborBaseCell)
    {
        for (var dir = Digit.Center; dir < Digit.Invalid; dir++)
        {
            if (H3Tables.BaseCellNeighbors[(originBaseCell * 7) + dir] == neighborBaseCell)
            {
                return dir;
            }
        }

        return Digit.Invalid;
    }

    /// <summary>IJK coordinates of <paramref name="h"/> in the frame of <paramref name="origin"/>'s base cell.</summary>
    internal static bool TryCellToLocalIjk(ulong origin, ulong h, out CoordIjk ijk)
    {
        ijk = default;
        var res = CellBits.GetResolution(origin);
        if (res != CellBits.GetResolution(h))
        {
            return false;
        }

        var originBaseCell = CellBits.GetBaseCell(origin);
        var baseCell = CellBits.GetBaseCell(h);
        var dir = Digit.Center;
        var revDir = Digit.Center;
        if (originBaseCell != baseCell)
        {
            dir = BaseCellDirection(originBaseCell, baseCell);
            if (dir == Digit.Invalid)
            {
                // not neighbouring base cells: cannot unfold
                return false;
            }

            revDir = BaseCellDirection(baseCell, originBaseCell);
            if (revDir == Digit.Invalid)
            {
                return false;
            }
        }

        var originOnPent = CellBits.IsBaseCellPentagon(originBaseCell);
        var indexOnPent = CellBits.IsBaseCellPentagon(baseCell);
        if (dir != Digit.Center)
        {
            // undo the rotation into the neighbouring base cell
            var baseCellRotations = H3Tables.BaseCellNeighbor60CcwRots[(originBaseCell * 7) + dir];
            for (var i = 0; i < baseCellRotations; i++)
            {
                if (indexOnPent)
                {
                    h = CellBits.RotatePent60Cw(h);
                    revDir = Digit.Rotate60Cw(revDir);
                    if (revDir == Digit.K)
                    {
                        revDir = Digit.Rotate60Cw(revDir);
                    }
                }
                else
                {
                    h = CellBits.Rotate60Cw(h);
                    revDir = Digit.Rotate60Cw(revDir);
                }
            }
        }

        var coord = default(CoordIjk);
        FaceIjk.ApplyDigits(h, ref coord);

        if (dir != Digit.Center)
        {
            var pentagonRotations = 0;
            var directionRotations = 0;
            if (originOnPent)
            {
                var originLeading = CellBits.LeadingNonZeroDigit(origin);
                if (FailedDirections[(originLeading * 7) + dir] != 0)
                {
                    return false;
                }

                directionRotations = PentagonRotations[(originLeading * 7) + dir];
                pentagonRotations = directionRotations;
            }
            else if (indexOnPent)
            {
                var indexLeading = CellBits.LeadingNonZeroDigit(h);
                if (FailedDirections[(indexLeading * 7) + revDir] != 0)
                {
                    return false;
                }

                pentagonRotations = PentagonRotations[(revDir * 7) + indexLeading];
            }

            if (pentagonRotations < 0 || directionRotations < 0)
            {
                return false;
            }

            for (var i = 0; i < pentagonRotations; i++)
            {
                coord.Rotate60Cw();
            }

            var offset = default(CoordIjk);
            offset.Neighbor(dir);
            for (var r = res - 1; r >= 0; r--)
            {
                if (H3Math.IsClassIII(r + 1))
                {
                    offset.DownAp7();
                }
                else
                {
                    offset.DownAp7R();
                }
            }

            for (var i = 0; i < directionRotations; i++)
            {
                offset.Rotate60Cw();
            }

            coord.Add(offset);
            coord.Normalize();
        }
        else if (originOnPent && indexOnPent)
        {
            var originLeading = CellBits.LeadingNonZeroDigit(origin);
            var indexLeading = CellBits.LeadingNonZeroDigit(h);
            if (FailedDirections[(originLeading * 7) + indexLeading] != 0)
            {
                return false;
            }

            var withinPentagonRotations = PentagonRotations[(originLeading * 7) + indexLeading];
            if (withinPentagonRotations < 0)
            {
                return false;
            }

            for (var i = 0; i < withinPentagonRotations; i++)
            {
                coord.Rotate60Cw();
            }
        }

        ijk = coord;
        return true;
    }
}
