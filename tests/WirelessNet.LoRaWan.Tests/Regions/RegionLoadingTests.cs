using System.Text;
using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.LoRaWan.Tests.Regions;

public sealed class RegionLoadingTests
{
    [Fact]
    public void Embedded_regions_are_listed()
    {
        Assert.Contains("eu868", Region.AvailableIds);
        Assert.Contains("us915", Region.AvailableIds);
    }

    [Fact]
    public void Regions_load_from_their_data_files_and_are_cached()
    {
        Assert.Equal("eu868", Region.Eu868.Id);
        Assert.Equal("EU868", Region.Eu868.Name);
        Assert.Equal("US915", Region.Us915.Name);
        Assert.Equal("RP002-1.0.4", Region.Us915.RegionalParametersRevision);
        Assert.Same(Region.Eu868, Region.Get("EU868"));
        Assert.Same(Region.Us915, Region.Get("us915"));
    }

    [Fact]
    public void Unknown_region_is_reported_with_the_available_ones()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => Region.Get("xx999"));
        Assert.Contains("eu868", ex.Message, StringComparison.Ordinal);
        Assert.False(Region.TryGet("xx999", out var region));
        Assert.Null(region);
    }

    [Fact]
    public void A_new_region_is_just_another_data_file()
    {
        // AS923-like dynamic plan: same code paths, different data.
        var json = """
        {
          "id": "test923", "name": "TEST923",
          "dataRates": [
            { "index": 0, "modulation": "lora", "spreadingFactor": 12, "bandwidthHz": 125000, "codingRate": "4/5", "bitRate": 250, "uplink": true, "downlink": true, "maxMacPayloadSize": 59, "maxMacPayloadSizeDwellLimited": 19 },
            { "index": 1, "modulation": "lora", "spreadingFactor": 11, "bandwidthHz": 125000, "codingRate": "4/5", "bitRate": 440, "uplink": true, "downlink": true, "maxMacPayloadSize": 59, "maxMacPayloadSizeDwellLimited": 19 }
          ],
          "rx1DataRates": [ { "uplinkDataRate": 0, "byOffset": [0, 0] }, { "uplinkDataRate": 1, "byOffset": [1, 0] } ],
          "rx1FrequencyRule": "sameAsUplink",
          "defaultChannels": [ { "frequencyHz": 923200000, "bandwidthHz": 125000, "minDataRate": 0, "maxDataRate": 1 } ],
          "maxUplinkChannels": 16, "channelMaskLayout": "dynamic16", "cfListType": "frequencies",
          "rx2FrequencyHz": 923200000, "rx2DataRate": 0,
          "receiveDelay1Seconds": 1, "receiveDelay2Seconds": 2, "joinAcceptDelay1Seconds": 5, "joinAcceptDelay2Seconds": 6,
          "maxFCntGap": 16384, "adrAckLimit": 64, "adrAckDelay": 32,
          "defaultMaxEirpDbm": 16, "txPowerOffsetsDb": [0, -2], "downlinkTxPowerEirpDbm": 14
        }
        """;

        var region = RegionParameters.FromJson(Encoding.UTF8.GetBytes(json));

        Assert.Equal(59, region.MaxMacPayloadSize(1));
        Assert.Equal(19, region.MaxMacPayloadSize(1, dwellTimeLimited: true));
        Assert.Equal(11, region.MaxApplicationPayloadSize(1, dwellTimeLimited: true));
        Assert.Equal(1, region.MaxRx1DrOffset);
        Assert.Equal(923_200_000UL, region.Rx1Frequency(923_200_000));
        Assert.Equal(14, region.TxPowerDbm(1));
    }

    [Fact]
    public void Broken_data_is_rejected_naming_every_bad_field()
    {
        var json = """
        {
          "id": "broken", "name": "BROKEN",
          "dataRates": [ { "index": 0, "modulation": "chirp", "bitRate": 1, "uplink": true, "maxMacPayloadSize": 59 } ],
          "rx1DataRates": [ { "uplinkDataRate": 0, "byOffset": [3] } ],
          "rx1FrequencyRule": "sameAsUplink",
          "defaultChannels": [ { "frequencyHz": 1, "bandwidthHz": 125000, "minDataRate": 0, "maxDataRate": 0 } ],
          "maxUplinkChannels": 16, "channelMaskLayout": "dynamic16", "cfListType": "frequencies",
          "rx2FrequencyHz": 1, "rx2DataRate": 0,
          "receiveDelay1Seconds": 1, "receiveDelay2Seconds": 2, "joinAcceptDelay1Seconds": 5, "joinAcceptDelay2Seconds": 6,
          "maxFCntGap": 16384, "adrAckLimit": 64, "adrAckDelay": 32,
          "defaultMaxEirpDbm": 16, "txPowerOffsetsDb": [0], "downlinkTxPowerEirpDbm": 14
        }
        """;

        var ex = Assert.Throws<InvalidDataException>(() => RegionParameters.FromJson(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("dataRates[0].modulation 'chirp'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rx1DataRates[0].byOffset names 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rx2DataRate 0 is not a defined downlink data rate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_and_bad_json_are_rejected()
    {
        Assert.Throws<InvalidDataException>(() => RegionParameters.FromJson("""{ "id": "x", "surprise": 1 }"""u8));
        Assert.Throws<InvalidDataException>(() => RegionParameters.FromJson("{ not json"u8));
        Assert.Throws<InvalidDataException>(() => RegionParameters.FromJson("null"u8));
    }
}
