using StackExchange.Redis;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.LoRaWan.Primitives;
using static WirelessNet.Lns.Tests.Storage.StoreTestData;

namespace WirelessNet.Lns.Tests.Storage;

/// <summary>
/// The store contract against the Redis store on a real redis-server, plus what only Redis has: the DevAddr index
/// kept apart from the sessions, the counters as hash fields, TTLs.
/// </summary>
[Collection(RedisStoreCollection.Name)]
public sealed class RedisStoreContractTests : StoreContractTests<RedisStore>
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly IConnectionMultiplexer _connection;
    private readonly RedisKeys _keys;
    private readonly string _prefix;

    public RedisStoreContractTests(RedisStoreFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        _connection = fixture.Connection;

        // A prefix per test: tests see none of each other's keys without flushing the shared server.
        _prefix = "wnt" + Guid.NewGuid().ToString("N")[..12];
        _keys = new RedisKeys(_prefix);
        Store = new RedisStore(_connection, new RedisStoreOptions { KeyPrefix = _prefix });
    }

    protected override RedisStore Store { get; }

    private IDatabase Db => _connection.GetDatabase();

    // Redis expires keys by its own clock: wait for real.
    protected override Task LetTimePassAsync(TimeSpan duration) => Task.Delay(duration);

    [Fact]
    public async Task Promotion_removes_the_device_from_the_old_address_index()
    {
        var devEui = NewEui();
        var oldAddr = NewDevAddr();
        var newAddr = NewDevAddr();
        await Store.SaveActiveSessionAsync(Session(devEui, oldAddr, fCntUp: 3), None);
        await Store.SavePendingSessionAsync(Session(devEui, newAddr), None);
        Assert.Equal([devEui.ToString()], await IndexMembersAsync(oldAddr));
        Assert.Equal([devEui.ToString()], await IndexMembersAsync(newAddr));

        Assert.Equal(UplinkClaim.Accepted, await Store.TryClaimUplinkAsync(devEui, newAddr, fromPending: true, 0, None));

        Assert.Empty(await IndexMembersAsync(oldAddr));
        Assert.Equal([devEui.ToString()], await IndexMembersAsync(newAddr));
        Assert.False(await Db.KeyExistsAsync(_keys.PendingSession(devEui)));
    }

    [Fact]
    public async Task Replaced_and_deleted_sessions_leave_no_index_entries()
    {
        var devEui = NewEui();
        var firstAddr = NewDevAddr();
        var secondAddr = NewDevAddr();
        var activeAddr = NewDevAddr();
        await Store.SaveActiveSessionAsync(Session(devEui, activeAddr), None);
        await Store.SavePendingSessionAsync(Session(devEui, firstAddr), None);
        await Store.SavePendingSessionAsync(Session(devEui, secondAddr), None);
        Assert.Empty(await IndexMembersAsync(firstAddr));

        await Store.DeleteAsync(devEui, None);

        Assert.Empty(await IndexMembersAsync(secondAddr));
        Assert.Empty(await IndexMembersAsync(activeAddr));
    }

    [Fact]
    public async Task A_pending_session_replaced_by_one_with_the_active_address_keeps_that_address_indexed()
    {
        var devEui = NewEui();
        var activeAddr = NewDevAddr();
        await Store.SaveActiveSessionAsync(Session(devEui, activeAddr), None);
        await Store.SavePendingSessionAsync(Session(devEui, activeAddr), None);

        // The pending session moves away from the address; the active one still uses it.
        await Store.SavePendingSessionAsync(Session(devEui, NewDevAddr()), None);

        Assert.Equal([devEui.ToString()], await IndexMembersAsync(activeAddr));
        Assert.Single(await Store.GetCandidatesAsync(activeAddr, 16, None));
    }

    [Fact]
    public async Task Stale_index_entries_are_filtered_from_the_candidates()
    {
        var devAddr = NewDevAddr();
        var current = NewEui();
        var moved = NewEui();
        await Store.SaveActiveSessionAsync(Session(current, devAddr), None);
        await Store.SaveActiveSessionAsync(Session(moved, NewDevAddr()), None);

        // As if a server had stopped between writing a session and cleaning up the index: entries pointing at a
        // device now elsewhere, at a device without sessions, and garbage.
        await Db.SetAddAsync(_keys.DevAddrIndex(devAddr), [moved.ToString(), NewEui().ToString(), "not-an-eui"]);

        var candidates = await Store.GetCandidatesAsync(devAddr, 1, None);

        Assert.Equal(current, Assert.Single(candidates).DevEui);
    }

    [Fact]
    public async Task Counters_are_hash_fields_and_the_json_holds_no_counters()
    {
        var session = Session(NewEui(), NewDevAddr(), fCntUp: 77) with { NFCntDown = 12, AFCntDown = 5 };
        await Store.SaveActiveSessionAsync(session, None);

        var fields = (await Db.HashGetAllAsync(_keys.ActiveSession(session.DevEui))).ToDictionary(e => (string)e.Name!, e => (string)e.Value!);

        Assert.Equal("77", fields[RedisScripts.SessionField.FCntUp]);
        Assert.Equal("12", fields[RedisScripts.SessionField.NFCntDown]);
        Assert.Equal("5", fields[RedisScripts.SessionField.AFCntDown]);
        Assert.Equal(session.DevAddr.ToString(), fields[RedisScripts.SessionField.DevAddr]);
        var json = fields[RedisScripts.SessionField.Json];
        Assert.DoesNotContain("fCntUp", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("FCntDown", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("pending", json, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(session.AppSKey.ToHexString(), json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JoinNonce_wraps_within_24_bits()
    {
        var devEui = NewEui();
        await Db.HashSetAsync(_keys.JoinState(devEui), "join_nonce", 0xFF_FFFE);

        Assert.Equal(0xFF_FFFFu, await Store.NextJoinNonceAsync(devEui, None));
        Assert.Equal(0u, await Store.NextJoinNonceAsync(devEui, None));
        Assert.Equal(1u, await Store.NextJoinNonceAsync(devEui, None));
    }

    [Fact]
    public async Task Deduplication_lifetime_is_set_by_the_first_reception_only()
    {
        var key = "frame:" + Guid.NewGuid().ToString("N");
        Assert.True(await Store.AddReceptionAsync(key, new byte[] { 1 }, TimeSpan.FromSeconds(10), None));

        Assert.False(await Store.AddReceptionAsync(key, new byte[] { 2 }, TimeSpan.FromSeconds(1000), None));

        var ttl = await Db.KeyTimeToLiveAsync(_keys.Deduplication(key));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task In_flight_downlink_has_the_given_lifetime()
    {
        await Store.SaveInFlightAsync(
            new InFlightDownlink { DownlinkId = 4242, DevEui = NewEui(), GatewayId = NewEui(), FCnt = 1 },
            TimeSpan.FromSeconds(30),
            None);

        var ttl = await Db.KeyTimeToLiveAsync(_keys.InFlightDownlink(4242));

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Two_server_instances_with_their_own_connections_share_sessions_and_never_both_accept_a_counter()
    {
        await using var otherConnection = await ConnectionMultiplexer.ConnectAsync(_connection.Configuration);
        var other = new RedisStore(otherConnection, new RedisStoreOptions { KeyPrefix = _prefix });
        var devEui = NewEui();
        var devAddr = NewDevAddr();
        await Store.SavePendingSessionAsync(Session(devEui, devAddr), None);

        // The instance that did not run the join finds the session by address and promotes it.
        Assert.True(Assert.Single(await other.GetCandidatesAsync(devAddr, 16, None)).Pending);
        Assert.Equal(UplinkClaim.Accepted, await other.TryClaimUplinkAsync(devEui, devAddr, fromPending: true, 0, None));
        Assert.Equal(UplinkClaim.SessionChanged, await Store.TryClaimUplinkAsync(devEui, devAddr, fromPending: true, 0, None));

        var instances = new[] { Store, other };
        var accepted = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var count = 0;
            for (uint fCnt = 1; fCnt <= 100; fCnt++)
            {
                if (await instances[i % 2].TryClaimUplinkAsync(devEui, devAddr, fromPending: false, fCnt, None) == UplinkClaim.Accepted)
                {
                    count++;
                }
            }

            return count;
        })));

        Assert.Equal(100, accepted.Sum());
    }

    private async Task<string[]> IndexMembersAsync(DevAddr devAddr) =>
        [.. (await Db.SetMembersAsync(_keys.DevAddrIndex(devAddr))).Select(m => (string)m!).Order(StringComparer.Ordinal)];
}
