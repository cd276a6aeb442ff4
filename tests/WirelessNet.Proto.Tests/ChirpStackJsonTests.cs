using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using WirelessNet.Proto.ChirpStack.Gateway;
using Location = WirelessNet.Proto.ChirpStack.Common.Location;
using LocationSource = WirelessNet.Proto.ChirpStack.Common.LocationSource;

namespace WirelessNet.Proto.Tests;

/// <summary>
/// ChirpStack Gateway Bridge v4 can publish proto3 JSON (lowerCamelCase names, base64 bytes,
/// enum value names, RFC 3339 timestamps). These tests parse such a payload with the generated
/// types and format it back.
/// </summary>
public sealed class ChirpStackJsonTests
{
    private const string UplinkJson = """
        {
          "phyPayload": "QKq7zN0AAQAAAaGyw9Q=",
          "txInfo": {
            "frequency": 868100000,
            "modulation": {
              "lora": {
                "bandwidth": 125000,
                "spreadingFactor": 7,
                "codeRate": "CR_4_5"
              }
            }
          },
          "rxInfo": {
            "gatewayId": "0016c001f153a14c",
            "uplinkId": 4217106255,
            "gwTime": "2023-01-05T13:05:17.123Z",
            "timeSinceGpsEpoch": "1357045535.123s",
            "rssi": -36,
            "snr": 10.5,
            "channel": 2,
            "rfChain": 1,
            "location": {
              "latitude": 52.5,
              "longitude": 4.25,
              "source": "CONFIG"
            },
            "context": "EFwMtA==",
            "metadata": {
              "region_config_id": "eu868",
              "region_common_name": "EU868"
            },
            "crcStatus": "CRC_OK"
          }
        }
        """;

    [Fact]
    public void Parses_a_gateway_bridge_uplink()
    {
        var frame = JsonParser.Default.Parse<UplinkFrame>(UplinkJson);

        Assert.Equal("40AABBCCDD0001000001A1B2C3D4", Convert.ToHexString(frame.PhyPayload.ToByteArray()));
        Assert.Equal(868_100_000u, frame.TxInfo.Frequency);
        Assert.Equal(Modulation.ParametersOneofCase.Lora, frame.TxInfo.Modulation.ParametersCase);
        Assert.Equal(125_000u, frame.TxInfo.Modulation.Lora.Bandwidth);
        Assert.Equal(7u, frame.TxInfo.Modulation.Lora.SpreadingFactor);
        Assert.Equal(CodeRate.Cr45, frame.TxInfo.Modulation.Lora.CodeRate);

        var rx = frame.RxInfo;
        Assert.Equal("0016c001f153a14c", rx.GatewayId);
        Assert.Equal(4_217_106_255u, rx.UplinkId);
        Assert.Equal(new DateTime(2023, 1, 5, 13, 5, 17, 123, DateTimeKind.Utc), rx.GwTime.ToDateTime());
        Assert.Equal(new Duration { Seconds = 1_357_045_535, Nanos = 123_000_000 }, rx.TimeSinceGpsEpoch);
        Assert.Equal(-36, rx.Rssi);
        Assert.Equal(10.5f, rx.Snr);
        Assert.Equal(2u, rx.Channel);
        Assert.Equal(1u, rx.RfChain);
        Assert.Equal(LocationSource.Config, rx.Location.Source);
        Assert.Equal(52.5, rx.Location.Latitude);
        Assert.Equal("105C0CB4", Convert.ToHexString(rx.Context.ToByteArray()));
        Assert.Equal("eu868", rx.Metadata["region_config_id"]);
        Assert.Equal(CRCStatus.CrcOk, rx.CrcStatus);
    }

    [Fact]
    public void Formats_back_to_the_same_json()
    {
        var frame = JsonParser.Default.Parse<UplinkFrame>(UplinkJson);

        var formatted = JsonFormatter.Default.Format(frame);

        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(UplinkJson), JsonNode.Parse(formatted)),
            formatted);
        Assert.Contains("\"codeRate\": \"CR_4_5\"", formatted, StringComparison.Ordinal);
        Assert.Contains("\"crcStatus\": \"CRC_OK\"", formatted, StringComparison.Ordinal);
        Assert.Equal(frame, JsonParser.Default.Parse<UplinkFrame>(formatted));
    }

    [Fact]
    public void Json_and_binary_forms_describe_the_same_message()
    {
        var fromJson = JsonParser.Default.Parse<UplinkFrame>(UplinkJson);

        var fromBinary = UplinkFrame.Parser.ParseFrom(fromJson.ToByteArray());

        Assert.Equal(fromJson, fromBinary);
        Assert.Equal(fromJson.CalculateSize(), fromBinary.ToByteArray().Length);
    }

    [Fact]
    public void Parser_also_accepts_proto_field_names_and_numeric_enums()
    {
        const string json = """
            { "phy_payload": "QA==", "rx_info": { "crc_status": 1, "rf_chain": 1 } }
            """;

        var frame = JsonParser.Default.Parse<UplinkFrame>(json);

        Assert.Equal(0x40, frame.PhyPayload[0]);
        Assert.Equal(CRCStatus.BadCrc, frame.RxInfo.CrcStatus);
        Assert.Equal(1u, frame.RxInfo.RfChain);
    }

    [Fact]
    public void Downlink_frame_json_uses_camel_case_and_oneof_names()
    {
        var frame = new DownlinkFrame { DownlinkId = 42, GatewayId = "0016c001f153a14c" };
        frame.Items.Add(new DownlinkFrameItem
        {
            PhyPayload = ByteString.CopyFrom(0x60),
            TxInfo = new DownlinkTxInfo
            {
                Frequency = 868_100_000,
                Power = 14,
                Modulation = new Modulation
                {
                    Lora = new LoraModulationInfo
                    {
                        Bandwidth = 125_000,
                        SpreadingFactor = 7,
                        CodeRate = CodeRate.Cr45,
                        PolarizationInversion = true,
                    },
                },
                Timing = new Timing { Delay = new DelayTimingInfo { Delay = new Duration { Seconds = 1 } } },
                Context = ByteString.CopyFrom(0x10, 0x5C, 0x0C, 0xB4),
            },
        });

        var formatted = JsonFormatter.Default.Format(frame);
        var expected = """
            {
              "downlinkId": 42,
              "items": [{
                "phyPayload": "YA==",
                "txInfo": {
                  "frequency": 868100000,
                  "power": 14,
                  "modulation": { "lora": { "bandwidth": 125000, "spreadingFactor": 7, "codeRate": "CR_4_5", "polarizationInversion": true } },
                  "timing": { "delay": { "delay": "1s" } },
                  "context": "EFwMtA=="
                }
              }],
              "gatewayId": "0016c001f153a14c"
            }
            """;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(formatted)), formatted);
    }

    [Fact]
    public void Tx_ack_status_names_round_trip()
    {
        const string json = """
            { "gatewayId": "0016c001f153a14c", "downlinkId": 42, "items": [ { "status": "TOO_LATE" }, { "status": "OK" } ] }
            """;

        var ack = JsonParser.Default.Parse<DownlinkTxAck>(json);

        Assert.Equal([TxAckStatus.TooLate, TxAckStatus.Ok], ack.Items.Select(i => i.Status));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(JsonFormatter.Default.Format(ack))));
    }
}
