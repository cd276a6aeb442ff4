using Google.Protobuf;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PocEntropy;
using WirelessNet.Proto.Helium.PocLora;

namespace WirelessNet.Proto.Tests;

/// <summary>
/// Known-answer encodings for the proof-of-coverage messages (helium.poc_lora, helium.poc_entropy), worked out by
/// hand from Helium's field numbers (tag = (field &lt;&lt; 3) | wire type).
/// </summary>
public sealed class HeliumPocWireTests
{
    [Fact]
    public void Beacon_report_all_fields()
    {
        var report = new lora_beacon_report_req_v1
        {
            PubKey = ByteString.CopyFrom(0x01),          // 2  -> 12 01 01
            LocalEntropy = ByteString.CopyFrom(0x02),    // 3  -> 1a 01 02
            RemoteEntropy = ByteString.CopyFrom(0x03),   // 4  -> 22 01 03
            Data = ByteString.CopyFrom(0x04),            // 5  -> 2a 01 04
            Frequency = 868_100_000,                     // 6  -> 30 a0 cf f8 9d 03
            Channel = 2,                                 // 7  -> 38 02
            Datarate = data_rate.Sf12Bw125,              // 8  -> 40 00 is default: omitted
            TxPower = 148,                               // 9  -> 48 94 01
            Timestamp = 1,                               // 10 -> 50 01
            Signature = ByteString.CopyFrom(0x05),       // 11 -> 5a 01 05
            Tmst = 7,                                    // 12 -> 60 07
        };

        Wire.AssertEncodes(report, "12 01 01 1a 01 02 22 01 03 2a 01 04 30 a0 cf f8 9d 03 38 02 48 94 01 50 01 5a 01 05 60 07");
        Wire.AssertEncodes(new lora_beacon_report_req_v1 { Datarate = data_rate.Sf9Bw125 }, "40 03");
        Wire.AssertEncodes(new lora_beacon_report_req_v1 { TxPower = -1 }, "48 ff ff ff ff ff ff ff ff ff 01");
    }

    [Fact]
    public void Witness_report_all_fields_signal_is_zigzag()
    {
        var report = new lora_witness_report_req_v1
        {
            PubKey = ByteString.CopyFrom(0x01),          // 2  -> 12 01 01
            Data = ByteString.CopyFrom(0x02),            // 3  -> 1a 01 02
            Timestamp = 1,                               // 4  -> 20 01
            Tmst = 2,                                    // 5  -> 28 02
            Signal = -1000,                              // 6  -> 30, zigzag(-1000) = 1999 = cf 0f
            Snr = 55,                                    // 7  -> 38 37
            Frequency = 868_100_000,                     // 8  -> 40 a0 cf f8 9d 03
            Datarate = data_rate.Sf12Bw125,              // 10 -> default, omitted
            Signature = ByteString.CopyFrom(0x03),       // 11 -> 5a 01 03
        };

        Wire.AssertEncodes(report, "12 01 01 1a 01 02 20 01 28 02 30 cf 0f 38 37 40 a0 cf f8 9d 03 5a 01 03");
        Wire.AssertEncodes(new lora_witness_report_req_v1 { Datarate = data_rate.Sf7Bw125 }, "50 05");
    }

    [Fact]
    public void Responses_streams_and_entropy()
    {
        Wire.AssertEncodes(new lora_beacon_report_resp_v1 { Id = "a" }, "0a 01 61");
        Wire.AssertEncodes(new lora_witness_report_resp_v1 { Id = "a" }, "0a 01 61");
        Wire.AssertEncodes(new lora_stream_request_v1 { BeaconReport = new lora_beacon_report_req_v1 { Tmst = 1 } }, "0a 02 60 01");
        Wire.AssertEncodes(new lora_stream_request_v1 { WitnessReport = new lora_witness_report_req_v1 { Tmst = 1 } }, "12 02 28 01");
        Wire.AssertEncodes(
            new lora_stream_request_v1 { SessionInit = new lora_stream_session_init_v1 { PubKey = ByteString.CopyFrom(1), SessionKey = ByteString.CopyFrom(2), Nonce = ByteString.CopyFrom(3), Signature = ByteString.CopyFrom(4) } },
            "1a 0c 0a 01 01 12 01 02 1a 01 03 22 01 04");
        Wire.AssertEncodes(new lora_stream_response_v1 { Offer = new lora_stream_session_offer_v1 { Nonce = ByteString.CopyFrom(9) } }, "0a 03 0a 01 09");
        Wire.AssertEncodes(new entropy_report_v1 { Data = ByteString.CopyFrom(1), Timestamp = 60, Version = 1 }, "0a 01 01 10 3c 18 01");
        Wire.AssertEncodes(new entropy_req_v1(), string.Empty);
    }

    [Fact]
    public void Reason_codes_are_heliums()
    {
        Assert.Equal(0, (int)invalid_reason.ReasonNone);
        Assert.Equal(20, (int)invalid_reason.Duplicate);
        Assert.Equal(24, (int)invalid_reason.GatewayNoValidWitnesses);
        Assert.Equal(2, (int)invalid_participant_side.Beaconer);
        Assert.Equal(3, (int)invalid_participant_side.Witness);
        Assert.Equal("/helium.poc_lora.poc_lora/stream_requests", poc_lora.Descriptor.FindMethodByName("stream_requests") is { } m ? $"/{m.Service.FullName}/{m.Name}" : null);
        Assert.Equal("helium.poc_entropy.poc_entropy", poc_entropy.Descriptor.FullName);
    }
}
