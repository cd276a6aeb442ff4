using System.Security.Cryptography;
using System.Text;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Helium;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PacketRouter;
using WirelessNet.Simulators.Devices;
using WirelessNet.Simulators.Gateways;

namespace WirelessNet.Lns.Tests.Helium;

/// <summary>The gateway-rs-like hotspot simulator against the real packet router: handshake, signed uplinks, downlinks acted on.</summary>
public sealed class HeliumGatewaySimulatorTests
{
    [Theory]
    [InlineData(HeliumKeyType.Ed25519, true)]
    [InlineData(HeliumKeyType.EccCompact, true)]
    [InlineData(HeliumKeyType.EccCompact, false)]
    public async Task A_simulated_hotspot_joins_a_device_transmits_in_rx1_and_delivers_uplinks(HeliumKeyType keyType, bool session)
    {
        await using var server = await HeliumServerUnderTest.StartAsync();
        using var key = HeliumKeyPair.Generate(keyType, HeliumNetwork.MainNet);
        await using var hotspot = new HeliumGatewaySimulator(key, server.Channel);
        Assert.Equal(HeliumGatewayIds.FromPublicKey(key.PublicKey), hotspot.GatewayId);
        await server.ProvisionGatewayAsync(key.PublicKey);
        var device = new SimulatedDevice(seed: 6100 + (int)keyType);
        await server.ProvisionDeviceAsync(device);

        await hotspot.ConnectAsync(sessionCapable: session, packetAckInterval: 1);
        Assert.Equal(session, hotspot.HasSession);

        // The Join-Accept arrives seconds ahead of RX1 on the hotspot's clock: it transmits in RX1.
        var join = device.CreateJoinRequest();
        var sent = await hotspot.SendUplinkAsync(join, 868_100_000, data_rate.Sf7Bw125, -70, 8f);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var accept = await hotspot.Downlinks.ReadAsync(cts.Token);
        Assert.Equal(HeliumDownlinkWindow.Rx1, accept.Window);
        Assert.Equal(sent.Timestamp + 5_000_000, accept.Rx1.Timestamp);
        Assert.True(device.TryAcceptJoin(accept.Payload));
        await server.NextEventAsync(device.DevEui, "join");

        var uplink = device.CreateDataUplink(Encoding.ASCII.GetBytes("sim"), fPort: 9, txDr: 5);
        await hotspot.SendUplinkAsync(uplink, 868_300_000, data_rate.Sf7Bw125, -75, 6f);
        var up = await server.NextEventAsync(device.DevEui, "up");
        Assert.Equal("sim", Encoding.ASCII.GetString(Convert.FromBase64String(up.GetProperty("data").GetString()!)));

        // packet_ack names the last payload.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (hotspot.LastAckedHash is null || !hotspot.LastAckedHash.AsSpan().SequenceEqual(SHA256.HashData(uplink)))
        {
            Assert.True(DateTime.UtcNow < deadline, "no packet_ack for the last uplink");
            await Task.Delay(50);
        }

        Assert.Equal(0, server.Rejections(HeliumRejectReasons.InvalidSignature) + server.Rejections(HeliumRejectReasons.InvalidSessionSignature));
    }

    [Fact]
    public void The_concentrator_clock_wraps_at_32_bits_and_late_windows_are_refused()
    {
        const uint now = uint.MaxValue - 100;

        // RX1 one second ahead of a clock about to wrap (the router adds in 64 bits): still ahead.
        Assert.True(HeliumGatewaySimulator.CanStillTransmit(new window_v1 { Timestamp = (ulong)now + 1_000_000 }, now));

        // 10 ms ahead is closer than a concentrator needs; a passed window is passed; immediate always goes.
        Assert.False(HeliumGatewaySimulator.CanStillTransmit(new window_v1 { Timestamp = (ulong)now + 10_000 }, now));
        Assert.False(HeliumGatewaySimulator.CanStillTransmit(new window_v1 { Timestamp = now - 1_000 }, now));
        Assert.True(HeliumGatewaySimulator.CanStillTransmit(new window_v1 { Immediate = true }, now));
        Assert.False(HeliumGatewaySimulator.CanStillTransmit(null, now));
    }
}
