using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Measured;

namespace WirelessNet.Coverage.Tests.Measured;

public sealed class CoverageAggregatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);
    private static readonly LatLng Here = new(52.3702, 4.8952);

    [Fact]
    public void Keeps_count_gateways_best_mean_and_last_seen_at_every_resolution()
    {
        var aggregator = new CoverageAggregator();
        aggregator.Add(new CoverageObservation(Here, 1, -100, 5, T0));
        aggregator.Add(new CoverageObservation(Here, 2, -110, -2, T0.AddMinutes(5)));
        aggregator.Add(new CoverageObservation(Here, 1, -90, 7.5, T0.AddMinutes(1)));

        for (var res = 8; res <= 12; res++)
        {
            // coarser statistics are roll-ups of the res-12 hex: its ancestors, not the hexes the point falls in
            Assert.True(aggregator.TryGetHex(H3Grid.CellToParent(H3Grid.LatLngToCell(Here, 12), res), out var hex));
            Assert.Equal(3, hex.Count);
            Assert.Equal(2, hex.DistinctGateways);
            Assert.True(hex.DistinctGatewaysExact);
            Assert.Equal(-90, hex.BestRssi);
            Assert.Equal(-100, hex.MeanRssi, 9);
            Assert.Equal(7.5, hex.BestSnr);
            Assert.Equal(3.5, hex.MeanSnr, 9);
            Assert.Equal(T0.AddMinutes(5), hex.LastSeen);
            Assert.Equal(res, hex.Resolution);
        }

        Assert.False(aggregator.TryGetHex(H3Grid.LatLngToCell(Here, 7), out _));
        Assert.False(aggregator.TryGetHex(H3Grid.LatLngToCell(Here, 13), out _));
        Assert.Equal(1, aggregator.HexCount(12));
    }

    [Fact]
    public void Separates_neighbouring_hexes_and_rolls_them_up()
    {
        var aggregator = new CoverageAggregator();
        var a = H3Grid.LatLngToCell(Here, 12);
        var b = H3Grid.GridDisk(a, 1).First(c => c != a && H3Grid.CellToParent(c, 11) == H3Grid.CellToParent(a, 11));
        aggregator.Add(new CoverageObservation(Here, 1, -100, 5, T0));
        aggregator.Add(new CoverageObservation(H3Grid.CellToLatLng(b), 3, -120, 1, T0));

        Assert.True(aggregator.TryGetHex(a, out var hexA));
        Assert.True(aggregator.TryGetHex(b, out var hexB));
        Assert.Equal(1, hexA.Count);
        Assert.Equal(-120, hexB.BestRssi);
        Assert.True(aggregator.TryGetHex(H3Grid.CellToParent(a, 11), out var parent));
        Assert.Equal(2, parent.Count);
        Assert.Equal(2, parent.DistinctGateways);
        Assert.Equal(-110, parent.MeanRssi, 9);
    }

    [Fact]
    public void Counts_distinct_gateways_exactly_up_to_64_then_estimates()
    {
        var aggregator = new CoverageAggregator();
        var cell = H3Grid.LatLngToCell(Here, 12);
        for (var round = 0; round < 3; round++)
        {
            for (ulong g = 1; g <= 64; g++)
            {
                aggregator.Add(new CoverageObservation(Here, 0x70B3D57ED0000000 + g, -100, 0, T0));
            }
        }

        Assert.True(aggregator.TryGetHex(cell, out var exact));
        Assert.Equal(64, exact.DistinctGateways);
        Assert.True(exact.DistinctGatewaysExact);
        Assert.Equal(192, exact.Count);

        for (ulong g = 65; g <= 1000; g++)
        {
            aggregator.Add(new CoverageObservation(Here, 0x70B3D57ED0000000 + g, -100, 0, T0));
            aggregator.Add(new CoverageObservation(Here, 0x70B3D57ED0000000 + g, -100, 0, T0));
        }

        Assert.True(aggregator.TryGetHex(cell, out var estimated));
        Assert.False(estimated.DistinctGatewaysExact);
        Assert.InRange(estimated.DistinctGateways, 800, 1200); // HyperLogLog, 256 registers: σ ≈ 6.5%
    }

    [Fact]
    public void Keeps_each_gateways_own_coverage()
    {
        var aggregator = new CoverageAggregator();
        var far = new LatLng(52.40, 4.95);
        aggregator.Add(new CoverageObservation(Here, 7, -100, 5, T0));
        aggregator.Add(new CoverageObservation(far, 7, -115, -3, T0));
        aggregator.Add(new CoverageObservation(Here, 8, -80, 9, T0));

        var coverage = aggregator.GetGatewayCoverage(7);

        Assert.Equal(2, coverage.Count);
        Assert.All(coverage, h => Assert.Equal(9, h.Resolution));
        Assert.All(coverage, h => Assert.Equal(1, h.DistinctGateways));
        Assert.Contains(coverage, h => h.Cell == H3Grid.CellToParent(H3Grid.LatLngToCell(Here, 12), 9) && h.BestRssi == -100);
        Assert.Empty(aggregator.GetGatewayCoverage(9));
    }

    [Fact]
    public void Adding_a_batch_equals_adding_one_by_one()
    {
        var random = new Random(3);
        var observations = Enumerable.Range(0, 5000)
            .Select(i => new CoverageObservation(
                i % 97 == 0 ? new LatLng(double.NaN, 0) : new LatLng(52.3 + (random.NextDouble() * 0.05), 4.85 + (random.NextDouble() * 0.08)),
                (ulong)random.Next(20),
                -130 + random.Next(60),
                -20 + random.Next(30),
                T0.AddSeconds(random.Next(10_000))))
            .ToArray();
        var batch = new CoverageAggregator();
        var single = new CoverageAggregator();

        Assert.Equal(5000 - 52, batch.Add(observations));
        foreach (var o in observations)
        {
            single.Add(o);
        }

        for (var res = 8; res <= 12; res++)
        {
            Assert.Equal(single.HexCount(res), batch.HexCount(res));
        }

        foreach (var o in observations.Where(o => double.IsFinite(o.Position.Lat)))
        {
            var cell = H3Grid.LatLngToCell(o.Position, 12);
            for (var res = 8; res <= 12; res++)
            {
                Assert.True(single.TryGetHex(H3Grid.CellToParent(cell, res), out var a));
                Assert.True(batch.TryGetHex(H3Grid.CellToParent(cell, res), out var b));
                Assert.Equal(a, b);
            }
        }

        for (ulong g = 0; g < 20; g++)
        {
            Assert.Equal(single.GetGatewayCoverage(g), batch.GetGatewayCoverage(g));
        }
    }

    [Fact]
    public void Rejects_invalid_positions()
    {
        var aggregator = new CoverageAggregator();

        Assert.False(aggregator.Add(new CoverageObservation(new LatLng(double.NaN, 0), 1, -100, 0, T0)));
        Assert.False(aggregator.Add(new CoverageObservation(new LatLng(91, 0), 1, -100, 0, T0)));
        Assert.Equal(1, aggregator.Add([new CoverageObservation(Here, 1, -100, 0, T0), new CoverageObservation(new LatLng(0, 181), 1, -100, 0, T0)]));

        Assert.Equal(3, aggregator.RejectedCount);
        Assert.Equal(1, aggregator.ObservationCount);
    }

    [Fact]
    public void Gateway_ids_from_names_are_stable()
    {
        Assert.Equal(GatewayIds.FromName("112qB3YaH5bZkCnKA5uRH7tBtGNv2Y5B4smv1jsmvGUzgKT71QpE"), GatewayIds.FromName("112qB3YaH5bZkCnKA5uRH7tBtGNv2Y5B4smv1jsmvGUzgKT71QpE"));
        Assert.Equal(0xcbf29ce484222325UL, GatewayIds.FromName(string.Empty)); // FNV-1a offset basis
        Assert.Equal(0xaf63dc4c8601ec8cUL, GatewayIds.FromName("a")); // FNV-1a 64 test vector
        Assert.True(GatewayIds.TryParse("70b3d57ed0000001", out var id));
        Assert.Equal("70b3d57ed0000001", GatewayIds.Format(id));
        Assert.False(GatewayIds.TryParse("70b3d57ed00000011", out _));
        Assert.False(GatewayIds.TryParse("xyz", out _));
    }
}
