using System.Text;
using System.Text.Json;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.ChirpStack.Gateway;
using WirelessNet.Simulators.Devices;
using WirelessNet.Simulators.Gateways;
using WirelessNet.Testing;

namespace WirelessNet.Lns.Tests.EndToEnd;

/// <summary>
/// Gateways and a device, simulated against the real server over MQTT: OTAA join, a data uplink heard by three
/// gateways (protobuf and JSON), a confirmed uplink's ACK in RX1, and an application downlink consumed only by an
/// OK TxAck. Runs on the embedded broker with the in-memory store, and on Mosquitto with Redis.
/// </summary>
public abstract class OtaaEndToEndTests
{
    private static readonly Eui64 GatewayA = Eui64.Parse("00000000000e2e01");
    private static readonly Eui64 GatewayB = Eui64.Parse("00000000000e2e02");
    private static readonly Eui64 GatewayC = Eui64.Parse("00000000000e2e03");
    private const ulong Frequency = 868_300_000;

    private protected abstract Task<ServerUnderTest> StartServerAsync();

    [Fact]
    public async Task Device_joins_and_talks_through_three_gateways()
    {
        await using var server = await StartServerAsync();
        var device = new SimulatedDevice(seed: 2026);
        await server.ProvisionAsync([GatewayA, GatewayB, GatewayC], [device]);

        await using var a = new MqttGatewaySimulator(GatewayA, server.MqttHost, server.MqttPort, GatewayPayloadEncoding.Protobuf) { AutoAcknowledge = true };
        await using var b = new MqttGatewaySimulator(GatewayB, server.MqttHost, server.MqttPort, GatewayPayloadEncoding.Json) { AutoAcknowledge = true };
        await using var c = new MqttGatewaySimulator(GatewayC, server.MqttHost, server.MqttPort, GatewayPayloadEncoding.Protobuf) { AutoAcknowledge = false };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await a.ConnectAsync(cts.Token);
        await b.ConnectAsync(cts.Token);
        await c.ConnectAsync(cts.Token);
        await Task.Delay(300, cts.Token);

        // OTAA: the Join-Accept comes back through the gateway that heard the request, at the join-accept delays.
        await a.PublishUplinkAsync(device.CreateJoinRequest(), Frequency, 7, -80, 8f, cts.Token, channel: 1);
        var joinAccept = await a.Downlinks.ReadAsync(cts.Token);
        Assert.Equal(GatewayA.ToString(), joinAccept.GatewayId);
        Assert.Equal(5, joinAccept.Items[0].TxInfo.Timing.Delay.Delay.Seconds);
        Assert.Equal(6, joinAccept.Items[1].TxInfo.Timing.Delay.Delay.Seconds);
        Assert.True(device.TryAcceptJoin(joinAccept.Items[0].PhyPayload.ToByteArray()));
        var join = await server.NextEventAsync(device.DevEui, "join");
        Assert.Equal(device.DevAddr.ToString(), join.GetProperty("devAddr").GetString());

        // A data uplink heard by three gateways (one speaking JSON): one 'up' event with three receptions.
        var uplink = device.CreateDataUplink(Encoding.ASCII.GetBytes("21.5C"), fPort: 10, txDr: 5, txCh: 1);
        await Task.WhenAll(
            a.PublishUplinkAsync(uplink, Frequency, 7, -101, -2f, cts.Token, channel: 1),
            b.PublishUplinkAsync(uplink, Frequency, 7, -85, 9f, cts.Token, channel: 1),
            c.PublishUplinkAsync(uplink, Frequency, 7, -95, 3f, cts.Token, channel: 1));
        var up = await server.NextEventAsync(device.DevEui, "up");
        Assert.Equal("21.5C", Encoding.ASCII.GetString(Convert.FromBase64String(up.GetProperty("data").GetString()!)));
        Assert.Equal(3, up.GetProperty("rxInfo").GetArrayLength());
        Assert.Equal(10, up.GetProperty("fPort").GetInt32());
        await Task.Delay(500, cts.Token);
        Assert.False(server.TryTakeEvent(device.DevEui, "up", out _), "exactly one up event for three receptions");

        // Confirmed uplink: ACK in RX1 (same frequency in EU868, DR5 → SF7) through the best gateway (B, JSON).
        var confirmed = device.CreateDataUplink([1], fPort: 10, confirmed: true, txDr: 5, txCh: 1);
        await Task.WhenAll(
            a.PublishUplinkAsync(confirmed, Frequency, 7, -101, -2f, cts.Token, channel: 1),
            b.PublishUplinkAsync(confirmed, Frequency, 7, -85, 9f, cts.Token, channel: 1));
        var ack = await b.Downlinks.ReadAsync(cts.Token);
        var rx1 = ack.Items[0].TxInfo;
        Assert.Equal((uint)Frequency, rx1.Frequency);
        Assert.Equal(7u, rx1.Modulation.Lora.SpreadingFactor);
        Assert.Equal(1, rx1.Timing.Delay.Delay.Seconds);
        var received = device.TryReceiveDownlink(ack.Items[0].PhyPayload.ToByteArray(), lastUplinkFCnt: (ushort)(device.FCntUp - 1));
        Assert.NotNull(received);
        Assert.True(received.Ack);
        await server.NextEventAsync(device.DevEui, "up");

        // An application downlink over MQTT: sent at the next uplink; gateway C does not acknowledge, so it stays
        // queued and is sent again, and only the OK TxAck consumes it.
        await server.PublishApplicationDownlinkAsync(device.DevEui, 42, [0xCA, 0xFE]);
        await Task.Delay(300, cts.Token);
        await c.PublishUplinkAsync(device.CreateDataUplink([2], txDr: 5, txCh: 1), Frequency, 7, -90, 5f, cts.Token, channel: 1);
        var first = await c.Downlinks.ReadAsync(cts.Token);
        Assert.Equal(42, device.TryReceiveDownlink(first.Items[0].PhyPayload.ToByteArray())?.FPort);
        await c.SendTxAckAsync(first.DownlinkId, [TxAckStatus.TooLate, TxAckStatus.TooLate], cts.Token);
        await server.NextEventAsync(device.DevEui, "up");

        await a.PublishUplinkAsync(device.CreateDataUplink([3], txDr: 5, txCh: 1), Frequency, 7, -90, 5f, cts.Token, channel: 1);
        var second = await a.Downlinks.ReadAsync(cts.Token);
        Assert.Equal(first.Items[0].PhyPayload, second.Items[0].PhyPayload);
        // The earlier ACK downlink was acknowledged by gateway B too; find the queue item's txack.
        JsonElement txAck;
        do
        {
            txAck = await server.NextEventAsync(device.DevEui, "txack");
        }
        while (txAck.GetProperty("downlinkId").GetUInt32() != second.DownlinkId);
        Assert.False(string.IsNullOrEmpty(txAck.GetProperty("queueItemId").GetString()));
    }
}

public sealed class OtaaEndToEndOnEmbeddedBrokerTests : OtaaEndToEndTests
{
    private protected override Task<ServerUnderTest> StartServerAsync() => ServerUnderTest.StartAsync();
}

[Collection(MosquittoAndRedisCollection.Name)]
public sealed class OtaaEndToEndOnMosquittoAndRedisTests(MosquittoFixture mosquitto, RedisServerFixture redis) : OtaaEndToEndTests
{
    private protected override Task<ServerUnderTest> StartServerAsync() => ServerUnderTest.StartAsync(mosquitto.Broker, redis.Server);
}

/// <summary>The same journey on a three-master Redis Cluster: every multi-key operation must stay in one hash slot.</summary>
public sealed class OtaaEndToEndOnRedisClusterTests(RedisClusterFixture cluster) : OtaaEndToEndTests, IClassFixture<RedisClusterFixture>
{
    private protected override Task<ServerUnderTest> StartServerAsync() => ServerUnderTest.StartAsync(null, cluster.Cluster.ConnectionString);
}

public sealed class RedisClusterFixture : IAsyncLifetime
{
    private RedisCluster? _cluster;

    public RedisCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync() => _cluster = await RedisCluster.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MosquittoAndRedisCollection : ICollectionFixture<MosquittoFixture>, ICollectionFixture<RedisServerFixture>
{
    public const string Name = "Mosquitto and Redis";
}
