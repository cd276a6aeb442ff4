using System.Threading.Channels;
using Google.Protobuf;
using StackExchange.Redis;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Helium.Relay;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.Lns.Tests.EndToEnd;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Tests.Helium.Relay;

/// <summary>
/// The relay on a three-master Redis Cluster, each instance with its own connection: the claim lands in the
/// gateway's slot, and the publish count (which tells a live claimant from a dead one) is right whichever node the
/// instance channels hash to.
/// </summary>
public sealed class RedisHeliumStreamRelayOnClusterTests(RedisClusterFixture cluster) : IClassFixture<RedisClusterFixture>
{
    [Fact]
    public async Task Downlinks_reach_listening_claimants_and_dead_ones_are_recognised()
    {
        await using var first = await ConnectionMultiplexer.ConnectAsync(cluster.Cluster.ConnectionString);
        await using var second = await ConnectionMultiplexer.ConnectAsync(cluster.Cluster.ConnectionString);
        var store = new RedisStoreOptions { KeyPrefix = "hc" + Guid.NewGuid().ToString("N")[..8] };
        var options = new HeliumPacketRouterOptions();
        var sender = new RedisHeliumStreamRelay(second, store, options);
        var envelope = new envelope_down_v1 { Packet = new packet_router_packet_down_v1 { Payload = ByteString.CopyFrom(0x20, 1), Rx1 = new window_v1 { Frequency = 868_100_000 } } };

        // Eight claimants, so that their channels fall on different nodes.
        for (var i = 0; i < 8; i++)
        {
            var claimant = new RedisHeliumStreamRelay(first, store, options);
            var gateway = new Eui64(0xC0_0000 + (ulong)i);
            var received = Channel.CreateUnbounded<byte[]>();
            var subscription = await claimant.SubscribeAsync(m => received.Writer.TryWrite(m.ToArray()), default);
            try
            {
                await claimant.ClaimAsync(gateway, DateTimeOffset.UtcNow, default);
                Assert.True(await sender.TryForwardAsync(gateway, (uint)i + 1, envelope, default), $"claimant {i} did not get the downlink");
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                Assert.True(RelayMessage.TryRead(await received.Reader.ReadAsync(cts.Token), out var message, out _));
                Assert.Equal(gateway, message.GatewayId);
                Assert.Equal((uint)i + 1, message.DownlinkId);
            }
            finally
            {
                await subscription.UnsubscribeAsync();
            }

            // No longer listening: the sender learns that nobody got it.
            Assert.False(await sender.TryForwardAsync(gateway, 99, envelope, default), $"claimant {i} is not listening any more");
        }
    }
}
