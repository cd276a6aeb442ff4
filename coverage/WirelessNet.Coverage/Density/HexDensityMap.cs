using System.Runtime.InteropServices;
using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Density;

/// <summary>
/// Hex densities and transmit scales (HIP 17, as modified by HIP 104) of a set of asserted hotspot locations.
/// Immutable once computed; safe to read from many threads.
/// </summary>
/// <remarks>
/// Counts roll up from resolution 11 to 4: a hex's unclipped count is the sum of its children's clipped counts; its clipped
/// count is min(limit, unclipped), the limit depending on how many hexes of its 1-ring (itself included) are occupied
/// (clipped count ≥ target). A hotspot's transmit scale is the product of clipped/unclipped over its ancestors, rounded to
/// 4 decimals (half to even, like rust_decimal's round_dp in helium/oracles). See docs/coverage.md.
/// </remarks>
public sealed class HexDensityMap
{
    private const int AssertedResolution = 12;
    private const int CountResolution = 11;
    private const int ScalePrecision = 4;

    // per resolution 4..11: cell -> counts
    private readonly Dictionary<ulong, HexCounts>[] _levels;
    private readonly Dictionary<ulong, decimal> _scaleByRes11 = [];

    private HexDensityMap(Dictionary<ulong, HexCounts>[] levels) => _levels = levels;

    /// <summary>Number of distinct resolution-11 hexes holding at least one hotspot.</summary>
    public int OccupiedRes11Hexes => _levels[CountResolution].Count;

    /// <summary>
    /// Computes densities for the asserted locations (one entry per hotspot; several hotspots may share a cell).
    /// Cells must be resolution 11 or finer (resolution 12 is the asserted resolution); finer cells count in their
    /// resolution-11 parent.
    /// </summary>
    public static HexDensityMap Compute(IEnumerable<H3Index> assertedCells, HexDensityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(assertedCells);
        options ??= HexDensityOptions.Hip104;

        var levels = new Dictionary<ulong, HexCounts>[CountResolution + 1];
        for (var res = HexDensityOptions.CoarsestRuleResolution; res <= CountResolution; res++)
        {
            levels[res] = [];
        }

        var res11 = levels[CountResolution];
        foreach (var cell in assertedCells)
        {
            ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(res11, Res11Parent(cell), out _);
            counts.Unclipped++;
            counts.Clipped++;
        }

        Span<H3Index> ring = stackalloc H3Index[H3Grid.MaxGridDiskSize(1)];
        for (var res = HexDensityOptions.FinestRuleResolution; res >= HexDensityOptions.CoarsestRuleResolution; res--)
        {
            var level = levels[res];
            foreach (var (child, childCounts) in levels[res + 1])
            {
                var parent = H3Grid.CellToParent(new H3Index(child), res).Value;
                CollectionsMarshal.GetValueRefOrAddDefault(level, parent, out _).Unclipped += childCounts.Clipped;
            }

            // "Occupied" is decided on unclipped counts. Helium's implementation (helium/oracles hex_density.rs) reads the
            // neighbours' clipped counts while it is still writing them, in hash order; but clipped = min(limit, unclipped)
            // with limit >= target, so clipped >= target exactly when unclipped >= target, and the order cannot matter.
            var rule = options.RuleFor(res);
            foreach (var cell in level.Keys)
            {
                var n = H3Grid.GridDisk(new H3Index(cell), 1, ring);
                var occupied = 0;
                for (var i = 0; i < n; i++)
                {
                    if (level.TryGetValue(ring[i].Value, out var neighbour) && neighbour.Unclipped >= rule.Target)
                    {
                        occupied++;
                    }
                }

                ref var counts = ref CollectionsMarshal.GetValueRefOrNullRef(level, cell);
                counts.Clipped = Math.Min(rule.Limit(occupied), counts.Unclipped);
            }
        }

        return new HexDensityMap(levels);
    }

    /// <summary>The transmit scale (0-1, 4 decimals) of a hotspot asserted at <paramref name="assertedCell"/>; 1 for a location that was not part of the input.</summary>
    public decimal GetTransmitScale(H3Index assertedCell)
    {
        var res11 = Res11Parent(assertedCell);
        lock (_scaleByRes11)
        {
            if (_scaleByRes11.TryGetValue(res11, out var cached))
            {
                return cached;
            }
        }

        // Same order and arithmetic as helium/oracles: finest ancestor first, exact decimal ratios, then rounding.
        var scale = 1m;
        for (var res = CountResolution; res >= HexDensityOptions.CoarsestRuleResolution; res--)
        {
            var ancestor = H3Grid.CellToParent(new H3Index(res11), res).Value;
            if (_levels[res].TryGetValue(ancestor, out var counts) && counts.Unclipped > 0)
            {
                scale *= (decimal)counts.Clipped / counts.Unclipped;
            }
        }

        scale = Math.Round(scale, ScalePrecision, MidpointRounding.ToEven);
        lock (_scaleByRes11)
        {
            _scaleByRes11[res11] = scale;
        }

        return scale;
    }

    /// <summary>The unclipped count of a hex of resolution 4-11 (0 where no hotspot is).</summary>
    public long GetUnclippedCount(H3Index cell) => TryGetCounts(cell, out var counts) ? counts.Unclipped : 0;

    /// <summary>The clipped count of a hex of resolution 4-11 (0 where no hotspot is).</summary>
    public long GetClippedCount(H3Index cell) => TryGetCounts(cell, out var counts) ? counts.Clipped : 0;

    private bool TryGetCounts(H3Index cell, out HexCounts counts)
    {
        var res = cell.Resolution;
        if (res is < HexDensityOptions.CoarsestRuleResolution or > CountResolution)
        {
            throw new ArgumentOutOfRangeException(nameof(cell), cell, "Density counts exist for resolutions 4-11.");
        }

        return _levels[res].TryGetValue(cell.Value, out counts);
    }

    private static ulong Res11Parent(H3Index cell)
    {
        if (!H3Grid.IsValidCell(cell) || cell.Resolution < CountResolution)
        {
            throw new ArgumentException(
                $"{cell} is not a valid cell of resolution {CountResolution} or finer (hotspots assert resolution-{AssertedResolution} cells).",
                nameof(cell));
        }

        return H3Grid.CellToParent(cell, CountResolution).Value;
    }

    private struct HexCounts
    {
        public long Unclipped;
        public long Clipped;
    }
}
