using Google.Protobuf;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Proto.Tests;

/// <summary>
/// Known-answer encodings for the Helium packet-router messages, worked out by hand from the
/// field numbers (tag = (field &lt;&lt; 3) | wire type).
/// </summary>
public sealed class HeliumWireTests
{
    [Fact]
    public void Packet_up_all_fields()
    {
        var packet = new packet_router_packet_up_v1
        {
            Payload = ByteString.CopyFrom(0x40, 0x01),      // 1  -> 0a 02 40 01
            Timestamp = 1_700_000_000_000,                   // 2  -> 10 80 d0 95 ff bc 31
            Rssi = -36,                                      // 3  -> 18, sint32 zigzag(-36) = 71 = 0x47
            Frequency = 903_900_000,                         // 4  -> 20 e0 d6 81 af 03
            Datarate = data_rate.Sf7Bw125,                   // 5  -> 28 05
            Snr = -7.25f,                                    // 6  -> 35, fixed32 0xc0e80000 little-endian
            Region = region.Eu868,                           // 7  -> 38 01
            HoldTime = 11,                                   // 8  -> 40 0b
            Gateway = ByteString.CopyFrom(0x01, 0x02),       // 9  -> 4a 02 01 02
            Signature = ByteString.CopyFrom(0x03),           // 10 -> 52 01 03
        };

        Wire.AssertEncodes(
            packet,
            "0a 02 40 01 10 80 d0 95 ff bc 31 18 47 20 e0 d6 81 af 03 28 05 35 00 00 e8 c0 38 01 40 0b 4a 02 01 02 52 01 03");
    }

    [Theory]
    [InlineData(-1, "18 01")]
    [InlineData(1, "18 02")]
    [InlineData(-36, "18 47")]
    [InlineData(-120, "18 ef 01")]
    [InlineData(int.MinValue, "18 ff ff ff ff 0f")]
    public void Packet_up_rssi_is_zigzag_sint32_field_3(int rssi, string expectedHex)
    {
        Wire.AssertEncodes(new packet_router_packet_up_v1 { Rssi = rssi }, expectedHex);
    }

    [Fact]
    public void Packet_up_unknown_region_is_99()
    {
        Wire.AssertEncodes(new packet_router_packet_up_v1 { Region = region.Unknown }, "38 63");
    }

    [Fact]
    public void Envelope_up_register_is_field_1()
    {
        var envelope = new envelope_up_v1
        {
            Register = new packet_router_register_v1
            {
                Timestamp = 1000,                       // 1 -> 08 e8 07
                Gateway = ByteString.CopyFrom(0x01),    // 2 -> 12 01 01
                Signature = ByteString.CopyFrom(0x02),  // 3 -> 1a 01 02
                SessionCapable = true,                  // 4 -> 20 01
                PacketAckInterval = 10,                 // 5 -> 28 0a
            },
        };

        Wire.AssertEncodes(envelope, "0a 0d 08 e8 07 12 01 01 1a 01 02 20 01 28 0a");
    }

    [Fact]
    public void Envelope_up_packet_is_field_2()
    {
        var envelope = new envelope_up_v1 { Packet = new packet_router_packet_up_v1 { Payload = ByteString.CopyFrom(0x40) } };

        Wire.AssertEncodes(envelope, "12 03 0a 01 40");
        Assert.Equal(envelope_up_v1.DataOneofCase.Packet, envelope.DataCase);
    }

    [Fact]
    public void Envelope_up_session_init_is_field_3()
    {
        var envelope = new envelope_up_v1
        {
            SessionInit = new packet_router_session_init_v1
            {
                Gateway = ByteString.CopyFrom(0x01),    // 1
                Nonce = ByteString.CopyFrom(0x02),      // 2
                SessionKey = ByteString.CopyFrom(0x03), // 3
                Signature = ByteString.CopyFrom(0x04),  // 4
            },
        };

        Wire.AssertEncodes(envelope, "1a 0c 0a 01 01 12 01 02 1a 01 03 22 01 04");
    }

    [Fact]
    public void Envelope_down_packet_with_two_windows_is_field_1()
    {
        var envelope = new envelope_down_v1
        {
            Packet = new packet_router_packet_down_v1
            {
                Payload = ByteString.CopyFrom(0x20), // 1 -> 0a 01 20
                Rx1 = new window_v1                  // 2 -> 12
                {
                    Timestamp = 1000,                // 1 -> 08 e8 07
                    Frequency = 903_900_000,         // 2 -> 10 e0 d6 81 af 03
                    Datarate = data_rate.Sf10Bw125,  // 3 -> 18 02
                },
                Rx2 = new window_v1                  // 3 -> 1a
                {
                    Frequency = 1,
                    Datarate = data_rate.Sf12Bw500,  // 12
                    Immediate = true,                // 4 -> 20 01
                },
            },
        };

        Wire.AssertEncodes(envelope, "0a 18 0a 01 20 12 0b 08 e8 07 10 e0 d6 81 af 03 18 02 1a 06 10 01 18 0c 20 01");
    }

    [Fact]
    public void Envelope_down_session_offer_is_field_2()
    {
        var envelope = new envelope_down_v1 { SessionOffer = new packet_router_session_offer_v1 { Nonce = ByteString.CopyFrom(0x07) } };

        Wire.AssertEncodes(envelope, "12 03 0a 01 07");
    }

    [Fact]
    public void Envelope_down_packet_ack_is_field_3()
    {
        var envelope = new envelope_down_v1 { PacketAck = new packet_router_packet_ack_v1 { PayloadHash = ByteString.CopyFrom(0xAB) } };

        Wire.AssertEncodes(envelope, "1a 03 0a 01 ab");
    }

    [Fact]
    public void Packet_report_all_fields()
    {
        var report = new packet_router_packet_report_v1
        {
            GatewayTmst = 1000,                              // 1  -> 08 e8 07
            Oui = 2,                                         // 2  -> 10 02
            NetId = 11,                                      // 3  -> 18 0b
            Rssi = -36,                                      // 4  -> 20 47 (sint32)
            Frequency = 903_900_000,                         // 5  -> 28 e0 d6 81 af 03
            Snr = 5.5f,                                      // 6  -> 35 00 00 b0 40
            Datarate = data_rate.Sf7Bw125,                   // 7  -> 38 05
            Region = region.Eu868,                           // 8  -> 40 01
            Gateway = ByteString.CopyFrom(0x01),             // 9  -> 4a 01 01
            PayloadHash = ByteString.CopyFrom(0xAB),         // 10 -> 52 01 ab
            PayloadSize = 11,                                // 11 -> 58 0b
            Free = true,                                     // 12 -> 60 01
            Type = packet_router_packet_report_v1.Types.packet_type.Uplink, // 13 -> 68 01
            ReceivedTimestamp = 1_700_000_000_000,           // 14 -> 70 80 d0 95 ff bc 31
        };

        Wire.AssertEncodes(
            report,
            "08 e8 07 10 02 18 0b 20 47 28 e0 d6 81 af 03 35 00 00 b0 40 38 05 40 01 4a 01 01 52 01 ab 58 0b 60 01 68 01 70 80 d0 95 ff bc 31");
    }

    [Fact]
    public void Packet_report_join_type_is_the_default_zero()
    {
        var report = new packet_router_packet_report_v1 { Type = packet_router_packet_report_v1.Types.packet_type.Join };

        Assert.Empty(report.ToByteArray());
        Assert.Equal(0, (int)packet_router_packet_report_v1.Types.packet_type.Join);
        Assert.Equal(1, (int)packet_router_packet_report_v1.Types.packet_type.Uplink);
    }
}
