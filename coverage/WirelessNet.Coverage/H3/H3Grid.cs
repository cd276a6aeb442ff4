namespace WirelessNet.Coverage.H3;

/// <summary>
/// H3 (v4) hexagonal hierarchical geospatial indexing: a C# implementation written from the
/// published H3 algorithm description and data tables (see coverage/NOTICE).
/// Angles in the public API are degrees; scalar operations allocate nothing.
/// </summary>
public static partial class H3Grid
{
    public const int MaxResolution = 15;
    public const int BaseCellCount = 122;
    public const int PentagonCount = 12;

    /// <summary>The most vertices a cell boundary can have (pentagon with distortion vertices).</summary>
    public const int MaxBoundaryVertices = 10;

    public static bool IsValidCell(H3Index cell) => CellBits.IsValidCell(cell.Value);

    public static int GetResolution(H3Index cell) => CellBits.GetResolution(cell.Value);

    public static int GetBaseCell(H3Index cell) => CellBits.GetBaseCell(cell.Value);

    public static bool IsPentagon(H3Index cell) => CellBits.IsPentagon(cell.Value);

    public static bool IsResClassIII(H3Index cell) => H3Math.IsClassIII(CellBits.GetResolution(cell.Value));

    /// <summary>The digit (0-6, 7 if unused) of <paramref name="cell"/> at resolution <paramref name="res"/> (1-15).</summary>
    public static int GetIndexDigit(H3Index cell, int res) =>
        res is < 1 or > MaxResolution ? throw new ArgumentOutOfRangeException(nameof(res)) : CellBits.GetDigit(cell.Value, res);

    /// <summary>The cell at <paramref name="res"/> containing the point (degrees).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Resolution outside 0-15 or non-finite coordinates.</exception>
    public static H3Index LatLngToCell(double lat, double lng, int res)
    {
        if ((uint)res > MaxResolution)
        {
            throw new ArgumentOutOfRangeException(nameof(res), res, "Resolution must be 0-15.");
        }

        if (!double.IsFinite(lat) || !double.IsFinite(lng))
        {
            throw new ArgumentOutOfRangeException(nameof(lat), "Coordinates must be finite.");
        }

        return new H3Index(FaceIjk.GeoToCell(H3Math.DegreesToRadians(lat), H3Math.DegreesToRadians(lng), res));
    }

    /// <summary>The cell at <paramref name="res"/> containing the point (degrees).</summary>
    public static H3Index LatLngToCell(LatLng point, int res) => LatLngToCell(point.Lat, point.Lng, res);

    /// <summary>The cell at <paramref name="res"/> containing the point (radians); no validation.</summary>
    public static H3Index LatLngRadsToCell(double latRad, double lngRad, int res) =>
        new(FaceIjk.GeoToCell(latRad, lngRad, res));

    /// <summary>The centre of a cell, in degrees.</summary>
    public static LatLng CellToLatLng(H3Index cell)
    {
        EnsureValid(cell);
        FaceIjk.CellToGeo(cell.Value, out var lat, out var lng);
        return new LatLng(H3Math.RadiansToDegrees(lat), H3Math.RadiansToDegrees(lng));
    }

    /// <summary>
    /// Writes the boundary of a cell (degrees, counter-clockwise, with the extra distortion vertices where
    /// an edge crosses an icosahedron edge, exactly as H3) into <paramref name="vertices"/>; returns the count.
    /// </summary>
    public static int CellToBoundary(H3Index cell, Span<LatLng> vertices)
    {
        EnsureValid(cell);
        if (vertices.Length < MaxBoundaryVertices)
        {
            throw new ArgumentException($"The span must hold {MaxBoundaryVertices} vertices.", nameof(vertices));
        }

        Span<double> lats = stackalloc double[MaxBoundaryVertices];
        Span<double> lngs = stackalloc double[MaxBoundaryVertices];
        var n = FaceIjk.CellToBoundary(cell.Value, lats, lngs);
        for (var i = 0; i < n; i++)
        {
            vertices[i] = new LatLng(H3Math.RadiansToDegrees(lats[i]), H3Math.RadiansToDegrees(lngs[i]));
        }

        return n;
    }

    /// <summary>The boundary of a cell (degrees) as a new array; see <see cref="CellToBoundary(H3Index, Span{LatLng})"/>.</summary>
    public static LatLng[] CellToBoundary(H3Index cell)
    {
        Span<LatLng> vertices = stackalloc LatLng[MaxBoundaryVertices];
        var n = CellToBoundary(cell, vertices);
        return vertices[..n].ToArray();
    }

    /// <summary>All 122 resolution-0 cells in base cell order.</summary>
    public static H3Index[] GetRes0Cells()
    {
        var cells = new H3Index[BaseCellCount];
        for (var bc = 0; bc < BaseCellCount; bc++)
        {
            cells[bc] = new H3Index(CellBits.SetBaseCell(CellBits.CellInit, bc));
        }

        return cells;
    }

    /// <summary>The 12 pentagons at <paramref name="res"/>, in base cell order.</summary>
    public static H3Index[] GetPentagons(int res)
    {
        CheckRes(res);
        var cells = new H3Index[PentagonCount];
        var n = 0;
        for (var bc = 0; bc < BaseCellCount; bc++)
        {
            if (CellBits.IsBaseCellPentagon(bc))
            {
                var h = CellBits.SetResolution(CellBits.SetBaseCell(CellBits.CellInit, bc), res);
                for (var r = 1; r <= res; r++)
                {
                    h = CellBits.SetDigit(h, r, 0);
                }

                cells[n++] = new H3Index(h);
            }
        }

        return cells;
    }

    /// <summary>Number of cells at a resolution: 2 + 120 * 7^res.</summary>
    public static long GetNumCells(int res)
    {
        CheckRes(res);
        long p = 1;
        for (var i = 0; i < res; i++)
        {
            p *= 7;
        }

        return 2 + (120 * p);
    }

    private static void CheckRes(int res)
    {
        if ((uint)res > MaxResolution)
        {
            throw new ArgumentOutOfRangeException(nameof(res), res, "Resolution must be 0-15.");
        }
    }

    private static void EnsureValid(H3Index cell)
    {
        if (!CellBits.IsValidCell(cell.Value))
        {
            throw new ArgumentException($"{cell} is not a valid H3 cell.", nameof(cell));
        }
    }
}
