using System.Globalization;

namespace WirelessNet.LoRaWan.Regions;

/// <summary>
/// The set of enabled uplink channels of a device, one bit per channel number (bit n = channel n).
/// 128 bits cover every region up to CN470's 96 channels without allocating.
/// </summary>
public readonly struct ChannelMask : IEquatable<ChannelMask>
{
    public const int MaxChannels = 128;

    public ChannelMask(UInt128 bits) => Bits = bits;

    public UInt128 Bits { get; }

    public static ChannelMask None => default;

    public int EnabledCount => (int)UInt128.PopCount(Bits);

    public bool IsEmpty => Bits == UInt128.Zero;

    /// <summary>A mask with channels 0..count-1 enabled.</summary>
    public static ChannelMask FirstChannels(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxChannels);
        return count == MaxChannels ? new ChannelMask(UInt128.MaxValue) : new ChannelMask((UInt128.One << count) - 1);
    }

    public bool IsEnabled(int channel)
    {
        CheckChannel(channel);
        return ((Bits >> channel) & UInt128.One) != UInt128.Zero;
    }

    public ChannelMask With(int channel, bool enabled)
    {
        CheckChannel(channel);
        var bit = UInt128.One << channel;
        return new ChannelMask(enabled ? Bits | bit : Bits & ~bit);
    }

    /// <summary>The 16 channel bits starting at channel 16·block (the ChMask layout of LinkADRReq and CFList).</summary>
    public ushort Block16(int block)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(block, MaxChannels / 16);
        return (ushort)(Bits >> (16 * block));
    }

    public ChannelMask WithBlock16(int block, ushort value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(block, MaxChannels / 16);
        var shift = 16 * block;
        var cleared = Bits & ~((UInt128)ushort.MaxValue << shift);
        return new ChannelMask(cleared | ((UInt128)value << shift));
    }

    public static ChannelMask operator |(ChannelMask left, ChannelMask right) => new(left.Bits | right.Bits);

    public static ChannelMask operator &(ChannelMask left, ChannelMask right) => new(left.Bits & right.Bits);

    public static bool operator ==(ChannelMask left, ChannelMask right) => left.Equals(right);

    public static bool operator !=(ChannelMask left, ChannelMask right) => !left.Equals(right);

    public bool Equals(ChannelMask other) => Bits == other.Bits;

    public override bool Equals(object? obj) => obj is ChannelMask other && Equals(other);

    public override int GetHashCode() => Bits.GetHashCode();

    public override string ToString() => Bits.ToString("X32", CultureInfo.InvariantCulture);

    private static void CheckChannel(int channel)
    {
        if ((uint)channel >= MaxChannels)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, string.Create(CultureInfo.InvariantCulture, $"Channel numbers range from 0 to {MaxChannels - 1}."));
        }
    }
}
