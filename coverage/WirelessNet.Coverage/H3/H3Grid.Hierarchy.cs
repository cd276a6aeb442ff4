namespace WirelessNet.Coverage.H3;

public static partial class H3Grid
{
    /// <summary>The ancestor of <paramref name="cell"/> at <paramref name="parentRes"/> (0..cell resolution).</summary>
    public static H3Index CellToParent(H3Index cell, int parentRes)
    {
        var h = cell.Value;
        var res = CellBits.GetResolution(h);
        if ((uint)parentRes > (uint)res)
        {
            throw new ArgumentOutOfRangeException(nameof(parentRes), parentRes, "Parent resolution must be between 0 and the cell's resolution.");
        }

        var unused = (15 - parentRes) * 3;
        return new H3Index(CellBits.SetResolution(h, parentRes) | ((1UL << unused) - 1));
    }

    /// <summary>The centre child of <paramref name="cell"/> at <paramref name="childRes"/>.</summary>
    public static H3Index CellToCenterChild(H3Index cell, int childRes)
    {
        var h = cell.Value;
        var res = CellBits.GetResolution(h);
        if (childRes < res || childRes > MaxResolution)
        {
            throw new ArgumentOutOfRangeException(nameof(childRes), childRes, "Child resolution must be between the cell's resolution and 15.");
        }

        // clear the digits res+1..childRes
        var lowBits = (15 - childRes) * 3;
        var highBits = (15 - res) * 3;
        var clear = ((1UL << highBits) - 1) & ~((1UL << lowBits) - 1);
        return new H3Index(CellBits.SetResolution(h, childRes) & ~clear);
    }

    /// <summary>How many children <paramref name="cell"/> has at <paramref name="childRes"/>.</summary>
    public static long CellToChildrenCount(H3Index cell, int childRes)
    {
        var res = CellBits.GetResolution(cell.Value);
        if (childRes < res || childRes > MaxResolution)
        {
            throw new ArgumentOutOfRangeException(nameof(childRes), childRes, "Child resolution must be between the cell's resolution and 15.");
        }

        long n = 1;
        for (var i = res; i < childRes; i++)
        {
            n *= 7;
        }

        return CellBits.IsPentagon(cell.Value) ? 1 + (5 * (n - 1) / 6) : n;
    }

    /// <summary>Writes the children of <paramref name="cell"/> at <paramref name="childRes"/> in ascending order; returns the count.</summary>
    public static int CellToChildren(H3Index cell, int childRes, Span<H3Index> children)
    {
        var count = CellToChildrenCount(cell, childRes);
        if (children.Length < count)
        {
            throw new ArgumentException($"The span must hold {count} cells.", nameof(children));
        }

        var n = 0;
        var it = new ChildIterator(cell.Value, childRes);
        while (it.MoveNext())
        {
            children[n++] = new H3Index(it.Current);
        }

        return n;
    }

    /// <summary>The children of <paramref name="cell"/> at <paramref name="childRes"/> in ascending order.</summary>
    public static H3Index[] CellToChildren(H3Index cell, int childRes)
    {
        var result = new H3Index[checked((int)CellToChildrenCount(cell, childRes))];
        CellToChildren(cell, childRes, result);
        return result;
    }

    /// <summary>Lazily enumerates the children of <paramref name="cell"/> at <paramref name="childRes"/>.</summary>
    public static IEnumerable<H3Index> EnumerateChildren(H3Index cell, int childRes)
    {
        _ = CellToChildrenCount(cell, childRes); // validates
        return Enumerate(cell.Value, childRes);

        static IEnumerable<H3Index> Enumerate(ulong h, int childRes)
        {
            var it = new ChildIterator(h, childRes);
            while (it.MoveNext())
            {
                yield return new H3Index(it.Current);
            }
        }
    }

    /// <summary>
    /// Replaces every complete set of siblings by their parent, repeatedly; the result is in ascending order.
    /// Like H3, all input cells must share one resolution. Duplicate input cells are rejected (H3 only detects
    /// duplicates when they overfill a sibling set, and otherwise passes them through).
    /// </summary>
    public static H3Index[] CompactCells(ReadOnlySpan<H3Index> cells)
    {
        var current = new HashSet<ulong>(cells.Length);
        var maxRes = cells.IsEmpty ? 0 : CellBits.GetResolution(cells[0].Value);
        foreach (var c in cells)
        {
            if (CellBits.GetResolution(c.Value) != maxRes)
            {
                throw new ArgumentException("All cells to compact must have the same resolution.", nameof(cells));
            }

            if (!current.Add(c.Value))
            {
                throw new ArgumentException($"Duplicate cell {c} in compact input.", nameof(cells));
            }
        }

        var result = new List<H3Index>(cells.Length);
        for (var res = maxRes; res >= 1; res--)
        {
            var byParent = new Dictionary<ulong, int>();
            foreach (var h in current)
            {
                if (CellBits.GetResolution(h) == res)
                {
                    var p = CellToParent(new H3Index(h), res - 1).Value;
                    byParent[p] = byParent.GetValueOrDefault(p) + 1;
                }
            }

            var next = new HashSet<ulong>();
            foreach (var h in current)
            {
                if (CellBits.GetResolution(h) != res)
                {
                    next.Add(h);
                    continue;
                }

                var p = CellToParent(new H3Index(h), res - 1).Value;
                var full = CellBits.IsPentagon(p) ? 6 : 7;
                if (byParent[p] == full)
                {
                    next.Add(p);
                }
                else
                {
                    result.Add(new H3Index(h));
                }
            }

            current = next;
        }

        foreach (var h in current)
        {
            result.Add(new H3Index(h));
        }

        result.Sort();
        return [.. result];
    }

    /// <summary>Expands every cell to its children at <paramref name="res"/>.</summary>
    public static H3Index[] UncompactCells(ReadOnlySpan<H3Index> cells, int res)
    {
        CheckRes(res);
        long total = 0;
        foreach (var c in cells)
        {
            if (CellBits.GetResolution(c.Value) > res)
            {
                throw new ArgumentException($"{c} is finer than resolution {res}.", nameof(cells));
            }

            total += CellToChildrenCount(c, res);
        }

        var result = new H3Index[checked((int)total)];
        var n = 0;
        foreach (var c in cells)
        {
            n += CellToChildren(c, res, result.AsSpan(n));
        }

        return result;
    }

    /// <summary>Odometer over the child digits, skipping a pentagon's deleted K sub-sequence.</summary>
    private struct ChildIterator
    {
        private readonly int _parentRes;
        private readonly int _childRes;
        private readonly bool _pentagon;
        private ulong _next;
        private bool _done;

        public ChildIterator(ulong parent, int childRes)
        {
            _parentRes = CellBits.GetResolution(parent);
            _childRes = childRes;
            _pentagon = CellBits.IsPentagon(parent);
            _next = CellToCenterChild(new H3Index(parent), childRes).Value;
            _done = false;
            Current = 0;
        }

        public ulong Current { get; private set; }

        public bool MoveNext()
        {
            if (_done)
            {
                return false;
            }

            Current = _next;

            // advance: increment the finest digit, carrying upwards
            var h = _next;
            var pos = _childRes;
            while (true)
            {
                if (pos <= _parentRes)
                {
                    _done = true;
                    break;
                }

                var d = CellBits.GetDigit(h, pos) + 1;
                if (d == 7)
                {
                    h = CellBits.SetDigit(h, pos, 0);
                    pos--;
                    continue;
                }

                h = CellBits.SetDigit(h, pos, d);
                if (_pentagon && d == Digit.K && LeadingChildDigitsZero(h, pos))
                {
                    // the K branch of a pentagon does not exist: skip it
                    continue;
                }

                _next = h;
                break;
            }

            return true;
        }

        private readonly bool LeadingChildDigitsZero(ulong h, int pos)
        {
            for (var r = _parentRes + 1; r < pos; r++)
            {
                if (CellBits.GetDigit(h, r) != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
