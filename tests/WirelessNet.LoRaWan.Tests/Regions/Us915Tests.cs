using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.LoRaWan.Tests.Regions;

public sealed class Us915Tests
{
    private static readonly RegionParameters Us = Region.Us915;

    [Theory]
    [InlineData(902_300_000UL, 923_300_000UL)] // ch 0
    [InlineData(904_100_000UL, 923_900_000UL)] // ch 9 -> downlink 1
    [InlineData(903_700_000UL, 927_500_000UL)] // ch 7 -> downlink 7
    [InlineData(914_900_000UL, 927_500_000UL)] // ch 63 -> downlink 7
    [InlineData(903_000_000UL, 923_300_000UL)] // ch 64 (500 kHz) -> downlink 0
    [InlineData(904_600_000UL, 923_900_000UL)] // ch 65 -> downlink 1
    [InlineData(914_200_000UL, 927_500_000UL)] // ch 71 -> downlink 7
    public void Rx1_frequency_is_downlink_channel_uplink_channel_mod_8(ulong uplink, ulong expected)
    {
        Assert.Equal(expected, Us.Rx1Frequency(uplink));
    }

    [Theory]
    [InlineData(902_300_000UL, 0)]
    [InlineData(904_100_000UL, 9)]
    [InlineData(914_900_000UL, 63)]
    [InlineData(903_000_000UL, 64)]
    [InlineData(914_200_000UL, 71)]
    public void Uplink_channel_from_frequency(ulong frequency, int channel)
    {
        Assert.True(Us.TryGetUplinkChannel(frequency, out var found));
        Assert.Equal(channel, found);
    }

    [Theory]
    [InlineData(902_400_000UL)]
    [InlineData(902_100_000UL)]
    [InlineData(915_100_000UL)]
    [InlineData(923_300_000UL)]
    public void Rx1_frequency_rejects_frequencies_that_are_not_uplink_channels(ulong uplink)
    {
        Assert.False(Us.TryGetUplinkChannel(uplink, out _));
        Assert.False(Us.TryGetRx1Frequency(uplink, out _));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Us.Rx1Frequency(uplink));
        Assert.Contains("not a US915 uplink channel frequency", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, Modulation.LoRa, 10, 125_000, 980, true)]
    [InlineData(1, Modulation.LoRa, 9, 125_000, 1760, true)]
    [InlineData(2, Modulation.LoRa, 8, 125_000, 3125, true)]
    [InlineData(3, Modulation.LoRa, 7, 125_000, 5470, true)]
    [InlineData(4, Modulation.LoRa, 8, 500_000, 12500, true)]
    [InlineData(5, Modulation.LrFhss, 0, 0, 162, true)]
    [InlineData(6, Modulation.LrFhss, 0, 0, 325, true)]
    [InlineData(8, Modulation.LoRa, 12, 500_000, 980, false)]
    [InlineData(9, Modulation.LoRa, 11, 500_000, 1760, false)]
    [InlineData(10, Modulation.LoRa, 10, 500_000, 3900, false)]
    [InlineData(11, Modulation.LoRa, 9, 500_000, 7000, false)]
    [InlineData(12, Modulation.LoRa, 8, 500_000, 12500, false)]
    [InlineData(13, Modulation.LoRa, 7, 500_000, 21900, false)]
    public void Data_rates(int index, Modulation modulation, int spreadingFactor, int bandwidthHz, int bitRate, bool uplink)
    {
        var dr = Us.GetDataRate(index);

        Assert.Equal(modulation, dr.Modulation);
        Assert.Equal(spreadingFactor, dr.SpreadingFactor);
        Assert.Equal(bandwidthHz, dr.BandwidthHz);
        Assert.Equal(bitRate, dr.BitRate);
        Assert.Equal(uplink, dr.IsUplink);
        Assert.Equal(!uplink, dr.IsDownlink);
    }

    [Fact]
    public void Lr_fhss_uses_the_1523_kHz_occupied_channel_width()
    {
        Assert.True(Us.TryGetLrFhssDataRate("1/3", 1_523_000, out var dr5));
        Assert.True(Us.TryGetLrFhssDataRate("2/3", 1_523_000, out var dr6));
        Assert.Equal((5, 6), (dr5, dr6));
    }

    [Fact]
    public void Same_LoRa_modulation_maps_to_different_indices_by_direction()
    {
        Assert.True(Us.TryGetLoRaDataRate(8, 500_000, uplink: true, out var up));
        Assert.True(Us.TryGetLoRaDataRate(8, 500_000, uplink: false, out var down));
        Assert.False(Us.TryGetLoRaDataRate(12, 125_000, uplink: true, out _));

        Assert.Equal(4, up);
        Assert.Equal(12, down);
    }

    [Fact]
    public void Dr7_is_rfu()
    {
        Assert.False(Us.TryGetDataRate(7, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Us.GetDataRate(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => Us.GetDataRate(14));
    }

    [Theory]
    [InlineData(0, 19)]
    [InlineData(1, 61)]
    [InlineData(2, 133)]
    [InlineData(3, 250)]
    [InlineData(4, 250)]
    [InlineData(5, 58)]
    [InlineData(6, 133)]
    [InlineData(8, 61)]
    [InlineData(9, 137)]
    [InlineData(10, 250)]
    [InlineData(11, 250)]
    [InlineData(12, 250)]
    [InlineData(13, 250)]
    public void Maximum_payload_sizes(int dataRate, int m)
    {
        Assert.Equal(m, Us.MaxMacPayloadSize(dataRate));
        Assert.Equal(m - 8, Us.MaxApplicationPayloadSize(dataRate));
    }

    [Fact]
    public void Rx1_data_rate_table()
    {
        int[][] expected =
        [
            [10, 9, 8, 8],
            [11, 10, 9, 8],
            [12, 11, 10, 9],
            [13, 12, 11, 10],
            [13, 13, 12, 11],
            [10, 9, 8, 8],
            [11, 10, 9, 8],
        ];

        for (var uplink = 0; uplink < expected.Length; uplink++)
        {
            for (var offset = 0; offset <= 3; offset++)
            {
                Assert.Equal(expected[uplink][offset], Us.Rx1DataRate(uplink, offset));
            }
        }

        Assert.Equal(3, Us.MaxRx1DrOffset);
        Assert.Throws<ArgumentOutOfRangeException>(() => Us.Rx1DataRate(0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Us.Rx1DataRate(7, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Us.Rx1DataRate(8, 0));
    }

    [Theory]
    [InlineData(0, 30)]
    [InlineData(1, 28)]
    [InlineData(5, 20)]
    [InlineData(10, 10)]
    [InlineData(14, 2)]
    public void Tx_power_index_to_eirp(int index, int dbm)
    {
        Assert.Equal(dbm, Us.TxPowerDbm(index));
    }

    [Fact]
    public void Defaults()
    {
        Assert.Equal(923_300_000UL, Us.Rx2Frequency);
        Assert.Equal(8, Us.Rx2DataRate);
        Assert.Equal(TimeSpan.FromSeconds(1), Us.ReceiveDelay1);
        Assert.Equal(TimeSpan.FromSeconds(2), Us.ReceiveDelay2);
        Assert.Equal(TimeSpan.FromSeconds(5), Us.JoinAcceptDelay1);
        Assert.Equal(TimeSpan.FromSeconds(6), Us.JoinAcceptDelay2);
        Assert.Equal(30, Us.DefaultMaxEirpDbm);
        Assert.Equal(14, Us.MaxTxPowerIndex);
        Assert.Throws<ArgumentOutOfRangeException>(() => Us.TxPowerDbm(15));
        Assert.Equal(21, Us.DownlinkTxPowerDbm(923_300_000));
        Assert.Equal(3, Us.MaxAdrDataRate);
        Assert.Equal(CFListType.ChannelMask, Us.CFListType);
        Assert.Equal(ChannelMaskLayout.Fixed64Plus8, Us.ChannelMaskLayout);
        Assert.Equal(72, Us.MaxUplinkChannels);
        Assert.Equal(ChannelMask.FirstChannels(72), Us.DefaultChannelMask);
    }

    [Fact]
    public void Default_channels_cover_the_whole_plan()
    {
        Assert.Equal(72, Us.DefaultChannels.Count);
        Assert.Equal(new UplinkChannel(0, 902_300_000, 125_000, 0, 3), Us.DefaultChannels[0]);
        Assert.Equal(new UplinkChannel(63, 914_900_000, 125_000, 0, 3), Us.DefaultChannels[63]);
        Assert.Equal(new UplinkChannel(64, 903_000_000, 500_000, 4, 6), Us.DefaultChannels[64]);
        Assert.Equal(new UplinkChannel(71, 914_200_000, 500_000, 4, 6), Us.DefaultChannels[71]);
    }

    [Fact]
    public void Per_uplink_lookups_do_not_allocate()
    {
        _ = Us.Rx1Frequency(914_200_000);
        _ = Us.TryGetLoRaDataRate(7, 125_000, uplink: true, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = Us.Rx1Frequency(914_200_000);
            _ = Us.TryGetLoRaDataRate(7, 125_000, uplink: true, out _);
            _ = Us.Rx1DataRate(3, 1);
            _ = Us.MaxApplicationPayloadSize(3);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
