using StackExchange.Redis;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Poc;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.Lns.Tests.Storage;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Poc.Entropy;

namespace WirelessNet.Lns.Tests.Poc;

/// <summary>What every <see cref="IPocStore"/> must do, in memory and in Redis alike.</summary>
public abstract class PocStoreContractTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private protected abstract IPocStore Store { get; }

    [Fact]
    public async Task The_first_value_and_document_win_and_entropy_is_published_once_per_time()
    {
        Assert.Equal([1], await Store.GetOrCreateValueAsync("genesis", [1], None));
        Assert.Equal([1], await Store.GetOrCreateValueAsync("genesis", [2], None));
        Assert.Equal([7], await Store.GetOrCreateEpochDocumentAsync(5, "manifest", [7], None));
        Assert.Equal([7], await Store.GetOrCreateEpochDocumentAsync(5, "manifest", [8], None));
        Assert.Equal([7], await Store.GetEpochDocumentAsync(5, "manifest", None));
        Assert.Null(await Store.GetEpochDocumentAsync(6, "manifest", None));

        var a = new EntropyReport([1, 2], 60, 1);
        var b = new EntropyReport([3, 4], 120, 1);
        await Store.AddEntropyAsync([a, b], None);
        await Store.AddEntropyAsync([b], None);
        var published = await Store.GetEntropyAsync(0, 1000, 10, None);
        Assert.Equal([60L, 120L], published.Select(e => e.Timestamp));
        Assert.Equal(b.Data, published[1].Data);
        Assert.Single(await Store.GetEntropyAsync(100, 1000, 10, None));
    }

    [Fact]
    public async Task Reports_are_stored_once_and_a_due_round_is_leased_to_one_verifier_until_completed()
    {
        Assert.True(await Store.AddReportAsync("r1", beacon: true, "b1", [1], T0, None));
        Assert.False(await Store.AddReportAsync("r1", beacon: true, "b1", [1], T0.AddSeconds(1), None));
        Assert.True(await Store.AddReportAsync("r1", beacon: false, "w1", [2], T0.AddSeconds(1), None));
        Assert.True(await Store.AddReportAsync("r1", beacon: false, "w2", [3], T0.AddSeconds(2), None));
        Assert.True(await Store.AddReportAsync("r2", beacon: false, "w3", [4], T0.AddSeconds(40), None));

        // Due: first report before T0 + 10 s. r2 is not due yet.
        var now = T0.AddSeconds(30);
        Assert.Equal(["r1"], await Store.ClaimDueRoundsAsync(T0.AddSeconds(10), now, TimeSpan.FromMinutes(2), 10, None));
        Assert.Empty(await Store.ClaimDueRoundsAsync(T0.AddSeconds(10), now, TimeSpan.FromMinutes(2), 10, None));

        var reports = await Store.GetRoundReportsAsync("r1", None);
        Assert.Equal([[1]], reports.Beacons);
        Assert.Equal(2, reports.Witnesses.Count);

        // A verifier that died: the round is due again once its lease has passed (after r2, due since T0 + 40 s).
        Assert.Equal(["r2", "r1"], await Store.ClaimDueRoundsAsync(now.AddMinutes(3), now.AddMinutes(3), TimeSpan.FromMinutes(2), 10, None));
        Assert.True(await Store.CompleteRoundAsync("r1", 20_418, [9, 9], None));

        // A second verifier whose lease ran out: the first verdict stands and the caller learns it lost.
        Assert.False(await Store.CompleteRoundAsync("r1", 20_418, [7], None));
        Assert.DoesNotContain("r1", await Store.ClaimDueRoundsAsync(now.AddHours(1), now.AddHours(1), TimeSpan.FromMinutes(2), 10, None));
        Assert.Equal([9, 9], await Store.GetRoundAsync(20_418, "r1", None));
        Assert.Equal([[9, 9]], await Store.GetEpochRoundsAsync(20_418, None));
        Assert.Empty((await Store.GetRoundReportsAsync("r1", None)).Witnesses);
    }

    [Fact]
    public async Task Marks_and_participants_only_move_forward_claims_are_exclusive_and_the_denylist_is_editable()
    {
        await Store.RecordActivityAsync([("a", true, 2000), ("a", false, 1000)], None);
        await Store.RecordActivityAsync([("a", true, 1500)], None);
        Assert.Equal([(2000L, 1000L), (null, null)], (await Store.GetActivityAsync(["a", "b"], None)).Select(m => (m.Beacon, m.Witness)));

        var gateway = new Eui64(0x0102030405060708);
        await Store.TouchParticipantAsync(new PocParticipant("a", gateway, GatewayTransport.MqttJson, T0), None);
        await Store.TouchParticipantAsync(new PocParticipant("a", gateway, GatewayTransport.MqttJson, T0.AddHours(-1)), None);
        var participant = Assert.Single(await Store.GetParticipantsAsync(None));
        Assert.Equal(new PocParticipant("a", gateway, GatewayTransport.MqttJson, T0), participant);

        Assert.True(await Store.TryClaimAsync("challenge:1:a", TimeSpan.FromMinutes(5), None));
        Assert.False(await Store.TryClaimAsync("challenge:1:a", TimeSpan.FromMinutes(5), None));
        Assert.True(await Store.TryClaimAsync("challenge:2:a", TimeSpan.FromMinutes(5), None));

        await Store.SetDeniedKeyAsync("k1", true, None);
        await Store.SetDeniedEdgeAsync("b1", "w1", true, None);
        await Store.SetDeniedEdgeAsync("b2", "w2", true, None);
        await Store.SetDeniedEdgeAsync("b2", "w2", false, None);
        var (keys, edges) = await Store.GetDenylistAsync(None);
        Assert.Equal(["k1"], keys);
        Assert.Equal([("b1", "w1")], edges);
    }
}

public sealed class InMemoryPocStoreContractTests : PocStoreContractTests
{
    private protected override IPocStore Store { get; } = new InMemoryPocStore(TimeProvider.System);
}

[Collection(RedisStoreCollection.Name)]
public sealed class RedisPocStoreContractTests(RedisStoreFixture redis) : PocStoreContractTests
{
    private readonly RedisPocStore _store = new(redis.Connection, new RedisStoreOptions { KeyPrefix = "poc" + Guid.NewGuid().ToString("N")[..8] }, TimeSpan.FromDays(1));

    private protected override IPocStore Store => _store;

    [Fact]
    public async Task Keys_carry_the_documented_hash_tags()
    {
        var prefix = "pocks" + Guid.NewGuid().ToString("N")[..6];
        var store = new RedisPocStore(redis.Connection, new RedisStoreOptions { KeyPrefix = prefix }, TimeSpan.FromDays(1));
        await store.AddReportAsync("abc", beacon: false, "w", [1], DateTimeOffset.UnixEpoch, default);
        await store.CompleteRoundAsync("def", 7, [1], default);
        await store.RecordActivityAsync([("a", true, 1)], default);
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        var keys = server.Keys(pattern: prefix + ":*").Select(k => (string)k!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([$"{prefix}:{{poce:7}}", $"{prefix}:{{pocr:abc}}:w", $"{prefix}:{{poc}}:activity", $"{prefix}:{{poc}}:pending"], keys);
        Assert.True(await redis.Connection.GetDatabase().KeyTimeToLiveAsync($"{prefix}:{{pocr:abc}}:w") > TimeSpan.FromHours(23));
    }
}
