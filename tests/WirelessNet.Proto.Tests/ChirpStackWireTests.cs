using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using WirelessNet.Proto.ChirpStack.Gateway;
using Location = WirelessNet.Proto.ChirpStack.Common.Location;
using LocationSource = WirelessNet.Proto.ChirpStack.Common.LocationSource;

namespace WirelessNet.Proto.Tests;

/// <summary>
/// Known-answer encodings for the ChirpStack gateway messages. Each expected byte string is
/// worked out by hand from the field numbers: tag = (field &lt;&lt; 3) | wire type, with wire
/// type 0 = varint, 1 = 64-bit, 2 = length-delimited, 5 = 32-bit.
/// </summary>
public sealed class ChirpStackWireTests
{
    [Fact]
    public void UplinkRxInfo_context_is_field_13()
    {
        // (13 << 3) | 2 = 0x6a, length 2.
        Wire.AssertEncodes(new UplinkRxInfo { Context = ByteString.CopyFrom(0xAA, 0xBB) }, "6a 02 aa bb");
    }

    [Fact]
    public void UplinkRxInfo_crc_status_is_field_16_and_needs_a_two_byte_tag()
    {
        // (16 << 3) | 0 = 128 -> varint 80 01; CRC_OK = 2.
        Wire.AssertEncodes(new UplinkRxInfo { CrcStatus = CRCStatus.CrcOk }, "80 01 02");
    }

    [Fact]
    public void UplinkRxInfo_ns_time_is_field_17()
    {
        // (17 << 3) | 2 = 138 -> 8a 01; Timestamp { seconds = 1 } = 08 01.
        Wire.AssertEncodes(new UplinkRxInfo { NsTime = new Timestamp { Seconds = 1 } }, "8a 01 02 08 01");
    }

    [Fact]
    public void UplinkRxInfo_negative_rssi_is_a_ten_byte_int32_varint()
    {
        // int32 (not sint32): -36 is sign-extended to 64 bits before varint encoding.
        Wire.AssertEncodes(new UplinkRxInfo { Rssi = -36 }, "30 dc ff ff ff ff ff ff ff ff 01");
    }

    [Fact]
    public void UplinkRxInfo_scalar_fields_use_their_upstream_numbers()
    {
        var rxInfo = new UplinkRxInfo
        {
            GatewayId = "ab",        // 1  -> 0a
            UplinkId = 1000,         // 2  -> 10, varint e8 07
            Snr = 5.5f,              // 7  -> 3d, fixed32 0x40b00000 little-endian
            Channel = 2,             // 8  -> 40
            RfChain = 1,             // 9  -> 48
            Board = 3,               // 10 -> 50
            Antenna = 4,             // 11 -> 58
        };
        rxInfo.Metadata.Add("k", "v"); // 15 -> 7a, map entry { key = 1, value = 2 }

        Wire.AssertEncodes(rxInfo, "0a 02 61 62 10 e8 07 3d 00 00 b0 40 40 02 48 01 50 03 58 04 7a 06 0a 01 6b 12 01 76");
    }

    [Fact]
    public void UplinkRxInfo_gps_time_fields_are_4_and_5_and_location_is_12()
    {
        var rxInfo = new UplinkRxInfo
        {
            GwTime = new Timestamp { Seconds = 2 },                  // 3 -> 1a
            TimeSinceGpsEpoch = new Duration { Seconds = 3 },        // 4 -> 22
            FineTimeSinceGpsEpoch = new Duration { Nanos = 5 },      // 5 -> 2a, Duration.nanos = field 2
            Location = new Location { Source = LocationSource.Gps }, // 12 -> 62, Location.source = field 4
        };

        Wire.AssertEncodes(rxInfo, "1a 02 08 02 22 02 08 03 2a 02 10 05 62 02 20 01");
    }

    [Fact]
    public void UplinkFrame_uses_fields_1_4_and_5()
    {
        var frame = new UplinkFrame
        {
            PhyPayload = ByteString.CopyFrom(0x40),
            // 868100000 -> varint a0 cf f8 9d 03
            TxInfo = new UplinkTxInfo { Frequency = 868_100_000 },
            RxInfo = new UplinkRxInfo { Channel = 2 },
        };

        Wire.AssertEncodes(frame, "0a 01 40 22 06 08 a0 cf f8 9d 03 2a 02 40 02");
    }

    [Fact]
    public void LoraModulationInfo_fields_1_to_7()
    {
        var lora = new LoraModulationInfo
        {
            Bandwidth = 125_000,          // 1 -> 08 c8 d0 07
            SpreadingFactor = 7,          // 2 -> 10 07
            CodeRateLegacy = "4/5",       // 3 -> 1a 03 "4/5"
            PolarizationInversion = true, // 4 -> 20 01
            CodeRate = CodeRate.Cr45,     // 5 -> 28 01
            Preamble = 8,                 // 6 -> 30 08
            NoCrc = true,                 // 7 -> 38 01
        };

        Wire.AssertEncodes(lora, "08 c8 d0 07 10 07 1a 03 34 2f 35 20 01 28 01 30 08 38 01");
    }

    [Fact]
    public void Modulation_oneof_uses_fields_3_4_and_5()
    {
        Wire.AssertEncodes(
            new Modulation { Lora = new LoraModulationInfo { SpreadingFactor = 7 } }, "1a 02 10 07");
        Wire.AssertEncodes(
            new Modulation { Fsk = new FskModulationInfo { Datarate = 50 } }, "22 02 10 32");
        Wire.AssertEncodes(
            new Modulation { LrFhss = new LrFhssModulationInfo { GridSteps = 52, CodeRate = CodeRate.Cr14 } },
            "2a 04 18 34 20 07");
    }

    [Fact]
    public void UplinkTxInfo_modulation_is_field_2()
    {
        var txInfo = new UplinkTxInfo
        {
            Frequency = 1,
            Modulation = new Modulation { Lora = new LoraModulationInfo { SpreadingFactor = 12 } },
        };

        Wire.AssertEncodes(txInfo, "08 01 12 04 1a 02 10 0c");
    }

    [Fact]
    public void DownlinkFrame_with_delay_timing()
    {
        var frame = new DownlinkFrame
        {
            DownlinkId = 5,  // 3 -> 18 05
            GatewayId = "g", // 7 -> 3a 01 67
        };
        frame.Items.Add(new DownlinkFrameItem
        {
            PhyPayload = ByteString.CopyFrom(0x60), // 1 -> 0a 01 60
            TxInfo = new DownlinkTxInfo             // 3 -> 1a
            {
                Frequency = 1,  // 1 -> 08 01
                Power = 14,     // 2 -> 10 0e
                Board = 1,      // 4 -> 20 01
                Antenna = 2,    // 5 -> 28 02
                // 6 -> 32; Timing.delay = 2 -> 12; DelayTimingInfo.delay = 1 -> 0a; Duration 08 01
                Timing = new Timing { Delay = new DelayTimingInfo { Delay = new Duration { Seconds = 1 } } },
                Context = ByteString.CopyFrom(0x01), // 7 -> 3a 01 01
            },
        });

        Wire.AssertEncodes(
            frame,
            "18 05 2a 18 0a 01 60 1a 13 08 01 10 0e 20 01 28 02 32 06 12 04 0a 02 08 01 3a 01 01 3a 01 67");
    }

    [Fact]
    public void Timing_oneof_uses_fields_1_2_and_3()
    {
        Wire.AssertEncodes(new Timing { Immediately = new ImmediatelyTimingInfo() }, "0a 00");
        Wire.AssertEncodes(new Timing { Delay = new DelayTimingInfo() }, "12 00");
        Wire.AssertEncodes(
            new Timing { GpsEpoch = new GPSEpochTimingInfo { TimeSinceGpsEpoch = new Duration { Seconds = 1 } } },
            "1a 04 0a 02 08 01");
    }

    [Fact]
    public void DownlinkTxAck_fields_2_5_and_6()
    {
        var ack = new DownlinkTxAck { GatewayId = "g", DownlinkId = 5 };
        ack.Items.Add(new DownlinkTxAckItem { Status = TxAckStatus.TooLate });
        ack.Items.Add(new DownlinkTxAckItem { Status = TxAckStatus.Ok });

        Wire.AssertEncodes(ack, "10 05 2a 02 08 02 2a 02 08 01 32 01 67");
    }

    [Fact]
    public void GatewayStats_gateway_id_is_field_17_and_needs_a_two_byte_tag()
    {
        // (17 << 3) | 2 = 138 -> 8a 01.
        Wire.AssertEncodes(new GatewayStats { GatewayId = "ab" }, "8a 01 02 61 62");
    }

    [Fact]
    public void GatewayStats_counters_and_maps()
    {
        var stats = new GatewayStats
        {
            Time = new Timestamp { Seconds = 1 },              // 2 -> 12
            Location = new Location { Altitude = 4.25 },       // 3 -> 1a; Location.altitude = 3 -> 19 (fixed64)
            ConfigVersion = "v",                               // 4 -> 22
            RxPacketsReceived = 5,                             // 5 -> 28
            RxPacketsReceivedOk = 6,                           // 6 -> 30
            TxPacketsReceived = 7,                             // 7 -> 38
            TxPacketsEmitted = 8,                              // 8 -> 40
        };
        stats.Metadata.Add("a", "b");                          // 10 -> 52
        stats.TxPacketsPerFrequency.Add(1, 2);                 // 12 -> 62
        stats.RxPacketsPerFrequency.Add(3, 4);                 // 13 -> 6a
        stats.TxPacketsPerModulation.Add(new PerModulationCount { Count = 9 }); // 14 -> 72
        stats.RxPacketsPerModulation.Add(new PerModulationCount { Count = 9 }); // 15 -> 7a
        stats.TxPacketsPerStatus.Add("OK", 1);                 // 16 -> 82 01

        Wire.AssertEncodes(
            stats,
            "12 02 08 01 1a 09 19 00 00 00 00 00 00 11 40 22 01 76 28 05 30 06 38 07 40 08 " +
            "52 06 0a 01 61 12 01 62 62 04 08 01 10 02 6a 04 08 03 10 04 72 02 10 09 7a 02 10 09 " +
            "82 01 06 0a 02 4f 4b 10 01");
    }

    [Fact]
    public void GatewayStats_keeps_undeclared_duty_cycle_stats_field_18()
    {
        // Field 18 (duty_cycle_stats) is deliberately not declared; it must survive a round trip.
        var bytes = Wire.Hex("92 01 02 08 01 8a 01 01 67");
        var stats = GatewayStats.Parser.ParseFrom(bytes);

        Assert.Equal("g", stats.GatewayId);
        // Known fields are written first, preserved unknown fields after them.
        Assert.Equal("8A010167" + "9201020801", Convert.ToHexString(stats.ToByteArray()));
    }

    [Fact]
    public void ConnState_fields_2_and_3()
    {
        Wire.AssertEncodes(new ConnState { GatewayId = "g", State = ConnState.Types.State.Online }, "10 01 1a 01 67");
    }

    [Fact]
    public void Location_fields_1_to_5()
    {
        var location = new Location
        {
            Latitude = 52.5,                   // 1 -> 09 + fixed64
            Longitude = 4.25,                  // 2 -> 11 + fixed64
            Altitude = 4.25,                   // 3 -> 19 + fixed64
            Source = LocationSource.Config,    // 4 -> 20 02
            Accuracy = 5.5f,                   // 5 -> 2d + fixed32
        };

        Wire.AssertEncodes(
            location,
            "09 00 00 00 00 00 40 4a 40 11 00 00 00 00 00 00 11 40 19 00 00 00 00 00 00 11 40 20 02 2d 00 00 b0 40");
    }

    [Fact]
    public void UplinkFrameSet_fields_1_2_and_3()
    {
        var set = new UplinkFrameSet { PhyPayload = ByteString.CopyFrom(0x40), TxInfo = new UplinkTxInfo { Frequency = 1 } };
        set.RxInfo.Add(new UplinkRxInfo { Channel = 1 });
        set.RxInfo.Add(new UplinkRxInfo { Channel = 2 });

        Wire.AssertEncodes(set, "0a 01 40 12 02 08 01 1a 02 40 01 1a 02 40 02");
    }
}
