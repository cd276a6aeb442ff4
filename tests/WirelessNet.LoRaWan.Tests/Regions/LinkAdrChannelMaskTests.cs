using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.LoRaWan.Tests.Regions;

public sealed class LinkAdrChannelMaskTests
{
    private static readonly RegionParameters Us = Region.Us915;
    private static readonly RegionParameters Eu = Region.Eu868;

    // Sub-band 2 as US915 gateways usually run it: channels 8–15 plus 500 kHz channel 65.
    private static readonly ChannelMask SubBand2 = Channels(8, 9, 10, 11, 12, 13, 14, 15, 65);

    [Fact]
    public void Us_cntl7_turns_all_125kHz_channels_off_and_sets_the_500kHz_ones()
    {
        Assert.True(Us.TryApplyLinkAdrChannelMask(Us.DefaultChannelMask, Us.DefaultChannelMask, 7, 0x0002, out var mask));
        Assert.Equal(Channels(65), mask);
    }

    [Fact]
    public void Us_cntl6_turns_all_125kHz_channels_on_and_sets_the_500kHz_ones()
    {
        Assert.True(Us.TryApplyLinkAdrChannelMask(ChannelMask.None, Us.DefaultChannelMask, 6, 0xFF01, out var mask));
        Assert.Equal(ChannelMask.FirstChannels(64).With(64, true), mask);
    }

    [Fact]
    public void Us_cntl0_to_3_replace_one_block_of_16()
    {
        Assert.True(Us.TryApplyLinkAdrChannelMask(Channels(65), Us.DefaultChannelMask, 0, 0xFF00, out var mask));
        Assert.Equal(SubBand2, mask);

        Assert.True(Us.TryApplyLinkAdrChannelMask(mask, Us.DefaultChannelMask, 3, 0x8001, out mask));
        Assert.Equal(SubBand2.With(48, true).With(63, true), mask);
    }

    [Fact]
    public void Us_cntl4_sets_channels_64_to_71()
    {
        Assert.True(Us.TryApplyLinkAdrChannelMask(Channels(0, 64), Us.DefaultChannelMask, 4, 0x0081, out var mask));
        Assert.Equal(Channels(0, 64, 71), mask);
    }

    [Fact]
    public void Us_cntl5_switches_banks_of_8_with_their_500kHz_channel()
    {
        Assert.True(Us.TryApplyLinkAdrChannelMask(Us.DefaultChannelMask, Us.DefaultChannelMask, 5, 0x0002, out var mask));
        Assert.Equal(SubBand2, mask);

        Assert.True(Us.TryApplyLinkAdrChannelMask(ChannelMask.None, Us.DefaultChannelMask, 5, 0x0081, out mask));
        Assert.Equal(Channels(0, 1, 2, 3, 4, 5, 6, 7, 56, 57, 58, 59, 60, 61, 62, 63, 64, 71), mask);
    }

    [Fact]
    public void Eu_cntl0_sets_the_16_channels_and_rejects_undefined_ones()
    {
        var defined = ChannelMask.FirstChannels(5);

        Assert.True(Eu.TryApplyLinkAdrChannelMask(Eu.DefaultChannelMask, defined, 0, 0b1_0110, out var mask));
        Assert.Equal(Channels(1, 2, 4), mask);

        Assert.False(Eu.TryApplyLinkAdrChannelMask(Eu.DefaultChannelMask, defined, 0, 0b10_0000, out var rejected));
        Assert.Equal(Eu.DefaultChannelMask, rejected);
    }

    [Fact]
    public void Eu_cntl6_enables_every_defined_channel_and_other_values_are_rfu()
    {
        var defined = ChannelMask.FirstChannels(8);

        Assert.True(Eu.TryApplyLinkAdrChannelMask(Channels(0), defined, 6, 0, out var mask));
        Assert.Equal(defined, mask);
        Assert.False(Eu.TryApplyLinkAdrChannelMask(Channels(0), defined, 1, 0xFFFF, out _));
        Assert.False(Eu.TryApplyLinkAdrChannelMask(Channels(0), defined, 7, 0, out _));
    }

    [Fact]
    public void Us_write_uses_a_single_cntl5_pair_when_allowed()
    {
        Span<LinkAdrChannelMask> pairs = stackalloc LinkAdrChannelMask[RegionParameters.MaxLinkAdrChannelMasks];

        var count = Us.WriteLinkAdrChannelMasks(SubBand2, allowChMaskCntl5: true, pairs);

        Assert.Equal([new LinkAdrChannelMask(5, 0x0002)], pairs[..count].ToArray());
    }

    [Fact]
    public void Us_write_without_cntl5_resets_then_patches_blocks()
    {
        Span<LinkAdrChannelMask> pairs = stackalloc LinkAdrChannelMask[RegionParameters.MaxLinkAdrChannelMasks];

        var count = Us.WriteLinkAdrChannelMasks(SubBand2, allowChMaskCntl5: false, pairs);

        Assert.Equal([new LinkAdrChannelMask(7, 0x0002), new LinkAdrChannelMask(0, 0xFF00)], pairs[..count].ToArray());
    }

    [Fact]
    public void Us_write_uses_cntl6_when_fewer_blocks_differ_from_all_on()
    {
        Span<LinkAdrChannelMask> pairs = stackalloc LinkAdrChannelMask[RegionParameters.MaxLinkAdrChannelMasks];

        var count = Us.WriteLinkAdrChannelMasks(Us.DefaultChannelMask.With(0, false), allowChMaskCntl5: true, pairs);
        Assert.Equal([new LinkAdrChannelMask(6, 0x00FF), new LinkAdrChannelMask(0, 0xFFFE)], pairs[..count].ToArray());

        count = Us.WriteLinkAdrChannelMasks(Us.DefaultChannelMask, allowChMaskCntl5: true, pairs);
        Assert.Equal([new LinkAdrChannelMask(6, 0x00FF)], pairs[..count].ToArray());
    }

    [Fact]
    public void Us_written_pairs_turn_any_device_mask_into_the_desired_one()
    {
        var random = new Random(915);
        Span<LinkAdrChannelMask> pairs = stackalloc LinkAdrChannelMask[RegionParameters.MaxLinkAdrChannelMasks];
        for (var i = 0; i < 500; i++)
        {
            var desired = RandomUsMask(random);
            var start = RandomUsMask(random);
            foreach (var allowCntl5 in new[] { false, true })
            {
                var count = Us.WriteLinkAdrChannelMasks(desired, allowCntl5, pairs);
                var mask = start;
                foreach (var pair in pairs[..count])
                {
                    Assert.True(Us.TryApplyLinkAdrChannelMask(mask, Us.DefaultChannelMask, pair.ChMaskCntl, pair.ChMask, out mask));
                }

                Assert.Equal(desired, mask);
                Assert.InRange(count, 1, RegionParameters.MaxLinkAdrChannelMasks);
            }
        }
    }

    [Fact]
    public void Eu_write_is_a_single_cntl0_pair()
    {
        Span<LinkAdrChannelMask> pairs = stackalloc LinkAdrChannelMask[1];

        var count = Eu.WriteLinkAdrChannelMasks(Channels(0, 1, 2, 5), allowChMaskCntl5: true, pairs);

        Assert.Equal([new LinkAdrChannelMask(0, 0b10_0111)], pairs[..count].ToArray());
    }

    [Fact]
    public void Write_rejects_channels_the_plan_cannot_have_and_short_destinations()
    {
        var pairs = new LinkAdrChannelMask[RegionParameters.MaxLinkAdrChannelMasks];

        Assert.Throws<ArgumentException>(() => Eu.WriteLinkAdrChannelMasks(Channels(16), false, pairs));
        Assert.Throws<ArgumentException>(() => Us.WriteLinkAdrChannelMasks(Channels(72), false, pairs));
        Assert.Throws<ArgumentException>(() => Us.WriteLinkAdrChannelMasks(Channels(0, 17, 33, 49), false, pairs.AsSpan(0, 2)));
    }

    private static ChannelMask Channels(params int[] channels) =>
        channels.Aggregate(ChannelMask.None, (mask, channel) => mask.With(channel, true));

    private static ChannelMask RandomUsMask(Random random)
    {
        // Mix fully random masks with bank-shaped ones so the ChMaskCntl 5 path is exercised too.
        var mask = ChannelMask.None;
        if (random.Next(2) == 0)
        {
            for (var channel = 0; channel < 72; channel++)
            {
                mask = mask.With(channel, random.Next(2) == 0);
            }

            return mask;
        }

        for (var bank = 0; bank < 8; bank++)
        {
            if (random.Next(2) == 0)
            {
                mask = Enumerable.Range(8 * bank, 8).Aggregate(mask.With(64 + bank, true), (m, c) => m.With(c, true));
            }
        }

        return mask;
    }
}
