using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Helium.Relay;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.Lns.Tests.EndToEnd;
using WirelessNet.Lns.Tests.Storage;
using WirelessNet.Lns.Uplinks;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;
using WirelessNet.Simulators.Devices;
using WirelessNet.Simulators.Gateways;

namespace WirelessNet.Lns.Tests.Helium.Relay;

/// <summary>
/// Two real server instances on one Redis, each with its own broker. A Helium hotspot holds its stream on instance
/// A; an MQTT gateway on instance B hears the same frames first, so B collects and processes them; the hotspot
/// hears them best, so B's answers (Join-Accept, ACKs) must reach the hotspot's stream on A.
/// </summary>
[Collection(RedisStoreCollection.Name)]
public sealed class CrossInstanceDownlinkTests(RedisStoreFixture redis)
{
    private const uint Frequency = 868_100_000;
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Helium:PacketRouter:GatewayCacheLifetime"] = "00:00:00",
    };

    [Fact]
    public async Task Join_accept_and_acks_decided_on_another_instance_reach_the_gateways_stream()
    {
        var prefix = "xi" + Guid.NewGuid().ToString("N")[..8];
        await using var a = await ServerUnderTest.StartAsync(null, redis.ConnectionString, prefix, Settings);
        await using var b = await ServerUnderTest.StartAsync(null, redis.ConnectionString, prefix, Settings);
        using var relayedOnB = new DownlinkOutcomes(b);
        using var key = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        var hotspotId = HeliumGatewayIds.FromPublicKey(key.PublicKey);
        var mqttGatewayId = Eui64.Parse("000000000000c301");
        var device = new SimulatedDevice(seed: 7301);
        await a.ProvisionAsync([hotspotId, mqttGatewayId], [device]);

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{a.GrpcPort}");
        await using var hotspot = await HeliumGatewayClient.ConnectAsync(channel, key, session: true);
        var relay = a.Services.GetRequiredService<RedisHeliumStreamRelay>();
        await WaitUntilAsync(async () => (string?)await redis.Connection.GetDatabase().StringGetAsync(relay.Claim(hotspotId)) == relay.InstanceId);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var mqtt = new MqttGatewaySimulator(mqttGatewayId, b.MqttHost, b.MqttPort);
        await mqtt.ConnectAsync(cts.Token);

        // Join: B collects (the MQTT copy arrives first), the hotspot's copy is the best one.
        const ulong joinTimestamp = 3_000_000_000;
        var join = device.CreateJoinRequest();
        await HearOnBothAsync(join, mqtt, hotspot, joinTimestamp, prefix, cts.Token);
        var accept = (await hotspot.NextAsync(envelope_down_v1.DataOneofCase.Packet, TimeSpan.FromSeconds(20))).Packet;
        Assert.Equal(joinTimestamp + 5_000_000, accept.Rx1.Timestamp);
        Assert.Equal(joinTimestamp + 6_000_000, accept.Rx2.Timestamp);
        Assert.Equal(Frequency, accept.Rx1.Frequency);
        Assert.True(device.TryAcceptJoin(accept.Payload.ToByteArray()));
        await b.NextEventAsync(device.DevEui, "join", TimeSpan.FromSeconds(20));
        Assert.Equal(1, relayedOnB.Count("relayed"));

        // Two confirmed uplinks, each ACKed through A. The hotspot's written downlink is acknowledged on A against
        // the in-flight record B saved: the counter advances, so the second ACK carries the next FCnt.
        for (var i = 0; i < 2; i++)
        {
            var timestamp = joinTimestamp + 100_000_000 + ((ulong)i * 10_000_000);
            await HearOnBothAsync(device.CreateDataUplink([(byte)i], fPort: 4, confirmed: true, txDr: 5), mqtt, hotspot, timestamp, prefix, cts.Token);
            var answer = (await hotspot.NextAsync(envelope_down_v1.DataOneofCase.Packet, TimeSpan.FromSeconds(20))).Packet;
            Assert.Equal(timestamp + 1_000_000, answer.Rx1.Timestamp);
            var received = device.TryReceiveDownlink(answer.Payload.ToByteArray(), lastUplinkFCnt: (ushort)(device.FCntUp - 1));
            Assert.NotNull(received);
            Assert.True(received.Ack);
            Assert.Equal((uint)i, received.FCnt);
            var up = await b.NextEventAsync(device.DevEui, "up", TimeSpan.FromSeconds(20));
            Assert.Equal(2, up.GetProperty("rxInfo").GetArrayLength());
        }

        Assert.Equal(3, relayedOnB.Count("relayed"));
        Assert.False(mqtt.Downlinks.TryRead(out _), "the MQTT gateway heard worse and gets no downlink");
    }

    [Fact]
    public async Task A_newer_stream_on_another_instance_ends_the_older_one_and_takes_the_downlinks()
    {
        var prefix = "xr" + Guid.NewGuid().ToString("N")[..8];
        await using var a = await ServerUnderTest.StartAsync(null, redis.ConnectionString, prefix, Settings);
        await using var b = await ServerUnderTest.StartAsync(null, redis.ConnectionString, prefix, Settings);
        using var key = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);
        var hotspotId = HeliumGatewayIds.FromPublicKey(key.PublicKey);
        await a.ProvisionAsync([hotspotId], []);
        var relayB = b.Services.GetRequiredService<RedisHeliumStreamRelay>();
        var db = redis.Connection.GetDatabase();

        using var channelA = GrpcChannel.ForAddress($"http://127.0.0.1:{a.GrpcPort}");
        using var channelB = GrpcChannel.ForAddress($"http://127.0.0.1:{b.GrpcPort}");
        await using var first = await HeliumGatewayClient.ConnectAsync(channelA, key, session: true);
        await WaitUntilAsync(() => Task.FromResult(a.Services.GetRequiredService<HeliumGatewayStreams>().IsConnected(hotspotId)));
        await Task.Delay(50);

        await using var second = await HeliumGatewayClient.ConnectAsync(channelB, key, session: true);
        Assert.Equal(StatusCode.OK, (await first.WaitEndedAsync(TimeSpan.FromSeconds(20))).StatusCode);
        await WaitUntilAsync(() => Task.FromResult(!a.Services.GetRequiredService<HeliumGatewayStreams>().IsConnected(hotspotId)));

        // The old stream's end did not undo the new claim.
        Assert.Equal(relayB.InstanceId, (string?)await db.StringGetAsync(relayB.Claim(hotspotId)));
        Assert.False(second.Ended.Task.IsCompleted);
    }

    /// <summary>
    /// The MQTT gateway's copy first, and once B has opened the deduplication window (its reception is in Redis),
    /// the hotspot's stronger copy on A.
    /// </summary>
    private async Task HearOnBothAsync(byte[] frame, MqttGatewaySimulator mqtt, HeliumGatewayClient hotspot, ulong timestamp, string prefix, CancellationToken cancellationToken)
    {
        var dedupKey = (RedisKey)$"{prefix}:{{dedup:{RedisKeys.EncodeIdentifier(UplinkReceptionSerializer.DeduplicationKey(frame))}}}";
        await mqtt.PublishUplinkAsync(frame, Frequency, 7, -115, -8f, cancellationToken);
        await WaitUntilAsync(async () => await redis.Connection.GetDatabase().ListLengthAsync(dedupKey) >= 1);
        await hotspot.SendPacketAsync(frame, timestamp, Frequency, rssi: -70, snr: 9.5f);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(5);
        }
    }

    /// <summary>Counts one host's Helium downlink outcomes (other hosts in the process publish the same instrument).</summary>
    private sealed class DownlinkOutcomes : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

        public DownlinkOutcomes(ServerUnderTest server)
        {
            var meter = server.Services.GetRequiredService<HeliumMetrics>().Meter;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "wirelessnet_helium_downlinks")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "outcome" && tag.Value is string outcome)
                    {
                        _counts.AddOrUpdate(outcome, value, (_, v) => v + value);
                    }
                }
            });
            _listener.Start();
        }

        public long Count(string outcome) => _counts.GetValueOrDefault(outcome);

        public void Dispose() => _listener.Dispose();
    }
}
