using System.Threading.Channels;
using Google.Protobuf;
using StackExchange.Redis;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Helium.Relay;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.Lns.Tests.Storage;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Tests.Helium.Relay;

/// <summary>Two relays (two server instances) on one real Redis: claims, forwarding, takeover, expiry.</summary>
[Collection(RedisStoreCollection.Name)]
public sealed class RedisHeliumStreamRelayTests(RedisStoreFixture redis)
{
    private static readonly Eui64 Gateway = Eui64.Parse("00000000000a0001");
    private static readonly DateTimeOffset At = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_downlink_is_forwarded_to_the_instance_that_claims_the_gateway()
    {
        var (a, b) = Relays();
        var received = Channel.CreateUnbounded<byte[]>();
        var subscription = await a.SubscribeAsync(m => received.Writer.TryWrite(m.ToArray()), default);
        try
        {
            // Nobody claims the gateway yet: nothing to forward to.
            Assert.False(await b.TryForwardAsync(Gateway, 7, Packet(), default));

            await a.ClaimAsync(Gateway, At, default);
            Assert.Equal(a.InstanceId, (string?)await redis.Connection.GetDatabase().StringGetAsync(a.Claim(Gateway)));

            // The claimant does not forward to itself; the other instance does.
            Assert.False(await a.TryForwardAsync(Gateway, 7, Packet(), default));
            Assert.True(await b.TryForwardAsync(Gateway, 7, Packet(), default));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var bytes = await received.Reader.ReadAsync(cts.Token);
            Assert.True(RelayMessage.TryRead(bytes, out var message, out _));
            Assert.Equal(RelayMessageKind.Downlink, message.Kind);
            Assert.Equal(Gateway, message.GatewayId);
            Assert.Equal(7u, message.DownlinkId);
            Assert.Equal(Packet(), message.Envelope);
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }

    [Fact]
    public async Task A_claimant_that_is_not_listening_gets_nothing_and_the_sender_knows()
    {
        var (a, b) = Relays();
        await a.ClaimAsync(Gateway, At, default);

        // Instance a "died": its claim is still there, but no subscriber hears the channel.
        Assert.False(await b.TryForwardAsync(Gateway, 1, Packet(), default));
    }

    [Fact]
    public async Task Claims_expire_unless_refreshed_and_refresh_restores_a_lost_claim()
    {
        var (a, _) = Relays(TimeSpan.FromSeconds(1));
        var db = redis.Connection.GetDatabase();
        await a.ClaimAsync(Gateway, At, default);
        var ttl = await db.KeyTimeToLiveAsync(a.Claim(Gateway));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));

        // A Redis restart (simulated by deleting the key) loses the claim; the next refresh makes it again.
        await db.KeyDeleteAsync(a.Claim(Gateway));
        Assert.Empty(await a.RefreshAsync(default));
        Assert.Equal(a.InstanceId, (string?)await db.StringGetAsync(a.Claim(Gateway)));
    }

    [Fact]
    public async Task A_newer_claim_elsewhere_releases_the_older_stream_and_is_never_undone_by_it()
    {
        var (a, b) = Relays();
        var db = redis.Connection.GetDatabase();
        var received = Channel.CreateUnbounded<byte[]>();
        var subscription = await a.SubscribeAsync(m => received.Writer.TryWrite(m.ToArray()), default);
        try
        {
            await a.ClaimAsync(Gateway, At, default);
            await b.ClaimAsync(Gateway, At.AddSeconds(5), default);

            // a is told to end its stream registered before b's claim.
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.True(RelayMessage.TryRead(await received.Reader.ReadAsync(cts.Token), out var release, out _));
            Assert.Equal(RelayMessageKind.Release, release.Kind);
            Assert.Equal(At.AddSeconds(5).ToUnixTimeMilliseconds(), release.ClaimedAtUnixMs);

            // a's refresh reports the gateway lost instead of taking it back, and a's release leaves b's claim.
            Assert.Equal([Gateway], await a.RefreshAsync(default));
            await a.ReleaseAsync(Gateway, At, default);
            Assert.Equal(b.InstanceId, (string?)await db.StringGetAsync(b.Claim(Gateway)));

            // b's own release deletes it; a release for an older stream of b's would not have.
            await b.ReleaseAsync(Gateway, At, default);
            Assert.Equal(b.InstanceId, (string?)await db.StringGetAsync(b.Claim(Gateway)));
            await b.ReleaseAsync(Gateway, At.AddSeconds(5), default);
            Assert.False(await db.KeyExistsAsync(b.Claim(Gateway)));
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }

    [Fact]
    public async Task Shutdown_gives_up_every_claim()
    {
        var (a, _) = Relays();
        var db = redis.Connection.GetDatabase();
        var second = Eui64.Parse("00000000000a0002");
        await a.ClaimAsync(Gateway, At, default);
        await a.ClaimAsync(second, At, default);
        await a.ReleaseAllAsync(default);
        Assert.False(await db.KeyExistsAsync(a.Claim(Gateway)));
        Assert.False(await db.KeyExistsAsync(a.Claim(second)));
        Assert.Empty(a.Claimed);
    }

    [Fact]
    public void Keys_and_channels_carry_hash_tags()
    {
        var (a, _) = Relays();
        Assert.Matches(@"^hr\w+:\{hpr:00000000000a0001\}$", a.Claim(Gateway).ToString());
        Assert.Matches(@"^hr\w+:\{hpr-instance:[0-9a-f]{32}\}$", a.InstanceChannel(a.InstanceId).ToString());
    }

    private (RedisHeliumStreamRelay A, RedisHeliumStreamRelay B) Relays(TimeSpan? lifetime = null)
    {
        var store = new RedisStoreOptions { KeyPrefix = "hr" + Guid.NewGuid().ToString("N")[..8] };
        var options = new HeliumPacketRouterOptions { RouteClaimLifetime = lifetime ?? TimeSpan.FromSeconds(30) };
        return (new RedisHeliumStreamRelay(redis.Connection, store, options), new RedisHeliumStreamRelay(redis.Connection, store, options));
    }

    private static envelope_down_v1 Packet() => new()
    {
        Packet = new packet_router_packet_down_v1 { Payload = ByteString.CopyFrom(0x20, 1, 2), Rx1 = new window_v1 { Timestamp = 1, Frequency = 868_100_000 } },
    };
}
