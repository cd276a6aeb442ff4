using System.Text;
using System.Text.Json;
using Google.Protobuf;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Mqtt.Gateways;
using WirelessNet.LoRaWan.Primitives;
using Gw = WirelessNet.Proto.ChirpStack.Gateway;

namespace WirelessNet.Lns.Tests.Mqtt;

public sealed class GatewayMessageCodecTests
{
    private static readonly Eui64 GatewayId = Eui64.Parse("0016c001f153a14c");
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 6, 30, 0, TimeSpan.Zero);

    /// <summary>
    /// The v4 bridge's uplink JSON as its documentation shows it, plus the fields current bridges add (crcStatus,
    /// channel, rfChain, location, metadata, gwTime) and a field this server does not know (must be ignored).
    /// </summary>
    internal const string BridgeJsonUplink = """
        {
          "phyPayload": "gKb+agGABQABOIc6cwQ=",
          "txInfo": {
            "frequency": 867300000,
            "modulation": { "lora": { "bandwidth": 125000, "spreadingFactor": 7, "codeRate": "CR_4_5" } }
          },
          "rxInfo": {
            "gatewayId": "0016c001f153a14c",
            "uplinkId": 7895,
            "gwTime": "2022-08-03T14:37:43.383634108Z",
            "rssi": -52,
            "snr": 13.75,
            "channel": 2,
            "rfChain": 1,
            "board": 1,
            "antenna": 1,
            "location": { "latitude": 52.3740364, "longitude": 4.9144401, "altitude": 10.5, "source": "GPS" },
            "context": "xwx0GQ==",
            "metadata": { "region_config_id": "eu868", "region_common_name": "EU868" },
            "crcStatus": "CRC_OK",
            "someFutureField": { "x": 1 }
          }
        }
        """;

    /// <summary>
    /// An UplinkFrame encoded by hand (independently of Google.Protobuf): PHYPayload gKb+agGABQABOIc6cwQ=,
    /// 868.3 MHz SF9 BW125 CR_4_5, gateway 0016c001f153a14c, uplink id 7895, RSSI -52, SNR 13.75, channel 2,
    /// RF chain 1, context c70c7419, CRC_OK.
    /// </summary>
    internal const string HandEncodedProtobufUplink =
        "0a0e80a6fe6a018005000138873a7304221208e0e9849e03120a1a0808c8d007100928012a320a103030313663303031663135336131346310d73d30ccffffffffffffffff013d00005c41400248016a04c70c7419800102";

    [Fact]
    public void Decodes_a_protobuf_uplink()
    {
        var codec = new GatewayMessageCodec();

        var result = codec.DecodeUplink(GatewayId, Convert.FromHexString(HandEncodedProtobufUplink), Now);

        Assert.True(result.IsSuccess, result.Rejection?.ToString());
        var r = result.Value;
        Assert.Equal(GatewayId, r.GatewayId);
        Assert.Equal(Convert.FromBase64String("gKb+agGABQABOIc6cwQ="), r.PhyPayload);
        Assert.Equal(868_300_000UL, r.FrequencyHz);
        Assert.Equal(new LoRaModulation(9, 125_000, 5), r.Modulation);
        Assert.Equal(-52, r.Rssi);
        Assert.Equal(13.75f, r.Snr);
        Assert.Equal(7895u, r.UplinkId);
        Assert.Equal(2, r.Channel);
        Assert.Equal(1, r.RfChain);
        Assert.Equal(Convert.FromHexString("c70c7419"), r.Context);
        Assert.Equal(Now, r.ReceivedAt);
        Assert.Equal(GatewayTransport.MqttProtobuf, r.Transport);
        Assert.Null(r.Location);
        Assert.Equal(GatewayTransport.MqttProtobuf, result.Encoding);
        Assert.Equal(GatewayTransport.MqttProtobuf, codec.EncodingFor(GatewayId));
    }

    [Fact]
    public void Decodes_a_bridge_json_uplink_and_remembers_the_encoding()
    {
        var codec = new GatewayMessageCodec();
        Assert.False(codec.TryGetEncoding(GatewayId, out _));

        var result = codec.DecodeUplink(GatewayId, Encoding.UTF8.GetBytes(BridgeJsonUplink), Now);

        Assert.True(result.IsSuccess, result.Rejection?.ToString());
        var r = result.Value;
        Assert.Equal(Convert.FromBase64String("gKb+agGABQABOIc6cwQ="), r.PhyPayload);
        Assert.Equal(867_300_000UL, r.FrequencyHz);
        Assert.Equal(new LoRaModulation(7, 125_000, 5), r.Modulation);
        Assert.Equal(-52, r.Rssi);
        Assert.Equal(13.75f, r.Snr);
        Assert.Equal(7895u, r.UplinkId);
        Assert.Equal((2, 1, 1, 1), (r.Channel, r.RfChain, r.Board, r.Antenna));
        Assert.Equal(Convert.FromBase64String("xwx0GQ=="), r.Context);
        Assert.Equal(new GeoLocation(52.3740364, 4.9144401, 10.5), r.Location);
        Assert.Equal("eu868", r.Metadata["region_config_id"]);

        // The gateway's own clock (gwTime) is never used as the receive time.
        Assert.Equal(Now, r.ReceivedAt);
        Assert.Equal(GatewayTransport.MqttJson, r.Transport);
        Assert.True(codec.TryGetEncoding(GatewayId, out var encoding));
        Assert.Equal(GatewayTransport.MqttJson, encoding);
    }

    [Fact]
    public void The_encoding_follows_what_the_gateway_last_used()
    {
        var codec = new GatewayMessageCodec();
        codec.DecodeUplink(GatewayId, Encoding.UTF8.GetBytes(BridgeJsonUplink), Now);
        Assert.Equal(GatewayTransport.MqttJson, codec.EncodingFor(GatewayId));

        codec.DecodeUplink(GatewayId, Convert.FromHexString(HandEncodedProtobufUplink), Now);
        Assert.Equal(GatewayTransport.MqttProtobuf, codec.EncodingFor(GatewayId));
        Assert.Equal(GatewayTransport.MqttProtobuf, codec.EncodingFor(Eui64.Parse("0102030405060708")));
    }

    [Theory]
    [InlineData("CR_4_6", 6)]
    [InlineData("CR_4_7", 7)]
    [InlineData("CR_4_8", 8)]
    [InlineData("CR_LI_4_5", 5)]
    [InlineData("CR_UNDEFINED", 5)]
    public void Maps_code_rates_to_denominators(string codeRate, int denominator)
    {
        var json = BridgeJsonUplink.Replace("\"CR_4_5\"", $"\"{codeRate}\"", StringComparison.Ordinal);

        var result = new GatewayMessageCodec().DecodeUplink(GatewayId, Encoding.UTF8.GetBytes(json), Now);

        Assert.True(result.IsSuccess, result.Rejection?.ToString());
        Assert.Equal(denominator, result.Value.Modulation.CodeRateDenominator);
    }

    [Fact]
    public void A_legacy_code_rate_string_is_understood()
    {
        var frame = ValidFrame();
        frame.TxInfo.Modulation.Lora.CodeRate = Gw.CodeRate.CrUndefined;
        frame.TxInfo.Modulation.Lora.CodeRateLegacy = "4/7";

        var result = new GatewayMessageCodec().DecodeUplink(GatewayId, frame.ToByteArray(), Now);

        Assert.Equal(7, result.Value!.Modulation.CodeRateDenominator);
    }

    public static TheoryData<string, Action<Gw.UplinkFrame>> BadUplinks() => new()
    {
        { MqttRejectReasons.BadCrc, f => f.RxInfo.CrcStatus = Gw.CRCStatus.BadCrc },
        { MqttRejectReasons.NoCrc, f => f.RxInfo.CrcStatus = Gw.CRCStatus.NoCrc },
        { MqttRejectReasons.EmptyPhyPayload, f => f.PhyPayload = ByteString.Empty },
        { MqttRejectReasons.PhyPayloadTooLarge, f => f.PhyPayload = ByteString.CopyFrom(new byte[256]) },
        { MqttRejectReasons.GatewayIdMismatch, f => f.RxInfo.GatewayId = "0102030405060708" },
        { MqttRejectReasons.GatewayIdMismatch, f => f.RxInfo.GatewayId = string.Empty },
        { MqttRejectReasons.GatewayIdMismatch, f => f.RxInfo.GatewayId = "not an eui" },
        { MqttRejectReasons.MissingTxInfo, f => f.TxInfo = null },
        { MqttRejectReasons.MissingRxInfo, f => f.RxInfo = null },
        { MqttRejectReasons.MissingRxInfo, f => { f.RxInfo = null; f.RxInfoLegacy = new Gw.UplinkRxInfoLegacy { Rssi = -1 }; } },
        { MqttRejectReasons.InvalidFrequency, f => f.TxInfo.Frequency = 0 },
        { MqttRejectReasons.UnsupportedModulation, f => f.TxInfo.Modulation = new Gw.Modulation { Fsk = new Gw.FskModulationInfo { Datarate = 50_000 } } },
        { MqttRejectReasons.UnsupportedModulation, f => f.TxInfo.Modulation = new Gw.Modulation { LrFhss = new Gw.LrFhssModulationInfo { OperatingChannelWidth = 137_000 } } },
        { MqttRejectReasons.UnsupportedModulation, f => f.TxInfo.Modulation = null },
        { MqttRejectReasons.InvalidModulation, f => f.TxInfo.Modulation.Lora.SpreadingFactor = 13 },
        { MqttRejectReasons.InvalidModulation, f => f.TxInfo.Modulation.Lora.Bandwidth = 0 },
        { MqttRejectReasons.InvalidModulation, f => f.TxInfo.Modulation.Lora.CodeRate = Gw.CodeRate.Cr38 },
    };

    [Theory]
    [MemberData(nameof(BadUplinks))]
    public void Rejects_bad_protobuf_uplinks_with_a_reason(string reason, Action<Gw.UplinkFrame> spoil)
    {
        var frame = ValidFrame();
        spoil(frame);

        var result = new GatewayMessageCodec().DecodeUplink(GatewayId, frame.ToByteArray(), Now);

        Assert.False(result.IsSuccess);
        Assert.Equal(reason, result.Rejection.Reason);
        Assert.False(string.IsNullOrWhiteSpace(result.Rejection.Detail));
    }

    [Theory]
    [MemberData(nameof(BadUplinks))]
    public void Rejects_bad_json_uplinks_with_the_same_reasons(string reason, Action<Gw.UplinkFrame> spoil)
    {
        var frame = ValidFrame();
        spoil(frame);
        var json = JsonFormatter.Default.Format(frame);

        var result = new GatewayMessageCodec().DecodeUplink(GatewayId, Encoding.UTF8.GetBytes(json), Now);

        Assert.Equal(reason, result.Rejection?.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ff")]
    [InlineData("0a05010203")] // phy_payload length 5 but only 3 bytes
    [InlineData("ffffffffffffffffffffff")]
    public void Rejects_malformed_protobuf(string hex)
    {
        var result = new GatewayMessageCodec().DecodeUplink(GatewayId, Convert.FromHexString(hex), Now);

        Assert.Equal(hex.Length == 0 ? MqttRejectReasons.EmptyPayload : MqttRejectReasons.MalformedPayload, result.Rejection?.Reason);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"gatewayId\": 12")]
    [InlineData("{\"phyPayload\": \"not base64!\", \"rxInfo\": {\"gatewayId\": \"0016c001f153a14c\"}}")]
    [InlineData("{\"rxInfo\": {\"gatewayId\": \"0016c001f153a14c\", \"rssi\": \"loud\"}}")]
    [InlineData("[\"gatewayId\"]")]
    public void Rejects_malformed_json_without_quoting_it(string json)
    {
        var result = new GatewayMessageCodec().DecodeUplink(GatewayId, Encoding.UTF8.GetBytes(json), Now);

        Assert.Equal(MqttRejectReasons.MalformedPayload, result.Rejection?.Reason);
        Assert.DoesNotContain("loud", result.Rejection!.Detail, StringComparison.Ordinal);
        Assert.Contains("JSON", result.Rejection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_documented_uplink_without_crc_status_reads_as_no_crc()
    {
        // The v4 documentation's example predates crc_status; proto3 reads the absent field as NO_CRC, which is rejected.
        var json = BridgeJsonUplink.Replace("\"crcStatus\": \"CRC_OK\",", string.Empty, StringComparison.Ordinal);

        var result = new GatewayMessageCodec().DecodeUplink(GatewayId, Encoding.UTF8.GetBytes(json), Now);

        Assert.Equal(MqttRejectReasons.NoCrc, result.Rejection?.Reason);
    }

    [Fact]
    public void Rejects_oversized_payloads_before_parsing()
    {
        var result = new GatewayMessageCodec().DecodeUplink(GatewayId, new byte[GatewayMessageCodec.MaxPayloadLength + 1], Now);

        Assert.Equal(MqttRejectReasons.PayloadTooLarge, result.Rejection?.Reason);
    }

    [Fact]
    public void Decodes_the_documented_json_tx_ack()
    {
        const string json = """{"gatewayId": "0016c001f153a14c", "downlinkId": 894104280, "items": [{"status": "OK"}, {}]}""";

        var result = new GatewayMessageCodec().DecodeTxAck(GatewayId, Encoding.UTF8.GetBytes(json));

        Assert.True(result.IsSuccess, result.Rejection?.ToString());
        Assert.Equal(894104280u, result.Value.DownlinkId);
        Assert.Equal([TxAckStatus.Ok, TxAckStatus.Ignored], result.Value.ItemStatuses);
        Assert.Equal(0, result.Value.TransmittedItem);
        Assert.Equal(GatewayTransport.MqttJson, result.Encoding);
    }

    [Fact]
    public void Decodes_a_protobuf_tx_ack()
    {
        var ack = new Gw.DownlinkTxAck { GatewayId = "0016c001f153a14c", DownlinkId = 7 };
        ack.Items.Add(new Gw.DownlinkTxAckItem { Status = Gw.TxAckStatus.TooLate });
        ack.Items.Add(new Gw.DownlinkTxAckItem { Status = Gw.TxAckStatus.DutyCycleOverflow });
        ack.Items.Add(new Gw.DownlinkTxAckItem { Status = (Gw.TxAckStatus)99 });

        var result = new GatewayMessageCodec().DecodeTxAck(GatewayId, ack.ToByteArray());

        Assert.Equal([TxAckStatus.TooLate, TxAckStatus.DutyCycleOverflow, TxAckStatus.InternalError], result.Value!.ItemStatuses);
        Assert.Equal(-1, result.Value.TransmittedItem);
    }

    [Fact]
    public void A_tx_ack_from_another_gateway_is_rejected()
    {
        var ack = new Gw.DownlinkTxAck { GatewayId = "0102030405060708", DownlinkId = 7 };

        Assert.Equal(MqttRejectReasons.GatewayIdMismatch, new GatewayMessageCodec().DecodeTxAck(GatewayId, ack.ToByteArray()).Rejection?.Reason);

        var legacy = new Gw.DownlinkTxAck { GatewayIdLegacy = ByteString.CopyFrom(Convert.FromHexString("0102030405060708")), DownlinkId = 7 };
        Assert.Equal(MqttRejectReasons.GatewayIdMismatch, new GatewayMessageCodec().DecodeTxAck(GatewayId, legacy.ToByteArray()).Rejection?.Reason);

        var legacyOk = new Gw.DownlinkTxAck { GatewayIdLegacy = ByteString.CopyFrom(Convert.FromHexString("0016c001f153a14c")), DownlinkId = 7 };
        Assert.True(new GatewayMessageCodec().DecodeTxAck(GatewayId, legacyOk.ToByteArray()).IsSuccess);
    }

    [Fact]
    public void Decodes_the_documented_json_stats()
    {
        const string json = """
            {
              "gatewayId": "0016c001f153a14c",
              "time": "2022-08-03T14:37:59Z",
              "location": { "latitude": 1.5, "longitude": 2.5, "altitude": 3 },
              "rxPacketsReceived": 4,
              "rxPacketsReceivedOk": 3,
              "txPacketsReceived": 2,
              "txPacketsEmitted": 1,
              "metadata": { "hal_version": "5.0.1" },
              "txPacketsPerFrequency": { "867300000": 1 },
              "rxPacketsPerFrequency": { "867300000": 1 },
              "txPacketsPerModulation": [{ "modulation": { "lora": { "bandwidth": 125000, "spreadingFactor": 7, "codeRate": "CR_4_5", "polarizationInversion": true } }, "count": 1 }],
              "rxPacketsPerModulation": [{ "modulation": { "lora": { "bandwidth": 125000, "spreadingFactor": 7, "codeRate": "CR_4_5" } }, "count": 1 }],
              "txPacketsPerStatus": { "OK": 1 },
              "dutyCycleStats": [{ "band": { "frequencyMin": 863000000 } }]
            }
            """;

        var result = new GatewayMessageCodec().DecodeStats(GatewayId, Encoding.UTF8.GetBytes(json), Now);

        Assert.True(result.IsSuccess, result.Rejection?.ToString());
        var s = result.Value;
        Assert.Equal((4u, 3u, 2u, 1u), (s.RxPacketsReceived, s.RxPacketsReceivedOk, s.TxPacketsReceived, s.TxPacketsEmitted));
        Assert.Equal(new GeoLocation(1.5, 2.5, 3), s.Location);
        Assert.Equal("5.0.1", s.Metadata["hal_version"]);
        Assert.Equal(Now, s.ReceivedAt);
        Assert.Equal(GatewayId, s.GatewayId);
    }

    [Fact]
    public void Decodes_protobuf_stats()
    {
        var stats = new Gw.GatewayStats { GatewayId = "0016c001f153a14c", RxPacketsReceived = 10, RxPacketsReceivedOk = 9 };

        var result = new GatewayMessageCodec().DecodeStats(GatewayId, stats.ToByteArray(), Now);

        Assert.Equal(10u, result.Value!.RxPacketsReceived);
        Assert.Null(result.Value.Location);
    }

    [Theory]
    [InlineData("""{"gatewayId": "0016c001f153a14c", "state": "ONLINE"}""", true)]
    [InlineData("""{"gatewayId": "0016c001f153a14c", "state": "OFFLINE"}""", false)]
    [InlineData("""{"gatewayId": "0016c001f153a14c"}""", false)]
    public void Decodes_json_connection_states(string json, bool online)
    {
        var result = new GatewayMessageCodec().DecodeConnState(GatewayId, Encoding.UTF8.GetBytes(json));

        Assert.True(result.IsSuccess, result.Rejection?.ToString());
        Assert.Equal(online, result.Value);
    }

    [Fact]
    public void Decodes_protobuf_connection_states()
    {
        var codec = new GatewayMessageCodec();
        var online = new Gw.ConnState { GatewayId = "0016c001f153a14c", State = Gw.ConnState.Types.State.Online };
        var offline = new Gw.ConnState { GatewayId = "0016c001f153a14c", State = Gw.ConnState.Types.State.Offline };

        Assert.True(codec.DecodeConnState(GatewayId, online.ToByteArray()).Value);
        Assert.False(codec.DecodeConnState(GatewayId, offline.ToByteArray()).Value);
        Assert.Equal(
            MqttRejectReasons.GatewayIdMismatch,
            codec.DecodeConnState(Eui64.Parse("0102030405060708"), online.ToByteArray()).Rejection?.Reason);
    }

    [Fact]
    public void Encodes_a_class_a_downlink_as_the_expected_protobuf_bytes()
    {
        var bytes = GatewayMessageCodec.EncodeDownlink(SampleDownlink(), GatewayTransport.MqttProtobuf);

        // Encoded by hand: downlink_id 42, one item (PHYPayload 600102, 868.1 MHz, 14 dBm, SF7 BW125 CR_4_5 with
        // polarization inversion, delay 1 s, context aabb), gateway_id "0102030405060708".
        Assert.Equal(
            "182a2a290a036001021a2208a0cff89d03100e1a0c1a0a08c8d007100720012801320612040a0208013a02aabb3a1030313032303330343035303630373038",
            Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Encodes_a_downlink_as_the_bridge_json()
    {
        var json = Encoding.UTF8.GetString(GatewayMessageCodec.EncodeDownlink(SampleDownlink(), GatewayTransport.MqttJson));

        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(42u, root.GetProperty("downlinkId").GetUInt32());
        Assert.Equal("0102030405060708", root.GetProperty("gatewayId").GetString());
        var item = Assert.Single(root.GetProperty("items").EnumerateArray());
        Assert.Equal("YAEC", item.GetProperty("phyPayload").GetString());
        var tx = item.GetProperty("txInfo");
        Assert.Equal(868_100_000u, tx.GetProperty("frequency").GetUInt32());
        Assert.Equal(14, tx.GetProperty("power").GetInt32());
        var lora = tx.GetProperty("modulation").GetProperty("lora");
        Assert.Equal(125_000, lora.GetProperty("bandwidth").GetInt32());
        Assert.Equal(7, lora.GetProperty("spreadingFactor").GetInt32());
        Assert.Equal("CR_4_5", lora.GetProperty("codeRate").GetString());
        Assert.True(lora.GetProperty("polarizationInversion").GetBoolean());
        Assert.Equal("1s", tx.GetProperty("timing").GetProperty("delay").GetProperty("delay").GetString());
        Assert.Equal("qrs=", tx.GetProperty("context").GetString());

        // And the bridge's own parser semantics (proto3 JSON) read it back to the same frame.
        var parsed = JsonParser.Default.Parse<Gw.DownlinkFrame>(json);
        Assert.Equal(GatewayMessageCodec.ToDownlinkFrame(SampleDownlink()), parsed);
    }

    [Fact]
    public void Encodes_every_timing_and_the_rx2_fallback()
    {
        var transmission = new DownlinkTransmission(GatewayId, 9, [
            Item(new DownlinkTiming.Immediately()),
            Item(new DownlinkTiming.Delay(TimeSpan.FromSeconds(2))) with { Board = 1, Antenna = 2, Modulation = new LoRaModulation(12, 125_000, 8) },
            Item(new DownlinkTiming.GpsEpoch(TimeSpan.FromMilliseconds(1_400_000_000_123))),
        ]);

        var frame = Gw.DownlinkFrame.Parser.ParseFrom(GatewayMessageCodec.EncodeDownlink(transmission, GatewayTransport.MqttProtobuf));

        Assert.Equal("0016c001f153a14c", frame.GatewayId);
        Assert.Equal(3, frame.Items.Count);
        Assert.NotNull(frame.Items[0].TxInfo.Timing.Immediately);
        Assert.Equal(TimeSpan.FromSeconds(2), frame.Items[1].TxInfo.Timing.Delay.Delay.ToTimeSpan());
        Assert.Equal((1u, 2u), (frame.Items[1].TxInfo.Board, frame.Items[1].TxInfo.Antenna));
        Assert.Equal(12u, frame.Items[1].TxInfo.Modulation.Lora.SpreadingFactor);
        Assert.Equal(Gw.CodeRate.Cr48, frame.Items[1].TxInfo.Modulation.Lora.CodeRate);
        Assert.Equal(TimeSpan.FromMilliseconds(1_400_000_000_123), frame.Items[2].TxInfo.Timing.GpsEpoch.TimeSinceGpsEpoch.ToTimeSpan());
    }

    [Fact]
    public void The_default_downlink_encoding_follows_the_gateway()
    {
        var codec = new GatewayMessageCodec();
        var transmission = new DownlinkTransmission(GatewayId, 1, [Item(new DownlinkTiming.Immediately())]);
        Assert.Equal(GatewayMessageCodec.EncodeDownlink(transmission, GatewayTransport.MqttProtobuf), codec.EncodeDownlink(transmission));

        codec.DecodeUplink(GatewayId, Encoding.UTF8.GetBytes(BridgeJsonUplink), Now);

        Assert.Equal((byte)'{', codec.EncodeDownlink(transmission)[0]);
    }

    [Fact]
    public void Refuses_downlinks_the_bridge_cannot_carry()
    {
        Assert.Throws<ArgumentException>(() => GatewayMessageCodec.EncodeDownlink(
            new DownlinkTransmission(GatewayId, 1, [Item(new DownlinkTiming.Immediately()) with { FrequencyHz = 5_000_000_000 }]),
            GatewayTransport.MqttProtobuf));
        Assert.Throws<ArgumentException>(() => GatewayMessageCodec.EncodeDownlink(
            new DownlinkTransmission(GatewayId, 1, [Item(new DownlinkTiming.Immediately()) with { Modulation = new LoRaModulation(7, 125_000, 4) }]),
            GatewayTransport.MqttProtobuf));
        Assert.Throws<ArgumentOutOfRangeException>(() => GatewayMessageCodec.EncodeDownlink(SampleDownlink(), GatewayTransport.HeliumGrpc));
    }

    [Theory]
    [InlineData("{\"a\":1}", GatewayTransport.MqttJson)]
    [InlineData("  \n{\"a\":1}", GatewayTransport.MqttJson)]
    [InlineData("x\"gatewayId\"", GatewayTransport.MqttJson)]
    [InlineData("\n\u0003abc", GatewayTransport.MqttProtobuf)]
    public void Detects_the_encoding(string payload, GatewayTransport expected) =>
        Assert.Equal(expected, GatewayMessageCodec.DetectEncoding(Encoding.UTF8.GetBytes(payload)));

    internal static Gw.UplinkFrame ValidFrame() => new()
    {
        PhyPayload = ByteString.CopyFrom(Convert.FromBase64String("gKb+agGABQABOIc6cwQ=")),
        TxInfo = new Gw.UplinkTxInfo
        {
            Frequency = 868_100_000,
            Modulation = new Gw.Modulation { Lora = new Gw.LoraModulationInfo { Bandwidth = 125_000, SpreadingFactor = 7, CodeRate = Gw.CodeRate.Cr45 } },
        },
        RxInfo = new Gw.UplinkRxInfo
        {
            GatewayId = "0016c001f153a14c",
            UplinkId = 1,
            Rssi = -80,
            Snr = 5.5f,
            Context = ByteString.CopyFrom(1, 2, 3, 4),
            CrcStatus = Gw.CRCStatus.CrcOk,
        },
    };

    private static DownlinkTransmission SampleDownlink() =>
        new(Eui64.Parse("0102030405060708"), 42, [
            new DownlinkItem([0x60, 0x01, 0x02], 868_100_000, 14, new LoRaModulation(7, 125_000, 5), new DownlinkTiming.Delay(TimeSpan.FromSeconds(1)), [0xaa, 0xbb]),
        ]);

    private static DownlinkItem Item(DownlinkTiming timing) =>
        new([0x60, 0x01], 869_525_000, 27, new LoRaModulation(9, 125_000, 5), timing, [1, 2, 3, 4]);
}
