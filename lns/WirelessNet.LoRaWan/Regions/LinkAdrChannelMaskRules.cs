using System.Globalization;

namespace WirelessNet.LoRaWan.Regions;

// LinkADRReq ChMaskCntl semantics per channel-mask layout (RP002-1.0.4 §2.1.x / §2.5.5 for US915).
internal static class LinkAdrChannelMaskRules
{
    // Fixed 64+8 worst case: one ChMaskCntl 6/7 reset plus the four 16-channel blocks.
    public const int MaxPairs = 5;

    private const int NarrowChannelCount = 64;
    private const int WideChannelBlock = 4;
    private const ushort WideChannelBits = 0x00FF;
    private static readonly ChannelMask AllNarrowChannels = ChannelMask.FirstChannels(NarrowChannelCount);

    public static bool TryApply(ChannelMaskLayout layout, ChannelMask current, ChannelMask definedChannels, int chMaskCntl, ushort chMask, out ChannelMask result)
    {
        var applied = layout switch
        {
            ChannelMaskLayout.Dynamic16 => ApplyDynamic16(current, definedChannels, chMaskCntl, chMask),
            ChannelMaskLayout.Fixed64Plus8 => ApplyFixed64Plus8(current, chMaskCntl, chMask),
            _ => null,
        };

        if (applied is not { } mask || (mask.Bits & ~definedChannels.Bits) != UInt128.Zero)
        {
            result = current;
            return false;
        }

        result = mask;
        return true;
    }

    public static int Write(ChannelMaskLayout layout, ChannelMask desired, bool allowChMaskCntl5, Span<LinkAdrChannelMask> destination)
    {
        return layout switch
        {
            ChannelMaskLayout.Dynamic16 => WriteDynamic16(desired, destination),
            ChannelMaskLayout.Fixed64Plus8 => WriteFixed64Plus8(desired, allowChMaskCntl5, destination),
            _ => throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Unknown channel mask layout {layout}.")),
        };
    }

    private static ChannelMask? ApplyDynamic16(ChannelMask current, ChannelMask definedChannels, int chMaskCntl, ushort chMask) => chMaskCntl switch
    {
        0 => current.WithBlock16(0, chMask),
        6 => current.WithBlock16(0, definedChannels.Block16(0)),
        _ => null,
    };

    private static ChannelMask? ApplyFixed64Plus8(ChannelMask current, int chMaskCntl, ushort chMask)
    {
        // Bits 8–15 are RFU wherever ChMask addresses the eight 500 kHz channels or the eight banks.
        var wide = (ushort)(chMask & WideChannelBits);
        switch (chMaskCntl)
        {
            case >= 0 and <= 3:
                return current.WithBlock16(chMaskCntl, chMask);
            case 4:
                return current.WithBlock16(WideChannelBlock, wide);
            case 5:
                // Bit i switches bank i (125 kHz channels 8i..8i+7) together with 500 kHz channel 64+i.
                var banks = ChannelMask.None.WithBlock16(WideChannelBlock, wide);
                for (var bank = 0; bank < 8; bank++)
                {
                    if ((wide & (1 << bank)) != 0)
                    {
                        banks = new ChannelMask(banks.Bits | ((UInt128)0xFF << (8 * bank)));
                    }
                }

                return banks;
            case 6:
                return AllNarrowChannels.WithBlock16(WideChannelBlock, wide);
            case 7:
                return ChannelMask.None.WithBlock16(WideChannelBlock, wide);
            default:
                return null;
        }
    }

    private static int WriteDynamic16(ChannelMask desired, Span<LinkAdrChannelMask> destination)
    {
        if ((desired.Bits >> 16) != UInt128.Zero)
        {
            throw new ArgumentException("A dynamic channel plan has at most 16 channels.", nameof(desired));
        }

        EnsureRoom(destination, 1);
        destination[0] = new LinkAdrChannelMask(0, desired.Block16(0));
        return 1;
    }

    private static int WriteFixed64Plus8(ChannelMask desired, bool allowChMaskCntl5, Span<LinkAdrChannelMask> destination)
    {
        if ((desired.Bits >> (NarrowChannelCount + 8)) != UInt128.Zero)
        {
            throw new ArgumentException("A fixed 64 + 8 channel plan has channels 0 to 71 only.", nameof(desired));
        }

        var wide = desired.Block16(WideChannelBlock);
        var narrow = desired & AllNarrowChannels;

        if (narrow == AllNarrowChannels || narrow.IsEmpty)
        {
            EnsureRoom(destination, 1);
            destination[0] = new LinkAdrChannelMask(narrow.IsEmpty ? 7 : 6, wide);
            return 1;
        }

        if (allowChMaskCntl5 && TryGetBankBits(desired, out var bankBits))
        {
            EnsureRoom(destination, 1);
            destination[0] = new LinkAdrChannelMask(5, bankBits);
            return 1;
        }

        // Reset all 125 kHz channels (7 = off, 6 = on) and then patch the 16-channel blocks that differ from
        // the reset state; pick whichever reset leaves fewer blocks to patch.
        int blocksWithEnabled = 0, blocksWithDisabled = 0;
        for (var block = 0; block < 4; block++)
        {
            var bits = desired.Block16(block);
            blocksWithEnabled += bits != 0 ? 1 : 0;
            blocksWithDisabled += bits != ushort.MaxValue ? 1 : 0;
        }

        var resetOff = blocksWithEnabled <= blocksWithDisabled;
        EnsureRoom(destination, 1 + (resetOff ? blocksWithEnabled : blocksWithDisabled));
        var count = 0;
        destination[count++] = new LinkAdrChannelMask(resetOff ? 7 : 6, wide);
        for (var block = 0; block < 4; block++)
        {
            var bits = desired.Block16(block);
            if (resetOff ? bits != 0 : bits != ushort.MaxValue)
            {
                destination[count++] = new LinkAdrChannelMask(block, bits);
            }
        }

        return count;
    }

    // ChMaskCntl 5 can express the mask only if every 8-channel bank is wholly on or off and each 500 kHz
    // channel 64+i follows bank i.
    private static bool TryGetBankBits(ChannelMask desired, out ushort bankBits)
    {
        bankBits = 0;
        var wide = desired.Block16(WideChannelBlock);
        for (var bank = 0; bank < 8; bank++)
        {
            var bankMask = (byte)(desired.Bits >> (8 * bank));
            var wideOn = (wide & (1 << bank)) != 0;
            if (bankMask == 0xFF && wideOn)
            {
                bankBits |= (ushort)(1 << bank);
            }
            else if (bankMask != 0 || wideOn)
            {
                return false;
            }
        }

        return true;
    }

    private static void EnsureRoom(Span<LinkAdrChannelMask> destination, int needed)
    {
        if (destination.Length < needed)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Destination holds {destination.Length} channel masks; {needed} are needed (at most {MaxPairs})."),
                nameof(destination));
        }
    }
}
