using WirelessNet.Coverage.Density;
using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Tests.Density;

public sealed class HexDensityMapTests
{
    // San Francisco: far from pentagons, so every hex has six neighbours.
    private static readonly H3Index Res7 = H3Grid.LatLngToCell(37.7749, -122.4194, 7);

    [Fact]
    public void An_isolated_hotspot_keeps_its_full_scale()
    {
        var cell = H3Grid.LatLngToCell(37.7749, -122.4194, 12);

        var map = HexDensityMap.Compute([cell]);

        Assert.Equal(1.0m, map.GetTransmitScale(cell));
        for (var res = 4; res <= 11; res++)
        {
            Assert.Equal(1, map.GetUnclippedCount(H3Grid.CellToParent(cell, res)));
            Assert.Equal(1, map.GetClippedCount(H3Grid.CellToParent(cell, res)));
        }
    }

    [Fact]
    public void Five_hotspots_in_one_cell_share_a_single_hotspot_worth()
    {
        // res 10: unclipped 5; occupied 1 (itself) → limit min(1, 1 × max(1, 1 − 2 + 1)) = 1 → 1/5; coarser: 1/1.
        var cell = H3Grid.LatLngToCell(37.7749, -122.4194, 12);

        var map = HexDensityMap.Compute(Enumerable.Repeat(cell, 5));

        Assert.Equal(0.2m, map.GetTransmitScale(cell));
        Assert.Equal(5, map.GetUnclippedCount(H3Grid.CellToParent(cell, 10)));
        Assert.Equal(1, map.GetClippedCount(H3Grid.CellToParent(cell, 10)));
        Assert.Equal(1, map.GetUnclippedCount(H3Grid.CellToParent(cell, 9)));
    }

    [Fact]
    public void Five_hotspots_spread_over_one_res8_hex_are_clipped_at_res8()
    {
        // Five different res-9 children of one res-8 hex: each res-9/10/11 count is 1 (max 1 is never exceeded), the res-8 hex
        // sums 5 and is limited to 1 (no occupied neighbours) → 0.2; res 7: 1 hotspot, below target 5 → 1.
        var res8 = H3Grid.CellToParent(Res7, 7) == Res7 ? H3Grid.CellToCenterChild(Res7, 8) : throw new InvalidOperationException();
        var cells = H3Grid.CellToChildren(res8, 9).Take(5).Select(c => H3Grid.CellToCenterChild(c, 12)).ToArray();

        var map = HexDensityMap.Compute(cells);

        Assert.Equal(5, map.GetUnclippedCount(res8));
        Assert.Equal(1, map.GetClippedCount(res8));
        Assert.All(cells, c => Assert.Equal(0.2m, map.GetTransmitScale(c)));
    }

    [Fact]
    public void Occupied_neighbours_raise_a_hex_limit()
    {
        // Seven hotspots in seven res-8 children of one res-7 hex: res 7 unclipped 7, target 5, N 4, max 10.
        // Alone: occupied 1 → limit 5 → 5/7 = 0.7143. With four neighbours holding 5 each (each counts as occupied):
        // occupied 5 → limit min(10, 5 × (5 − 4 + 1)) = 10 → 7/7. Res 4-6 rules are relaxed so only res 7 acts.
        var options = new HexDensityOptions(
            [new(2, 10_000, 10_000), new(4, 10_000, 10_000), new(4, 10_000, 10_000), new(4, 5, 10), new(2, 1, 1), new(2, 1, 1), new(2, 1, 1)],
            TimeSpan.FromHours(60));
        var crowded = Hotspots(Res7, 7);

        var alone = HexDensityMap.Compute(crowded, options);
        Assert.Equal(0.7143m, alone.GetTransmitScale(crowded[0]));

        var neighbours = H3Grid.GridDisk(Res7, 1).Where(c => c != Res7).Take(4).ToArray();
        var all = crowded.Concat(neighbours.SelectMany(n => Hotspots(n, 5))).ToArray();
        var together = HexDensityMap.Compute(all, options);
        Assert.Equal(1.0m, together.GetTransmitScale(crowded[0]));
        Assert.Equal(7, together.GetClippedCount(Res7));
        Assert.All(neighbours, n => Assert.Equal(5, together.GetClippedCount(n)));
    }

    [Fact]
    public void Occupied_neighbours_below_N_do_not_raise_the_limit()
    {
        // Three occupied neighbours: occupied 4 → max(1, 4 − 4 + 1) = 1 → limit 5 → 5/7.
        var options = new HexDensityOptions(
            [new(2, 10_000, 10_000), new(4, 10_000, 10_000), new(4, 10_000, 10_000), new(4, 5, 10), new(2, 1, 1), new(2, 1, 1), new(2, 1, 1)],
            TimeSpan.FromHours(60));
        var crowded = Hotspots(Res7, 7);
        var neighbours = H3Grid.GridDisk(Res7, 1).Where(c => c != Res7).Take(3);

        var map = HexDensityMap.Compute(crowded.Concat(neighbours.SelectMany(n => Hotspots(n, 5))), options);

        Assert.Equal(0.7143m, map.GetTransmitScale(crowded[0]));
    }

    [Fact]
    public void Matches_helium_oracles_hex_density_test_vector()
    {
        // helium/oracles hex_density.rs simple_scale_check: the population of res-8 hex 882830d341fffff on 2022-10-14,
        // with the HIP 17 chain variables of that implementation.
        ulong[] asserted =
        [
            631210990515536895, 631210990515536895, 631210990515536895, 631210990515537919, 631210990515537919,
            631210990515537919, 631210990515538431, 631210990515564031, 631210990515589631, 631210990515600383,
            631210990515601919, 631210990515606527, 631210990515722239, 631210990515722239, 631210990515727359,
            631210990515728895, 631210990515739647, 631210990515874303, 631210990515924479, 631210990516363775,
            631210990515987455, 631210990516590079, 631210990516612607, 631210990516613631, 631210990516640767,
            631210990516876799, 631210990516885503, 631210990516888063, 631210990516907007, 631210990516912639,
            631210990516955647, 631210990516996607, 631210990517011455, 631210990517016575, 631210990517144063,
            631210990517264895,
        ];
        var expected = new Dictionary<ulong, decimal>
        {
            [631210990515538431] = 0.0065m, [631210990515727359] = 0.0091m, [631210990515924479] = 0.0606m,
            [631210990515537919] = 0.0065m, [631210990517011455] = 0.0152m, [631210990516885503] = 0.0152m,
            [631210990516888063] = 0.0152m, [631210990516955647] = 0.0455m, [631210990515728895] = 0.0091m,
            [631210990517144063] = 0.0909m, [631210990515739647] = 0.0091m, [631210990516640767] = 0.0606m,
            [631210990515601919] = 0.0114m, [631210990516590079] = 0.0606m, [631210990517264895] = 0.0909m,
            [631210990515606527] = 0.0114m, [631210990515874303] = 0.0606m, [631210990516613631] = 0.0303m,
            [631210990515589631] = 0.0114m, [631210990515564031] = 0.0455m, [631210990516612607] = 0.0303m,
            [631210990516876799] = 0.0152m, [631210990516363775] = 0.0909m, [631210990516907007] = 0.0227m,
            [631210990516912639] = 0.0227m, [631210990515722239] = 0.0091m, [631210990516996607] = 0.0152m,
            [631210990515987455] = 0.0606m, [631210990515600383] = 0.0114m, [631210990517016575] = 0.0152m,
            [631210990515536895] = 0.0065m,
        };

        var map = HexDensityMap.Compute(asserted.Select(a => new H3Index(a)), HexDensityOptions.Hip17);

        Assert.Equal(expected, asserted.Distinct().ToDictionary(a => a, a => map.GetTransmitScale(new H3Index(a))));
    }

    [Fact]
    public void The_result_does_not_depend_on_input_order()
    {
        var random = new Random(4);
        var centre = new LatLng(37.7749, -122.4194);
        var cells = Enumerable.Range(0, 3000)
            .Select(_ => H3Grid.LatLngToCell(centre.Lat + ((random.NextDouble() - 0.5) * 0.5), centre.Lng + ((random.NextDouble() - 0.5) * 0.5), 12))
            .ToArray();
        var forward = HexDensityMap.Compute(cells);
        var backward = HexDensityMap.Compute(cells.Reverse());

        Assert.All(cells, c => Assert.Equal(forward.GetTransmitScale(c), backward.GetTransmitScale(c)));
        Assert.Contains(cells, c => forward.GetTransmitScale(c) < 1m);
    }

    [Fact]
    public void Rejects_cells_coarser_than_res_11_and_invalid_rules()
    {
        Assert.Throws<ArgumentException>(() => HexDensityMap.Compute([H3Grid.LatLngToCell(0, 0, 9)]));
        Assert.Throws<ArgumentException>(() => new HexDensityOptions(
            [new(2, 5, 4), new(4, 100, 200), new(4, 25, 50), new(4, 5, 10), new(2, 1, 1), new(2, 1, 1), new(2, 1, 1)],
            TimeSpan.FromHours(60)));
        Assert.Throws<ArgumentException>(() => new HexDensityOptions([new(2, 1, 1)], TimeSpan.FromHours(60)));
    }

    [Fact]
    public void Transmit_scales_count_only_hotspots_active_within_the_window()
    {
        var now = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var cell = H3Grid.LatLngToCell(37.7749, -122.4194, 12);
        HotspotAssertion[] hotspots =
        [
            new("a", cell, now.AddHours(-1)),
            new("b", cell, now.AddHours(-59)),
            new("c", cell, now.AddHours(-61)),
        ];

        var scales = TransmitScales.Compute(hotspots, now);

        Assert.Equal(new Dictionary<string, decimal> { ["a"] = 0.5m, ["b"] = 0.5m }, scales);
    }

    [Fact]
    public void Computes_400000_hotspots()
    {
        // Size check only (not timed); the timing is the TransmitScale benchmark (docs/PERFORMANCE.md).
        var hotspots = TransmitScaleWorkload.Create(400_000, seed: 1);
        var scales = TransmitScales.Compute(hotspots, TransmitScaleWorkload.Now);

        Assert.Equal(hotspots.Count(h => h.LastActive >= TransmitScaleWorkload.Now.AddHours(-60)), scales.Count);
        Assert.All(scales.Values, s => Assert.InRange(s, 0m, 1m));
    }

    private static H3Index[] Hotspots(H3Index res7, int count) =>
        [.. H3Grid.CellToChildren(res7, 8).Take(count).Select(c => H3Grid.CellToCenterChild(c, 12))];
}
