using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.LoRaWan.Tests.Regions;

public sealed class Eu868Tests
{
    private static readonly RegionParameters Eu = Region.Eu868;

    [Theory]
    [InlineData(0, 12, 125_000, 250)]
    [InlineData(1, 11, 125_000, 440)]
    [InlineData(2, 10, 125_000, 980)]
    [InlineData(3, 9, 125_000, 1760)]
    [InlineData(4, 8, 125_000, 3125)]
    [InlineData(5, 7, 125_000, 5470)]
    [InlineData(6, 7, 250_000, 11000)]
    public void LoRa_data_rates(int index, int spreadingFactor, int bandwidthHz, int bitRate)
    {
        var dr = Eu.GetDataRate(index);

        Assert.Equal(Modulation.LoRa, dr.Modulation);
        Assert.Equal(spreadingFactor, dr.SpreadingFactor);
        Assert.Equal(bandwidthHz, dr.BandwidthHz);
        Assert.Equal(bitRate, dr.BitRate);
        Assert.True(dr.IsUplink);
        Assert.True(dr.IsDownlink);
        Assert.True(Eu.TryGetLoRaDataRate(spreadingFactor, bandwidthHz, uplink: true, out var found));
        Assert.Equal(index, found);
    }

    [Fact]
    public void Fsk_data_rate()
    {
        var dr = Eu.GetDataRate(7);

        Assert.Equal(Modulation.Fsk, dr.Modulation);
        Assert.Equal(50_000, dr.BitRate);
        Assert.True(Eu.TryGetFskDataRate(50_000, uplink: false, out var found));
        Assert.Equal(7, found);
    }

    [Theory]
    [InlineData(8, "1/3", 137_000, 162)]
    [InlineData(9, "2/3", 137_000, 325)]
    [InlineData(10, "1/3", 336_000, 162)]
    [InlineData(11, "2/3", 336_000, 325)]
    public void LrFhss_data_rates_are_uplink_only(int index, string codingRate, int occupiedChannelWidthHz, int bitRate)
    {
        var dr = Eu.GetDataRate(index);

        Assert.Equal(Modulation.LrFhss, dr.Modulation);
        Assert.Equal(codingRate, dr.CodingRate);
        Assert.Equal(occupiedChannelWidthHz, dr.OccupiedChannelWidthHz);
        Assert.Equal(bitRate, dr.BitRate);
        Assert.True(dr.IsUplink);
        Assert.False(dr.IsDownlink);
        Assert.True(Eu.TryGetLrFhssDataRate(codingRate, occupiedChannelWidthHz, out var found));
        Assert.Equal(index, found);
    }

    [Fact]
    public void LrFhss_coding_rate_is_matched_as_a_fraction()
    {
        Assert.True(Eu.TryGetLrFhssDataRate("2/6", 137_000, out var dr8));
        Assert.True(Eu.TryGetLrFhssDataRate("4/6", 336_000, out var dr11));
        Assert.False(Eu.TryGetLrFhssDataRate("5/6", 137_000, out _));

        Assert.Equal(8, dr8);
        Assert.Equal(11, dr11);
    }

    [Theory]
    [InlineData(0, 59)]
    [InlineData(1, 59)]
    [InlineData(2, 59)]
    [InlineData(3, 123)]
    [InlineData(4, 250)]
    [InlineData(5, 250)]
    [InlineData(6, 250)]
    [InlineData(7, 250)]
    [InlineData(8, 58)]
    [InlineData(9, 123)]
    [InlineData(10, 58)]
    [InlineData(11, 123)]
    public void Maximum_payload_sizes(int dataRate, int m)
    {
        Assert.Equal(m, Eu.MaxMacPayloadSize(dataRate));
        Assert.Equal(m - 8, Eu.MaxApplicationPayloadSize(dataRate));
        Assert.Equal(m, Eu.MaxMacPayloadSize(dataRate, dwellTimeLimited: true));
    }

    [Fact]
    public void Rx1_data_rate_table()
    {
        int[][] expected =
        [
            [0, 0, 0, 0, 0, 0],
            [1, 0, 0, 0, 0, 0],
            [2, 1, 0, 0, 0, 0],
            [3, 2, 1, 0, 0, 0],
            [4, 3, 2, 1, 0, 0],
            [5, 4, 3, 2, 1, 0],
            [6, 5, 4, 3, 2, 1],
            [7, 6, 5, 4, 3, 2],
            [1, 0, 0, 0, 0, 0],
            [2, 1, 0, 0, 0, 0],
            [1, 0, 0, 0, 0, 0],
            [2, 1, 0, 0, 0, 0],
        ];

        for (var uplink = 0; uplink < expected.Length; uplink++)
        {
            for (var offset = 0; offset <= 5; offset++)
            {
                Assert.Equal(expected[uplink][offset], Eu.Rx1DataRate(uplink, offset));
            }
        }

        Assert.Equal(5, Eu.MaxRx1DrOffset);
    }

    [Fact]
    public void Rx1_data_rate_rejects_out_of_range_inputs()
    {
        var offset = Assert.Throws<ArgumentOutOfRangeException>(() => Eu.Rx1DataRate(5, 6));
        Assert.Contains("RX1DROffset ranges from 0 to 5", offset.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Eu.Rx1DataRate(12, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Eu.Rx1DataRate(-1, 0));
        Assert.False(Eu.TryGetRx1DataRate(5, 6, out _));
        Assert.False(Eu.TryGetRx1DataRate(15, 0, out _));
        Assert.True(Eu.TryGetRx1DataRate(5, 1, out var dr));
        Assert.Equal(4, dr);
    }

    [Fact]
    public void Undefined_data_rate_is_rejected_with_the_defined_ones()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Eu.GetDataRate(12));
        Assert.Contains("EU868 does not define data rate 12", ex.Message, StringComparison.Ordinal);
        Assert.False(Eu.TryGetDataRate(-1, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Eu.MaxMacPayloadSize(15));
    }

    [Theory]
    [InlineData(868_100_000UL)]
    [InlineData(867_500_000UL)]
    public void Rx1_frequency_is_the_uplink_frequency(ulong uplink)
    {
        Assert.Equal(uplink, Eu.Rx1Frequency(uplink));
    }

    [Fact]
    public void Receive_windows_and_counters()
    {
        Assert.Equal(869_525_000UL, Eu.Rx2Frequency);
        Assert.Equal(0, Eu.Rx2DataRate);
        Assert.Equal(TimeSpan.FromSeconds(1), Eu.ReceiveDelay1);
        Assert.Equal(TimeSpan.FromSeconds(2), Eu.ReceiveDelay2);
        Assert.Equal(TimeSpan.FromSeconds(5), Eu.JoinAcceptDelay1);
        Assert.Equal(TimeSpan.FromSeconds(6), Eu.JoinAcceptDelay2);
        Assert.Equal(16384, Eu.MaxFCntGap);
        Assert.Equal(64, Eu.AdrAckLimit);
        Assert.Equal(32, Eu.AdrAckDelay);
    }

    [Theory]
    [InlineData(0, 16)]
    [InlineData(1, 14)]
    [InlineData(2, 12)]
    [InlineData(5, 6)]
    [InlineData(7, 2)]
    public void Tx_power_index_to_eirp(int index, int dbm)
    {
        Assert.Equal(dbm, Eu.TxPowerDbm(index));
    }

    [Fact]
    public void Tx_power_limits()
    {
        Assert.Equal(16, Eu.DefaultMaxEirpDbm);
        Assert.Equal(7, Eu.MaxTxPowerIndex);
        Assert.Equal(10, Eu.TxPowerDbm(2, maxEirpDbm: 14));
        Assert.Throws<ArgumentOutOfRangeException>(() => Eu.TxPowerDbm(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => Eu.TxPowerDbm(-1));
    }

    [Fact]
    public void Downlink_tx_power_depends_on_the_sub_band()
    {
        Assert.Equal(29, Eu.DownlinkTxPowerDbm(869_525_000));
        Assert.Equal(16, Eu.DownlinkTxPowerDbm(868_100_000));
        Assert.Equal(16, Eu.DownlinkTxPowerDbm(869_650_000));
    }

    [Fact]
    public void Default_channels_and_plan()
    {
        Assert.Equal([868_100_000UL, 868_300_000UL, 868_500_000UL], Eu.DefaultChannels.Select(c => c.FrequencyHz));
        Assert.All(Eu.DefaultChannels, c => Assert.Equal((0, 5, 125_000), (c.MinDataRate, c.MaxDataRate, c.BandwidthHz)));
        Assert.Equal(ChannelMask.FirstChannels(3), Eu.DefaultChannelMask);
        Assert.Equal(16, Eu.MaxUplinkChannels);
        Assert.Equal(CFListType.Frequencies, Eu.CFListType);
        Assert.Equal(ChannelMaskLayout.Dynamic16, Eu.ChannelMaskLayout);
        Assert.Equal(5, Eu.MaxAdrDataRate);
        Assert.True(Eu.TryGetUplinkChannel(868_300_000, out var channel));
        Assert.Equal(1, channel);
        Assert.False(Eu.TryGetUplinkChannel(867_100_000, out _));
    }
}
