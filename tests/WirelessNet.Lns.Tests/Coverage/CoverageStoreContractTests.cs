using WirelessNet.Coverage.Geo;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Measured;

namespace WirelessNet.Lns.Tests.Coverage;

/// <summary>
/// What every <see cref="ICoverageStore"/> must do, run against the in-memory and the Redis store: the coverage API and
/// map answer the same whichever store a deployment uses.
/// </summary>
public abstract class CoverageStoreContractTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    // Brandenburger Tor, and a point ~3 km away (other hexes at every kept resolution).
    private static readonly LatLng Here = new(52.5163, 13.3777);
    private static readonly LatLng There = new(52.5300, 13.4200);

    /// <summary>A store with no data from other tests.</summary>
    protected abstract ICoverageStore Store { get; }

    /// <summary>
    /// A second handle on <see cref="Store"/>'s data for concurrent writing: another server instance (its own connection)
    /// where the store is shared, the same object where it lives in one process.
    /// </summary>
    protected abstract Task<ICoverageStore> OtherWriterAsync();

    /// <summary>
    /// The hex an observation at <paramref name="position"/> is counted in: its finest (resolution-12) hex and that hex's
    /// H3 ancestors, which near an edge differ from the coarse hex the point itself lies in.
    /// </summary>
    protected static H3Index Hex(LatLng position, int res) => H3Grid.CellToParent(H3Grid.LatLngToCell(position, 12), res);

    [Fact]
    public async Task Nothing_recorded_means_no_hex_no_hotspot_and_no_hotspot_coverage()
    {
        var cell = Hex(Here, 12);

        Assert.Equal((8, 12), Store.Resolutions);
        Assert.Null(await Store.GetHexAsync(cell, None));
        Assert.Empty(await Store.GetHexesAsync([cell, H3Grid.CellToParent(cell, 9)], None));
        Assert.Null(await Store.GetHotspotAsync(0xc001, None));
        Assert.Empty(await Store.GetHotspotCoverageAsync(0xc001, None));
    }

    [Fact]
    public async Task An_uplink_heard_by_three_gateways_counts_three_receptions_from_three_gateways_at_every_resolution()
    {
        await Store.AddObservationsAsync(
            new CoverageObservation[]
            {
                new(Here, 0xc001, -97, 1.5, T0),
                new(Here, 0xc002, -84, 7.25, T0.AddMilliseconds(30)),
                new(Here, 0xc003, -112, -6, T0.AddMilliseconds(10)),
            },
            None);

        var cell12 = Hex(Here, 12);
        for (var res = 12; res >= 8; res--)
        {
            var cell = H3Grid.CellToParent(cell12, res);
            var hex = await Store.GetHexAsync(cell, None);
            Assert.NotNull(hex);
            Assert.Equal(cell, hex.Cell);
            Assert.Equal(3, hex.Count);
            Assert.Equal(3, hex.DistinctGateways);
            Assert.True(hex.DistinctGatewaysExact);
            Assert.Equal(-84, hex.BestRssi);
            Assert.Equal(-97.66666666666667, hex.MeanRssi, 12);
            Assert.Equal(7.25, hex.BestSnr);
            Assert.Equal(0.9166666666666666, hex.MeanSnr, 12);
            Assert.Equal(T0.AddMilliseconds(30), hex.LastSeen);
        }
    }

    [Fact]
    public async Task Statistics_accumulate_across_batches_and_the_last_seen_time_never_goes_back()
    {
        var cell = Hex(Here, 12);
        await Store.AddObservationsAsync(new CoverageObservation[] { new(Here, 1, -70, 9, T0.AddMinutes(5)) }, None);
        await Store.AddObservationsAsync(new CoverageObservation[] { new(Here, 1, -110, -3, T0), new(Here, 2, -90, 0.25, T0.AddMinutes(1)) }, None);

        var hex = await Store.GetHexAsync(cell, None);

        Assert.Equal(new HexCoverage(cell, 3, 2, true, -70, -90, 9, 6.25 / 3, T0.AddMinutes(5)), hex);
    }

    [Fact]
    public async Task The_same_gateway_hearing_twice_is_one_distinct_gateway()
    {
        await Store.AddObservationsAsync(new CoverageObservation[] { new(Here, 7, -80, 5, T0) }, None);
        await Store.AddObservationsAsync(new CoverageObservation[] { new(Here, 7, -85, 4, T0.AddSeconds(1)), new(Here, 7, -95, 2, T0.AddSeconds(2)) }, None);

        var hex = await Store.GetHexAsync(Hex(Here, 9), None);

        Assert.NotNull(hex);
        Assert.Equal(3, hex.Count);
        Assert.Equal(1, hex.DistinctGateways);
    }

    [Fact]
    public async Task Beyond_sixty_four_gateways_the_distinct_count_becomes_an_estimate()
    {
        var cell = Hex(Here, 12);
        var observations = Enumerable.Range(1, 64).Select(g => new CoverageObservation(Here, (ulong)g, -100, 0, T0)).ToArray();
        await Store.AddObservationsAsync(observations.AsMemory(0, 40), None);
        await Store.AddObservationsAsync(observations.AsMemory(40), None);

        var exact = await Store.GetHexAsync(cell, None);
        Assert.NotNull(exact);
        Assert.Equal(64, exact.DistinctGateways);
        Assert.True(exact.DistinctGatewaysExact);

        await Store.AddObservationsAsync(Enumerable.Range(65, 136).Select(g => new CoverageObservation(Here, (ulong)g, -100, 0, T0)).ToArray(), None);

        var estimated = await Store.GetHexAsync(cell, None);
        Assert.NotNull(estimated);
        Assert.False(estimated.DistinctGatewaysExact);
        Assert.Equal(200, estimated.Count);
        Assert.InRange(estimated.DistinctGateways, 170, 230);
    }

    [Fact]
    public async Task Resolutions_not_kept_invalid_cells_and_invalid_positions_give_nothing()
    {
        await Store.AddObservationsAsync(
            new CoverageObservation[]
            {
                new(Here, 1, -80, 5, T0),
                new(new LatLng(double.NaN, 13), 1, -80, 5, T0),
                new(new LatLng(91, 13), 1, -80, 5, T0),
                new(new LatLng(52, 181), 1, -80, 5, T0),
            },
            None);

        var cell12 = Hex(Here, 12);
        Assert.Null(await Store.GetHexAsync(H3Grid.CellToParent(cell12, 7), None));
        Assert.Null(await Store.GetHexAsync(H3Grid.LatLngToCell(Here, 13), None));
        Assert.Null(await Store.GetHexAsync(new H3Index(0x1234), None));
        Assert.Equal(1, (await Store.GetHexAsync(cell12, None))?.Count);
    }

    [Fact]
    public async Task GetHexes_returns_the_cells_with_data_in_the_order_asked()
    {
        var here = Hex(Here, 10);
        var there = Hex(There, 10);
        var empty = Hex(new LatLng(48.8584, 2.2945), 10);
        await Store.AddObservationsAsync(new CoverageObservation[] { new(Here, 1, -80, 5, T0), new(There, 2, -90, 1, T0) }, None);

        var forward = await Store.GetHexesAsync([here, empty, there, H3Grid.CellToParent(here, 7)], None);
        var backward = await Store.GetHexesAsync([there, empty, here], None);

        Assert.Equal([here, there], forward.Select(h => h.Cell));
        Assert.Equal([there, here], backward.Select(h => h.Cell));
        Assert.Empty(await Store.GetHexesAsync([], None));
    }

    [Fact]
    public async Task A_hotspots_coverage_lists_its_own_hexes_at_resolution_nine_with_its_own_statistics()
    {
        await Store.AddObservationsAsync(
            new CoverageObservation[]
            {
                new(Here, 0xa, -80, 5, T0),
                new(Here, 0xb, -60, 10, T0.AddSeconds(9)),
                new(There, 0xa, -100, -2, T0.AddSeconds(1)),
            },
            None);
        await Store.AddObservationsAsync(new CoverageObservation[] { new(Here, 0xa, -90, 3, T0.AddSeconds(2)) }, None);

        var coverage = await Store.GetHotspotCoverageAsync(0xa, None);

        var here = Hex(Here, 9);
        var there = Hex(There, 9);
        Assert.Equal([.. new[] { here, there }.Order()], coverage.Select(h => h.Cell));
        Assert.Equal(new HexCoverage(here, 2, 1, true, -80, -85, 5, 4, T0.AddSeconds(2)), coverage.Single(h => h.Cell == here));
        Assert.Equal(new HexCoverage(there, 1, 1, true, -100, -100, -2, -2, T0.AddSeconds(1)), coverage.Single(h => h.Cell == there));
        Assert.Equal([here], (await Store.GetHotspotCoverageAsync(0xb, None)).Select(h => h.Cell));
    }

    [Fact]
    public async Task Hotspots_are_found_by_id_and_by_box_and_move_when_upserted_again()
    {
        await Store.UpsertHotspotAsync(new HotspotLocation(3, new LatLng(52.52, 13.405), "alexanderplatz"), None);
        await Store.UpsertHotspotAsync(new HotspotLocation(1, new LatLng(52.5163, 13.3777)), None);
        await Store.UpsertHotspotAsync(new HotspotLocation(2, new LatLng(48.8584, 2.2945), "eiffel"), None);
        await Store.UpsertHotspotAsync(new HotspotLocation(4, new LatLng(-33.8568, 151.2153), "opera"), None);

        var berlin = new GeoBoundingBox(13.30, 52.48, 13.45, 52.55);
        Assert.Equal(new HotspotLocation(3, new LatLng(52.52, 13.405), "alexanderplatz"), await Store.GetHotspotAsync(3, None));
        Assert.Null((await Store.GetHotspotAsync(1, None))?.Name);
        Assert.Equal([1UL, 3UL], (await Store.GetHotspotsAsync(berlin, None)).Select(h => h.Id));
        Assert.Equal([4UL], (await Store.GetHotspotsAsync(new GeoBoundingBox(150, -35, 152, -33), None)).Select(h => h.Id));
        Assert.Empty(await Store.GetHotspotsAsync(new GeoBoundingBox(0, 0, 1, 1), None));

        await Store.UpsertHotspotAsync(new HotspotLocation(3, new LatLng(48.86, 2.35), "moved"), None);

        Assert.Equal([1UL], (await Store.GetHotspotsAsync(berlin, None)).Select(h => h.Id));
        Assert.Equal([2UL, 3UL], (await Store.GetHotspotsAsync(new GeoBoundingBox(2, 48.5, 3, 49), None)).Select(h => h.Id));
        Assert.Equal("moved", (await Store.GetHotspotAsync(3, None))?.Name);
    }

    [Fact]
    public async Task The_box_is_exact_at_its_edges()
    {
        // Just inside and just outside each edge of a small box (a millionth of a degree is ~10 cm).
        const double D = 1e-6;
        var box = new GeoBoundingBox(13.30, 52.48, 13.45, 52.55);
        var inside = new[] { new LatLng(52.48, 13.30), new LatLng(52.55, 13.45), new LatLng(52.48 + D, 13.45 - D), new LatLng(52.55 - D, 13.30 + D) };
        var outside = new[] { new LatLng(52.48 - D, 13.35), new LatLng(52.55 + D, 13.35), new LatLng(52.50, 13.30 - D), new LatLng(52.50, 13.45 + D) };
        for (var i = 0; i < inside.Length; i++)
        {
            await Store.UpsertHotspotAsync(new HotspotLocation((ulong)(10 + i), inside[i]), None);
            await Store.UpsertHotspotAsync(new HotspotLocation((ulong)(20 + i), outside[i]), None);
        }

        Assert.Equal([10UL, 11UL, 12UL, 13UL], (await Store.GetHotspotsAsync(box, None)).Select(h => h.Id));
    }

    [Fact]
    public async Task Large_and_polar_boxes_find_every_hotspot_inside_them()
    {
        await Store.UpsertHotspotAsync(new HotspotLocation(1, new LatLng(52.52, 13.405)), None);
        await Store.UpsertHotspotAsync(new HotspotLocation(2, new LatLng(89.5, -30)), None);
        await Store.UpsertHotspotAsync(new HotspotLocation(3, new LatLng(-33.8568, 151.2153)), None);
        await Store.UpsertHotspotAsync(new HotspotLocation(4, new LatLng(78.2232, 15.6267), "longyearbyen"), None);

        Assert.Equal([1UL, 2UL, 3UL, 4UL], (await Store.GetHotspotsAsync(new GeoBoundingBox(-180, -90, 180, 90), None)).Select(h => h.Id));
        Assert.Equal([2UL], (await Store.GetHotspotsAsync(new GeoBoundingBox(-40, 86, -20, 90), None)).Select(h => h.Id));
        Assert.Equal([4UL], (await Store.GetHotspotsAsync(new GeoBoundingBox(10, 75, 20, 79), None)).Select(h => h.Id));
        Assert.Equal([1UL, 4UL], (await Store.GetHotspotsAsync(new GeoBoundingBox(0, 40, 30, 85), None)).Select(h => h.Id));

        // A hotspot that moves from the pole into an ordinary box is found there, and no longer at the pole.
        await Store.UpsertHotspotAsync(new HotspotLocation(2, new LatLng(52.53, 13.42)), None);
        Assert.Equal([1UL, 2UL], (await Store.GetHotspotsAsync(new GeoBoundingBox(13.30, 52.48, 13.45, 52.55), None)).Select(h => h.Id));
        Assert.Empty(await Store.GetHotspotsAsync(new GeoBoundingBox(-40, 86, -20, 90), None));
    }

    [Fact]
    public async Task Random_boxes_find_exactly_the_hotspots_inside_them()
    {
        // Boxes of every shape the map asks for (small and large, either hemisphere, across the equator, close to the
        // poles), each with hotspots a hair inside and outside its corners and edges, among hotspots all over the globe.
        const double Hair = 1e-7;
        var random = new Random(4242);
        var boxes = new List<GeoBoundingBox>();
        var points = new List<LatLng>();
        for (var i = 0; i < 300; i++)
        {
            points.Add(new LatLng((random.NextDouble() * 179.8) - 89.9, (random.NextDouble() * 360) - 180));
        }

        for (var i = 0; i < 40; i++)
        {
            var height = i % 4 == 0 ? random.NextDouble() * 100 : random.NextDouble() * (i % 4 == 1 ? 0.2 : 60);
            var width = i % 4 == 0 ? random.NextDouble() * 300 : random.NextDouble() * (i % 4 == 1 ? 0.3 : 90);
            var minLat = -89 + (random.NextDouble() * (178 - height));
            var minLng = -179.5 + (random.NextDouble() * (359 - width));
            var box = new GeoBoundingBox(minLng, minLat, minLng + width, minLat + height);
            boxes.Add(box);
            var midLat = (box.MinLat + box.MaxLat) / 2;
            var midLng = (box.MinLng + box.MaxLng) / 2;
            foreach (var d in new[] { Hair, -Hair })
            {
                points.Add(new LatLng(box.MinLat + d, box.MinLng + d));
                points.Add(new LatLng(box.MaxLat - d, box.MaxLng - d));
                points.Add(new LatLng(box.MinLat + d, box.MaxLng - d));
                points.Add(new LatLng(box.MaxLat - d, box.MinLng + d));
                points.Add(new LatLng(midLat, box.MinLng + d));
                points.Add(new LatLng(midLat, box.MaxLng - d));
                points.Add(new LatLng(box.MinLat + d, midLng));
                points.Add(new LatLng(box.MaxLat - d, midLng));
            }
        }

        for (var i = 0; i < points.Count; i++)
        {
            await Store.UpsertHotspotAsync(new HotspotLocation((ulong)i + 1, points[i]), None);
        }

        foreach (var box in boxes)
        {
            var expected = points.Select((p, i) => (Id: (ulong)i + 1, Point: p)).Where(p => box.Contains(p.Point)).Select(p => p.Id);
            Assert.Equal(expected, (await Store.GetHotspotsAsync(box, None)).Select(h => h.Id));
        }
    }

    [Fact]
    public async Task Concurrent_writers_lose_no_reception()
    {
        const int Tasks = 8;
        const int Batches = 25;
        var other = await OtherWriterAsync();
        var writers = new[] { Store, other };

        // Every task writes uplinks heard by three of twelve gateways at one position.
        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            for (var b = 0; b < Batches; b++)
            {
                var observations = Enumerable.Range(0, 3)
                    .Select(g => new CoverageObservation(Here, (ulong)(1 + ((t + b + (4 * g)) % 12)), -100 + g, 0.25 * g, T0.AddSeconds(b)))
                    .ToArray();
                await writers[t % 2].AddObservationsAsync(observations, None);
            }
        })));

        foreach (var reader in writers)
        {
            var hex = await reader.GetHexAsync(Hex(Here, 8), None);
            Assert.NotNull(hex);
            Assert.Equal(Tasks * Batches * 3, hex.Count);
            Assert.Equal(12, hex.DistinctGateways);
            Assert.Equal(-98, hex.BestRssi);
            Assert.Equal(-99, hex.MeanRssi);
            Assert.Equal(0.5, hex.BestSnr);
            Assert.Equal(0.25, hex.MeanSnr);
            Assert.Equal(T0.AddSeconds(Batches - 1), hex.LastSeen);
            var perGateway = await reader.GetHotspotCoverageAsync(1, None);
            Assert.Equal(Tasks * Batches / 4, Assert.Single(perGateway).Count);
        }
    }

    [Fact]
    public async Task Random_batches_give_the_same_statistics_as_the_in_memory_aggregator()
    {
        // Integer RSSI and quarter-dB SNR, as radios report them: sums are exact in any order, so results must be equal.
        var random = new Random(20261126);
        var reference = new InMemoryCoverageStore();
        var positions = Enumerable.Range(0, 12).Select(_ => new LatLng(52.45 + (random.NextDouble() * 0.1), 13.3 + (random.NextDouble() * 0.15))).ToArray();
        for (var batch = 0; batch < 20; batch++)
        {
            var observations = Enumerable.Range(0, random.Next(1, 15))
                .Select(_ => new CoverageObservation(
                    positions[random.Next(positions.Length)],
                    (ulong)random.Next(1, 9),
                    random.Next(-130, -40),
                    random.Next(-80, 60) / 4.0,
                    T0.AddTicks(random.NextInt64(TimeSpan.TicksPerDay))))
                .ToArray();
            await Store.AddObservationsAsync(observations, None);
            await reference.AddObservationsAsync(observations, None);
        }

        for (var res = 8; res <= 12; res++)
        {
            var cells = positions.Select(p => Hex(p, res)).Distinct().ToArray();
            Assert.Equal(await reference.GetHexesAsync(cells, None), await Store.GetHexesAsync(cells, None));
        }

        for (ulong gateway = 1; gateway < 9; gateway++)
        {
            Assert.Equal(await reference.GetHotspotCoverageAsync(gateway, None), await Store.GetHotspotCoverageAsync(gateway, None));
        }
    }
}
