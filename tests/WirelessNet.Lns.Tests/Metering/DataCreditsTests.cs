using Google.Protobuf;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Metering;
using WirelessNet.Lns.Uplinks;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Tests.Metering;

/// <summary>The pure parts of metering: the DC rule, the MaxCopies choice and the packet reports built from copies.</summary>
public sealed class DataCreditsTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(23, 1)]
    [InlineData(24, 1)]
    [InlineData(25, 2)]
    [InlineData(48, 2)]
    [InlineData(49, 3)]
    [InlineData(242, 11)]
    public void One_credit_per_started_24_bytes_and_at_least_one(int payloadSize, long expected) =>
        Assert.Equal(expected, DataCredits.ForPayload(payloadSize));

    [Fact]
    public void Negative_size_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DataCredits.ForPayload(-1));

    [Fact]
    public void Max_copies_keeps_the_strongest_by_snr_then_rssi_in_arrival_order()
    {
        var receptions = new[]
        {
            Reception(1, rssi: -100, snr: 5f),
            Reception(2, rssi: -120, snr: -10f),
            Reception(3, rssi: -90, snr: 5f),   // same SNR as 1, better RSSI
            Reception(4, rssi: -80, snr: 9f),
        };

        var kept = CopyLimit.Select(receptions, 2);

        Assert.Equal([3ul, 4ul], kept.Select(r => r.GatewayId.Value));
        Assert.Same(receptions, CopyLimit.Select(receptions, 0));
        Assert.Same(receptions, CopyLimit.Select(receptions, 4));
        Assert.Equal(3, CopyLimit.Select(receptions, 3).Count);
    }

    [Fact]
    public void Packet_reports_describe_each_purchased_copy()
    {
        var payload = new byte[30];
        var at = new DateTimeOffset(2026, 11, 26, 7, 59, 59, 123, TimeSpan.Zero);
        var helium = Reception(7, rssi: -95, snr: 4.5f) with
        {
            Transport = GatewayTransport.HeliumGrpc,
            PhyPayload = payload,
            ReceivedAt = at,
            GatewayTimestampMicros = 123_456,
            Metadata = new Dictionary<string, string> { ["region"] = "eu868" },
        };
        var mqtt = Reception(8, rssi: -100, snr: 1f) with { PhyPayload = payload, ReceivedAt = at };
        var uplink = new ReceivedUplink(Guid.NewGuid(), payload, [helium, mqtt]);

        var packet = PacketMetering.Build(uplink, "tenant-a", MeteredPacketType.Uplink, at, netId: 0x13, oui: 7);

        Assert.Equal("tenant-a", packet.TenantId);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 7, 0, 0, TimeSpan.Zero), packet.Hour);
        Assert.Equal(2, packet.Copies);
        Assert.Equal(60, packet.Bytes);
        Assert.Equal(4, packet.DataCredits); // 30 bytes: 2 DC per copy
        Assert.Equal(2, packet.Reports.Count);

        var report = packet.Reports[0];
        Assert.Equal(123_456ul, report.GatewayTmst);
        Assert.Equal(7ul, report.Oui);
        Assert.Equal(0x13u, report.NetId);
        Assert.Equal(-95, report.Rssi);
        Assert.Equal(868_100_000u, report.Frequency);
        Assert.Equal(4.5f, report.Snr);
        Assert.Equal(data_rate.Sf7Bw125, report.Datarate);
        Assert.Equal(region.Eu868, report.Region);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 7 }, report.Gateway.ToByteArray());
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(payload), report.PayloadHash.ToByteArray());
        Assert.Equal(30u, report.PayloadSize);
        Assert.False(report.Free);
        Assert.Equal(packet_router_packet_report_v1.Types.packet_type.Uplink, report.Type);
        Assert.Equal((ulong)at.ToUnixTimeMilliseconds(), report.ReceivedTimestamp);

        // Without a gateway clock or region, the server's receive time and UNKNOWN stand in.
        Assert.Equal((ulong)at.ToUnixTimeMilliseconds(), packet.Reports[1].GatewayTmst);
        Assert.Equal(region.Unknown, packet.Reports[1].Region);

        // Round trip through the wire form the Redis stream keeps.
        Assert.Equal(report, packet_router_packet_report_v1.Parser.ParseFrom(report.ToByteArray()));
    }

    [Fact]
    public void Report_uses_the_binary_gateway_key_when_the_transport_passes_it()
    {
        var payload = new byte[5];
        var r = Reception(9, -90, 3f) with { PhyPayload = payload, Metadata = new Dictionary<string, string> { [PacketMetering.GatewayKeyMetadata] = "01aabb" } };
        var packet = PacketMetering.Build(new ReceivedUplink(Guid.NewGuid(), payload, [r]), "t", MeteredPacketType.Join, DateTimeOffset.UtcNow, 0, 0);

        Assert.Equal(new byte[] { 0x01, 0xAA, 0xBB }, packet.Reports[0].Gateway.ToByteArray());
        Assert.Equal(packet_router_packet_report_v1.Types.packet_type.Join, packet.Reports[0].Type);
        Assert.Equal(1, packet.DataCredits);
    }

    internal static UplinkReception Reception(ulong gateway, int rssi, float snr) => new()
    {
        GatewayId = new Eui64(gateway),
        PhyPayload = [1, 2, 3],
        FrequencyHz = 868_100_000,
        Modulation = new LoRaModulation(7, 125_000),
        Rssi = rssi,
        Snr = snr,
        ReceivedAt = DateTimeOffset.UtcNow,
    };
}
