using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Storage;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PacketRouter;
using WirelessNet.Simulators.Devices;
using WirelessNet.Simulators.Gateways;

namespace WirelessNet.Lns.Tests.Helium;

/// <summary>
/// Helium hotspots (ed25519 and P-256 keys) on the real server's packet-router gRPC door: registration, sessions,
/// signed uplinks to application events, Join-Accepts as packet_down in the gateway's µs clock, every rejection
/// reason, rate limits, stream lifetime, and deduplication with an MQTT gateway.
/// </summary>
public sealed class PacketRouterEndToEndTests
{
    private const uint Frequency = 868_100_000;

    [Fact]
    public async Task Ed25519_gateway_with_a_session_joins_a_device_and_delivers_its_uplinks()
    {
        await using var server = await HeliumServerUnderTest.StartAsync();
        using var key = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        await server.ProvisionGatewayAsync(key.PublicKey);
        var device = new SimulatedDevice(seed: 5001);
        await server.ProvisionDeviceAsync(device);
        await using var gateway = await HeliumGatewayClient.ConnectAsync(server.Channel, key, session: true, ackInterval: 1);

        // The Join-Accept comes back as packet_down, timed on the gateway's own µs clock: +5 s (RX1), +6 s (RX2).
        const ulong joinTimestamp = 4_000_000_000;
        await gateway.SendPacketAsync(device.CreateJoinRequest(), joinTimestamp);
        var down = (await gateway.NextAsync(envelope_down_v1.DataOneofCase.Packet)).Packet;
        Assert.Equal(joinTimestamp + 5_000_000, down.Rx1.Timestamp);
        Assert.Equal(Frequency, down.Rx1.Frequency);
        Assert.Equal(data_rate.Sf7Bw125, down.Rx1.Datarate);
        Assert.False(down.Rx1.Immediate);
        Assert.NotNull(down.Rx2);
        Assert.Equal(joinTimestamp + 6_000_000, down.Rx2.Timestamp);
        Assert.Equal(869_525_000u, down.Rx2.Frequency);
        Assert.True(device.TryAcceptJoin(down.Payload.ToByteArray()));
        await server.NextEventAsync(device.DevEui, "join");

        // A data uplink: one 'up' event whose reception is this gateway, then a packet_ack for its payload.
        var uplink = device.CreateDataUplink(Encoding.ASCII.GetBytes("hello helium"), fPort: 7, txDr: 5);
        await gateway.SendPacketAsync(uplink, 4_100_000_000, rssi: -97, snr: 4.25f);
        var up = await server.NextEventAsync(device.DevEui, "up");
        Assert.Equal("hello helium", Encoding.ASCII.GetString(Convert.FromBase64String(up.GetProperty("data").GetString()!)));
        var rxInfo = up.GetProperty("rxInfo");
        Assert.Equal(1, rxInfo.GetArrayLength());
        Assert.Equal(HeliumGatewayIds.FromPublicKey(key.PublicKey).ToString(), rxInfo[0].GetProperty("gatewayId").GetString());

        var ack = await gateway.NextAsync(envelope_down_v1.DataOneofCase.PacketAck);
        Assert.Equal(SHA256.HashData(uplink), ack.PacketAck.PayloadHash.ToByteArray());

        // Confirmed uplinks are ACKed in RX1 (+1 s). Hotspots send no TxAck: the written downlink counts as sent, so
        // the downlink counter advances and the second ACK carries the next FCnt (the device would refuse a repeat).
        for (var i = 0; i < 2; i++)
        {
            var timestamp = 4_200_000_000 + ((ulong)i * 10_000_000);
            await gateway.SendPacketAsync(device.CreateDataUplink([(byte)i], fPort: 7, confirmed: true, txDr: 5), timestamp);
            var answer = (await gateway.NextAsync(envelope_down_v1.DataOneofCase.Packet)).Packet;
            Assert.Equal(timestamp + 1_000_000, answer.Rx1.Timestamp);
            Assert.Equal(timestamp + 2_000_000, answer.Rx2.Timestamp);
            var received = device.TryReceiveDownlink(answer.Payload.ToByteArray(), lastUplinkFCnt: (ushort)(device.FCntUp - 1));
            Assert.NotNull(received);
            Assert.True(received.Ack);
            Assert.Equal((uint)i, received.FCnt);
            await server.NextEventAsync(device.DevEui, "up");
        }
    }

    [Fact]
    public async Task P256_gateway_registers_establishes_a_session_and_delivers_uplinks()
    {
        await using var server = await HeliumServerUnderTest.StartAsync();
        using var key = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);
        await server.ProvisionGatewayAsync(key.PublicKey);
        var device = new SimulatedDevice(seed: 5002);
        await server.ProvisionDeviceAsync(device);
        await using var gateway = await HeliumGatewayClient.ConnectAsync(server.Channel, key, session: true);

        await JoinAsync(server, gateway, device, 10_000_000);
        await gateway.SendPacketAsync(device.CreateDataUplink([1, 2, 3], fPort: 3, txDr: 5), 20_000_000);
        var up = await server.NextEventAsync(device.DevEui, "up");
        Assert.Equal(3, up.GetProperty("fPort").GetInt32());
    }

    [Fact]
    public async Task Gateway_without_session_signs_packets_with_its_own_key()
    {
        await using var server = await HeliumServerUnderTest.StartAsync();
        using var key = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.TestNet);
        await server.ProvisionGatewayAsync(key.PublicKey);
        var device = new SimulatedDevice(seed: 5003);
        await server.ProvisionDeviceAsync(device);
        await using var gateway = await HeliumGatewayClient.ConnectAsync(server.Channel, key, session: false);

        await JoinAsync(server, gateway, device, 30_000_000);
        Assert.False(gateway.TryTake(envelope_down_v1.DataOneofCase.SessionOffer, out _), "no session offer to a gateway that is not session capable");
        await gateway.SendPacketAsync(device.CreateDataUplink([9], txDr: 5), 31_000_000);
        await server.NextEventAsync(device.DevEui, "up");
    }

    [Fact]
    public async Task Bad_packets_are_rejected_with_their_reason_and_the_stream_keeps_working()
    {
        await using var server = await HeliumServerUnderTest.StartAsync();
        using var key = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        using var stranger = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        await server.ProvisionGatewayAsync(key.PublicKey);
        var device = new SimulatedDevice(seed: 5004);
        await server.ProvisionDeviceAsync(device);
        await using var gateway = await HeliumGatewayClient.ConnectAsync(server.Channel, key, session: true);
        await JoinAsync(server, gateway, device, 50_000_000);
        var registry = server.Services.GetRequiredService<IDeviceRegistry>();
        var gatewayId = HeliumGatewayIds.FromPublicKey(key.PublicKey);
        ulong t = 51_000_000;

        // Not an uplink (a Join-Accept MHDR).
        await gateway.SendPacketAsync([0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], t++);
        await server.WaitForRejectionsAsync(HeliumRejectReasons.InvalidMType, 1);

        // Another gateway's key in the packet, even correctly signed.
        await gateway.SendPacketAsync(device.CreateDataUplink([1], txDr: 5), t++, gateway: stranger.PublicKey);
        await server.WaitForRejectionsAsync(HeliumRejectReasons.GatewayMismatch, 1);

        // With a session, the long-term key is the wrong key; a forged signature is wrong with any key.
        await gateway.SendPacketAsync(device.CreateDataUplink([2], txDr: 5), t++, signer: key);
        await gateway.SendPacketAsync(device.CreateDataUplink([3], txDr: 5), t++, signer: stranger);
        await server.WaitForRejectionsAsync(HeliumRejectReasons.InvalidSessionSignature, 2);

        // Deleted, then denied: rejected while the stream stays up.
        await registry.DeleteGatewayAsync(gatewayId, default);
        await gateway.SendPacketAsync(device.CreateDataUplink([4], txDr: 5), t++);
        await server.WaitForRejectionsAsync(HeliumRejectReasons.UnknownGateway, 1);
        await server.ProvisionGatewayAsync(gatewayId, denied: true);
        await gateway.SendPacketAsync(device.CreateDataUplink([5], txDr: 5), t++);
        await server.WaitForRejectionsAsync(HeliumRejectReasons.DeniedGateway, 1);
        await server.ProvisionGatewayAsync(gatewayId);

        // FSK is not LoRa.
        await gateway.SendPacketAsync(device.CreateDataUplink([6], txDr: 5), t++, dataRate: data_rate.Fsk50);
        await server.WaitForRejectionsAsync(HeliumRejectReasons.UnsupportedDataRate, 1);

        // None of that ended the stream: a good packet still becomes an 'up' event.
        await gateway.SendPacketAsync(device.CreateDataUplink(Encoding.ASCII.GetBytes("still here"), txDr: 5), t++);
        var up = await server.NextEventAsync(device.DevEui, "up");
        Assert.Equal("still here", Encoding.ASCII.GetString(Convert.FromBase64String(up.GetProperty("data").GetString()!)));
        Assert.False(gateway.Ended.Task.IsCompleted);

        // The rejections are exported, by reason (values not checked: /metrics listens to every host in the process).
        var metrics = await server.MetricsTextAsync();
        Assert.Contains("wirelessnet_helium_packets_rejected_total{reason=\"gateway_mismatch\"} ", metrics, StringComparison.Ordinal);
        Assert.Contains("wirelessnet_helium_packets_rejected_total{reason=\"invalid_session_signature\"} ", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forged_packet_without_session_is_rejected_as_invalid_signature()
    {
        await using var server = await HeliumServerUnderTest.StartAsync();
        using var key = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);
        using var stranger = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);
        await server.ProvisionGatewayAsync(key.PublicKey);
        var device = new SimulatedDevice(seed: 5005);
        await server.ProvisionDeviceAsync(device);
        await using var gateway = await HeliumGatewayClient.ConnectAsync(server.Channel, key, session: false);
        await JoinAsync(server, gateway, device, 60_000_000);

        await gateway.SendPacketAsync(device.CreateDataUplink([1], txDr: 5), 61_000_000, signer: stranger);
        await server.WaitForRejectionsAsync(HeliumRejectReasons.InvalidSignature, 1);
        await gateway.SendPacketAsync(device.CreateDataUplink([2], txDr: 5), 62_000_000);
        await server.NextEventAsync(device.DevEui, "up");
    }

    [Fact]
    public async Task Over_rate_and_repeated_packets_are_rejected_and_the_stream_recovers()
    {
        // A small bucket so that the burst is sure to overflow it even on a slow machine (the default is 25/s).
        await using var server = await HeliumServerUnderTest.StartAsync(new Dictionary<string, string?>
        {
            ["Helium:PacketRouter:PacketsPerSecond"] = "5",
            ["Helium:PacketRouter:PacketBurst"] = "10",
        });
        using var key = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        await server.ProvisionGatewayAsync(key.PublicKey);
        var device = new SimulatedDevice(seed: 5006);
        await server.ProvisionDeviceAsync(device);
        await using var gateway = await HeliumGatewayClient.ConnectAsync(server.Channel, key, session: true);
        await JoinAsync(server, gateway, device, 70_000_000);
        await Task.Delay(2100);

        // 40 distinct frames at once against a bucket of 10 refilled at 5/s.
        var frame = new byte[20];
        for (var i = 0; i < 40; i++)
        {
            frame[0] = 0x40;
            RandomNumberGenerator.Fill(frame.AsSpan(1));
            await gateway.SendPacketAsync(frame, 71_000_000 + (ulong)i);
        }

        await server.WaitForRejectionsAsync(HeliumRejectReasons.RateLimited, 20);

        // The same payload twice within a second: the second is rejected.
        await Task.Delay(2100);
        frame[1] ^= 0xFF;
        await gateway.SendPacketAsync(frame, 72_000_000);
        await gateway.SendPacketAsync(frame, 72_000_001);
        await server.WaitForRejectionsAsync(HeliumRejectReasons.RepeatedPayload, 1);

        await Task.Delay(1100);
        await gateway.SendPacketAsync(device.CreateDataUplink([7], txDr: 5), 73_000_000);
        await server.NextEventAsync(device.DevEui, "up");
    }

    [Fact]
    public void Defaults_match_the_documented_limits()
    {
        var options = new HeliumPacketRouterOptions();
        Assert.Equal(25, options.PacketsPerSecond);
        Assert.Equal(1, options.SamePayloadPerSecond);
        Assert.Equal(TimeSpan.FromMinutes(35), options.MaxStreamLifetime);
    }

    [Fact]
    public async Task Bad_starts_end_the_stream_with_a_status()
    {
        await using var server = await HeliumServerUnderTest.StartAsync();
        using var key = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        using var other = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        using var denied = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);
        using var unknown = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);
        await server.ProvisionGatewayAsync(key.PublicKey);
        await server.ProvisionGatewayAsync(denied.PublicKey, denied: true);

        await AssertRefusedAsync(StatusCode.PermissionDenied, "unknown_gateway", c => c.RegisterAsync(true), unknown);
        await AssertRefusedAsync(StatusCode.PermissionDenied, "denied_gateway", c => c.RegisterAsync(true), denied);
        await AssertRefusedAsync(StatusCode.PermissionDenied, "invalid_signature", c => c.RegisterAsync(true, signer: other), key);
        await AssertRefusedAsync(StatusCode.PermissionDenied, "stale_register", c => c.RegisterAsync(true, timestamp: 1_000), key);
        await AssertRefusedAsync(StatusCode.InvalidArgument, "no_register", c => c.SendPacketAsync([0x40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 1), key);
        await AssertRefusedAsync(
            StatusCode.InvalidArgument,
            "invalid_key",
            c => c.SendAsync(new envelope_up_v1 { Register = new packet_router_register_v1 { Gateway = Google.Protobuf.ByteString.CopyFrom(1, 2, 3), Signature = Google.Protobuf.ByteString.CopyFrom(4) } }),
            key);
        await AssertRefusedAsync(StatusCode.PermissionDenied, "session_nonce_mismatch", async c =>
        {
            await c.RegisterAsync(true);
            await c.EstablishSessionAsync(nonceOverride: new byte[32]);
        }, key);

        async Task AssertRefusedAsync(StatusCode code, string reason, Func<HeliumGatewayClient, Task> act, HeliumKeyPair gatewayKey)
        {
            await using var client = HeliumGatewayClient.Open(server.Channel, gatewayKey);
            await act(client);
            var status = await client.WaitEndedAsync();
            Assert.Equal(code, status.StatusCode);
            Assert.StartsWith(reason, status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Streams_end_gracefully_at_their_maximum_lifetime_and_when_replaced()
    {
        await using var server = await HeliumServerUnderTest.StartAsync(new Dictionary<string, string?>
        {
            ["Helium:PacketRouter:MaxStreamLifetime"] = "00:00:02",
            ["Helium:PacketRouter:RegisterTimeout"] = "00:00:01",
        });
        using var key = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        await server.ProvisionGatewayAsync(key.PublicKey);
        var streams = server.Services.GetRequiredService<HeliumGatewayStreams>();
        var status = server.Services.GetRequiredService<GatewayStatusBoard>();
        var gatewayId = HeliumGatewayIds.FromPublicKey(key.PublicKey);

        // A stream that never registers is dropped.
        await using (var silent = HeliumGatewayClient.Open(server.Channel, key))
        {
            Assert.Equal(StatusCode.DeadlineExceeded, (await silent.WaitEndedAsync()).StatusCode);
        }

        await using (var first = await HeliumGatewayClient.ConnectAsync(server.Channel, key))
        {
            await WaitUntilAsync(() => streams.IsConnected(gatewayId) && status.Get(gatewayId)?.Online == true);

            // A newer stream of the same gateway takes over; the older one ends with OK.
            await using var second = await HeliumGatewayClient.ConnectAsync(server.Channel, key);
            Assert.Equal(StatusCode.OK, (await first.WaitEndedAsync()).StatusCode);
            Assert.Equal(StatusCode.OK, (await second.WaitEndedAsync(TimeSpan.FromSeconds(10))).StatusCode);
        }

        await WaitUntilAsync(() => !streams.IsConnected(gatewayId) && status.Get(gatewayId)?.Online == false);
    }

    [Fact]
    public async Task A_frame_heard_by_an_mqtt_gateway_and_two_helium_gateways_is_one_up_event_with_three_receptions()
    {
        await using var server = await HeliumServerUnderTest.StartAsync();
        using var ed25519 = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        using var p256 = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);
        var mqttGatewayId = Eui64.Parse("00000000000e4e01");
        await server.ProvisionGatewayAsync(ed25519.PublicKey);
        await server.ProvisionGatewayAsync(p256.PublicKey);
        await server.ProvisionGatewayAsync(mqttGatewayId);
        var device = new SimulatedDevice(seed: 5007);
        await server.ProvisionDeviceAsync(device);

        await using var a = await HeliumGatewayClient.ConnectAsync(server.Channel, ed25519);
        await using var b = await HeliumGatewayClient.ConnectAsync(server.Channel, p256);
        await using var mqtt = new MqttGatewaySimulator(mqttGatewayId, "127.0.0.1", server.MqttPort, GatewayPayloadEncoding.Protobuf);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await mqtt.ConnectAsync(cts.Token);
        await Task.Delay(300, cts.Token);
        await JoinAsync(server, a, device, 90_000_000);

        var uplink = device.CreateDataUplink(Encoding.ASCII.GetBytes("3x"), fPort: 10, txDr: 5);
        await a.SendPacketAsync(uplink, 91_000_000, rssi: -100, snr: -3f);
        await b.SendPacketAsync(uplink, 123_456_789, rssi: -90, snr: 2f);
        await mqtt.PublishUplinkAsync(uplink, Frequency, 7, -110, -6f, cts.Token);

        var up = await server.NextEventAsync(device.DevEui, "up");
        var gateways = up.GetProperty("rxInfo").EnumerateArray().Select(r => r.GetProperty("gatewayId").GetString()).Order(StringComparer.Ordinal).ToArray();
        string[] expected = [HeliumGatewayIds.FromPublicKey(ed25519.PublicKey).ToString(), HeliumGatewayIds.FromPublicKey(p256.PublicKey).ToString(), mqttGatewayId.ToString()];
        Assert.Equal(expected.Order(StringComparer.Ordinal), gateways);
        await Task.Delay(500, cts.Token);
        Assert.False(server.TryTakeEvent(device.DevEui, "up", out _), "exactly one up event for three receptions");
    }

    private static async Task JoinAsync(HeliumServerUnderTest server, HeliumGatewayClient gateway, SimulatedDevice device, ulong timestamp)
    {
        await gateway.SendPacketAsync(device.CreateJoinRequest(), timestamp);
        var down = await gateway.NextAsync(envelope_down_v1.DataOneofCase.Packet);
        Assert.True(device.TryAcceptJoin(down.Packet.Payload.ToByteArray()));
        await server.NextEventAsync(device.DevEui, "join");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
