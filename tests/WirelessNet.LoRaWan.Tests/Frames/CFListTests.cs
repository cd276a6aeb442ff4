using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.LoRaWan.Tests.Frames;

public sealed class CFListTests
{
    [Fact]
    public void Frequencies_are_24_bit_little_endian_in_100_Hz_units_with_type_0()
    {
        ulong[] frequencies = [867_100_000, 867_300_000, 867_500_000, 867_700_000, 867_900_000];
        var cfList = CFList.FromFrequencies(frequencies);
        var bytes = new byte[CFList.Length];
        cfList.CopyTo(bytes);

        // 867.1 MHz / 100 Hz = 8671000 = 0x844F18
        Assert.Equal(new byte[] { 0x18, 0x4F, 0x84 }, bytes[..3]);
        Assert.Equal(0, bytes[15]);
        Assert.Equal(CFListType.Frequencies, cfList.Type);

        var read = new ulong[CFList.MaxFrequencies];
        Assert.True(new CFList(bytes).TryGetFrequencies(read));
        Assert.Equal(frequencies, read);
        Assert.False(cfList.TryGetChannelMask(out _));
    }

    [Fact]
    public void Unused_frequency_slots_are_zero()
    {
        var bytes = new byte[CFList.Length];
        CFList.FromFrequencies([867_100_000]).CopyTo(bytes);
        Assert.All(bytes[3..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Invalid_frequencies_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CFList.FromFrequencies([867_100_050]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CFList.FromFrequencies([99_999_900]));
        Assert.Throws<ArgumentException>(() => CFList.FromFrequencies(new ulong[6]));
        Assert.Throws<ArgumentException>(() => new CFList(new byte[15]));
    }

    [Fact]
    public void Channel_mask_is_five_chmask_fields_then_rfu_then_type_1()
    {
        var subBand2 = Enumerable.Range(8, 8).Aggregate(ChannelMask.None.With(65, true), (m, c) => m.With(c, true));
        var cfList = CFList.FromChannelMask(subBand2);
        var bytes = new byte[CFList.Length];
        cfList.CopyTo(bytes);

        Assert.Equal(
            new byte[] { 0x00, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 },
            bytes);
        Assert.True(cfList.TryGetChannelMask(out var read));
        Assert.Equal(subBand2, read);
        Assert.False(cfList.TryGetFrequencies(new ulong[5]));
    }
}
