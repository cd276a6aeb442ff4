using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.LoRaWan.Tests.Regions;

public sealed class ChannelMaskTests
{
    [Fact]
    public void Channels_are_bits()
    {
        var mask = ChannelMask.None.With(0, true).With(71, true).With(127, true);

        Assert.True(mask.IsEnabled(71));
        Assert.False(mask.IsEnabled(70));
        Assert.Equal(3, mask.EnabledCount);
        Assert.Equal((ushort)0x0080, mask.Block16(4));
        Assert.Equal(2, mask.With(127, false).EnabledCount);
        Assert.True(ChannelMask.None.IsEmpty);
    }

    [Fact]
    public void First_channels_and_blocks()
    {
        Assert.Equal(72, ChannelMask.FirstChannels(72).EnabledCount);
        Assert.Equal(128, ChannelMask.FirstChannels(128).EnabledCount);
        Assert.Equal((ushort)0x00FF, ChannelMask.FirstChannels(72).Block16(4));
        Assert.Equal(ChannelMask.FirstChannels(16), ChannelMask.None.WithBlock16(0, 0xFFFF));
        Assert.Equal(ChannelMask.FirstChannels(8), ChannelMask.FirstChannels(16).WithBlock16(0, 0x00FF));
    }

    [Fact]
    public void Out_of_range_channels_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelMask.None.With(128, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelMask.None.IsEnabled(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelMask.FirstChannels(129));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelMask.None.Block16(8));
    }

    [Fact]
    public void Data_rates_describe_themselves()
    {
        Assert.Equal("DR0 (LoRa SF12/125 kHz)", Region.Eu868.GetDataRate(0).ToString());
        Assert.Equal("DR7 (FSK 50 kbps)", Region.Eu868.GetDataRate(7).ToString());
        Assert.Equal("DR5 (LR-FHSS CR1/3 1523 kHz)", Region.Us915.GetDataRate(5).ToString());
    }
}
