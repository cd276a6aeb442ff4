using StackExchange.Redis;
using WirelessNet.Coverage.Geo;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Measured;
using WirelessNet.Lns.Coverage;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.Lns.Tests.Storage;

namespace WirelessNet.Lns.Tests.Coverage;

/// <summary>
/// The coverage store contract against <see cref="RedisCoverageStore"/> on a real redis-server, plus what only Redis
/// has: the key schema, the gateway set turning into a HyperLogLog, one hash tag per call.
/// </summary>
[Collection(RedisStoreCollection.Name)]
public sealed class RedisCoverageStoreContractTests : CoverageStoreContractTests, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly LatLng Here = new(52.5163, 13.3777);

    private readonly RedisStoreFixture _fixture;
    private readonly string _prefix;
    private readonly List<ConnectionMultiplexer> _otherConnections = [];

    public RedisCoverageStoreContractTests(RedisStoreFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        _fixture = fixture;

        // A prefix per test: tests see none of each other's keys without flushing the shared server.
        _prefix = "wnc" + Guid.NewGuid().ToString("N")[..12];
        Store = new RedisCoverageStore(fixture.Connection, new RedisStoreOptions { KeyPrefix = _prefix });
    }

    protected override ICoverageStore Store { get; }

    private IDatabase Db => _fixture.Connection.GetDatabase();

    // Another server instance: its own connection, the same Redis and prefix.
    protected override async Task<ICoverageStore> OtherWriterAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(_fixture.ConnectionString);
        _otherConnections.Add(connection);
        return new RedisCoverageStore(connection, new RedisStoreOptions { KeyPrefix = _prefix });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var connection in _otherConnections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_hex_is_a_hash_with_a_gateway_set_in_its_own_slot_and_each_gateway_has_a_hash_of_its_hexes()
    {
        await Store.AddObservationsAsync(
            new CoverageObservation[] { new(Here, 0xc001, -97, 1.5, T0), new(Here, 0xc002, -84, 7.25, T0), new(Here, 0xc003, -112, -6, T0.AddTicks(1)) },
            None);
        await Store.UpsertHotspotAsync(new HotspotLocation(0xc001, new LatLng(52.52, 13.405), "gw-1"), None);

        var cell = H3Grid.LatLngToCell(Here, 12);
        var fields = (await Db.HashGetAllAsync($"{_prefix}:{{cov:{cell}}}")).ToDictionary(e => (string)e.Name!, e => (string)e.Value!);
        Assert.Equal("3", fields["n"]);
        Assert.Equal(-293, double.Parse(fields["rs"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2.75, double.Parse(fields["ss"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("-84", fields["rb"]);
        Assert.Equal("7.25", fields["sb"]);
        Assert.Equal(T0.AddTicks(1).UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture), fields["t"]);
        Assert.Equal(
            ["000000000000c001", "000000000000c002", "000000000000c003"],
            (await Db.SetMembersAsync($"{_prefix}:{{cov:{cell}}}:gw")).Select(m => (string)m!).Order(StringComparer.Ordinal));

        // Every kept resolution has its hex; nothing else under the prefix but the per-gateway hashes and the hotspots.
        var keys = _fixture.Connection.GetServer(_fixture.ConnectionString).Keys(pattern: _prefix + ":*").Select(k => (string)k!).ToHashSet(StringComparer.Ordinal);
        for (var res = 8; res <= 12; res++)
        {
            var hex = H3Grid.CellToParent(cell, res);
            Assert.Contains($"{_prefix}:{{cov:{hex}}}", keys);
            Assert.Contains($"{_prefix}:{{cov:{hex}}}:gw", keys);
        }

        Assert.Contains($"{_prefix}:{{covgw:000000000000c002}}", keys);
        Assert.Contains($"{_prefix}:{{hotspots}}", keys);
        Assert.Contains($"{_prefix}:{{hotspots}}:geo", keys);
        Assert.Equal((5 * 2) + 3 + 2, keys.Count);

        var own = (await Db.HashGetAllAsync($"{_prefix}:{{covgw:000000000000c002}}")).Select(e => (string)e.Name!).Order(StringComparer.Ordinal);
        var cell9 = H3Grid.CellToParent(cell, 9);
        Assert.Equal(new[] { "n", "rb", "rs", "sb", "ss", "t" }.Select(f => $"{cell9}:{f}"), own);
    }

    [Fact]
    public async Task Beyond_sixty_four_gateways_the_set_becomes_a_hyperloglog()
    {
        var cell = H3Grid.LatLngToCell(Here, 12);
        await Store.AddObservationsAsync(Enumerable.Range(1, 64).Select(g => new CoverageObservation(Here, (ulong)g, -100, 0, T0)).ToArray(), None);
        Assert.True(await Db.KeyExistsAsync($"{_prefix}:{{cov:{cell}}}:gw"));
        Assert.False(await Db.KeyExistsAsync($"{_prefix}:{{cov:{cell}}}:hll"));

        await Store.AddObservationsAsync(new CoverageObservation[] { new(Here, 65, -100, 0, T0), new(Here, 1, -100, 0, T0) }, None);

        Assert.False(await Db.KeyExistsAsync($"{_prefix}:{{cov:{cell}}}:gw"));
        Assert.Equal(65, await Db.HyperLogLogLengthAsync($"{_prefix}:{{cov:{cell}}}:hll"));
        var hex = await Store.GetHexAsync(cell, None);
        Assert.NotNull(hex);
        Assert.Equal(65, hex.DistinctGateways);
        Assert.False(hex.DistinctGatewaysExact);
    }

    [Fact]
    public async Task Observations_without_finite_signal_values_are_skipped_and_the_rest_of_the_batch_is_kept()
    {
        await Store.AddObservationsAsync(
            new CoverageObservation[] { new(Here, 1, double.NaN, 0, T0), new(Here, 2, -90, double.PositiveInfinity, T0), new(Here, 3, -95, 2, T0) },
            None);

        var hex = await Store.GetHexAsync(H3Grid.LatLngToCell(Here, 12), None);

        Assert.Equal(new HexCoverage(H3Grid.LatLngToCell(Here, 12), 1, 1, true, -95, -95, 2, 2, T0), hex);
    }

    [Fact]
    public async Task Instances_with_another_prefix_see_nothing()
    {
        await Store.AddObservationsAsync(new CoverageObservation[] { new(Here, 1, -90, 1, T0) }, None);
        await Store.UpsertHotspotAsync(new HotspotLocation(1, Here), None);
        var elsewhere = new RedisCoverageStore(_fixture.Connection, new RedisStoreOptions { KeyPrefix = _prefix + "x" });

        Assert.Null(await elsewhere.GetHexAsync(H3Grid.LatLngToCell(Here, 12), None));
        Assert.Empty(await elsewhere.GetHotspotsAsync(new GeoBoundingBox(13, 52, 14, 53), None));
        Assert.Empty(await elsewhere.GetHotspotCoverageAsync(1, None));
    }

    [Fact]
    public async Task Every_call_of_every_operation_stays_within_one_hash_tag()
    {
        var recorder = new RedisHashTagTests.CallRecorder();
        var store = new RedisCoverageStore(RedisHashTagTests.RecordingMultiplexer.Wrap(_fixture.Connection, recorder), new RedisStoreOptions { KeyPrefix = _prefix });

        await store.AddObservationsAsync(Enumerable.Range(1, 70).Select(g => new CoverageObservation(Here, (ulong)g, -90, 1, T0)).ToArray(), None);
        await store.UpsertHotspotAsync(new HotspotLocation(1, Here), None);
        await store.UpsertHotspotAsync(new HotspotLocation(2, new LatLng(89, 0)), None);
        await store.GetHexAsync(H3Grid.LatLngToCell(Here, 12), None);
        await store.GetHexesAsync([H3Grid.LatLngToCell(Here, 9), H3Grid.LatLngToCell(Here, 10)], None);
        await store.GetHotspotAsync(1, None);
        await store.GetHotspotsAsync(new GeoBoundingBox(13, 52, 14, 53), None);
        await store.GetHotspotsAsync(new GeoBoundingBox(-180, -90, 180, 90), None);
        await store.GetHotspotCoverageAsync(1, None);

        Assert.Contains(recorder.Calls, c => c.Keys.Count == 3);
        var violations = recorder.Calls
            .Where(call => call.Keys.Select(RedisHashTagTests.HashTag).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(call => $"{call.Operation}: {string.Join(", ", call.Keys)}")
            .ToList();
        Assert.Empty(violations);
        Assert.All(recorder.Calls.SelectMany(c => c.Keys), key => Assert.NotEqual(key, RedisHashTagTests.HashTag(key)));
    }
}
