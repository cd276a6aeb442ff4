using System.Buffers.Binary;
using System.Globalization;
using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.LoRaWan.Frames;

/// <summary>
/// The optional 16-byte channel list of a Join-Accept: type 0 lists five extra channel frequencies (dynamic
/// channel plans, 24-bit fields in 100 Hz units, 0 = unused slot); type 1 carries ChMask0..ChMask4 (fixed plans).
/// Which type a region uses is <see cref="RegionParameters.CFListType"/>.
/// </summary>
public readonly record struct CFList
{
    public const int Length = 16;

    /// <summary>Frequencies a type 0 list carries (the channels after the default ones).</summary>
    public const int MaxFrequencies = 5;

    private const int ChMaskFieldCount = 5;
    private const ulong FrequencyUnitHz = 100;

    // Below 100 MHz is RFU; the 24-bit field in 100 Hz units ends just under 1.678 GHz.
    private const ulong MinFrequencyHz = 100_000_000;
    private const ulong MaxFrequencyHz = 0xFF_FFFF * FrequencyUnitHz;

    private readonly ulong _lo;
    private readonly ulong _hi;

    public CFList(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException("A CFList is 16 bytes.", nameof(bytes));
        }

        _lo = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        _hi = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
    }

    /// <summary>The CFListType octet (0 frequencies, 1 channel mask; other values are RFU).</summary>
    public CFListType Type => (CFListType)(byte)(_hi >> 56);

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, _lo);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _hi);
    }

    /// <summary>A type 0 list of up to five frequencies in Hz (multiples of 100 Hz; 0 = no channel).</summary>
    public static CFList FromFrequencies(ReadOnlySpan<ulong> frequenciesHz)
    {
        if (frequenciesHz.Length > MaxFrequencies)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A CFList carries at most {MaxFrequencies} frequencies."), nameof(frequenciesHz));
        }

        Span<byte> b = stackalloc byte[Length];
        b.Clear();
        for (var i = 0; i < frequenciesHz.Length; i++)
        {
            var frequency = frequenciesHz[i];
            if (frequency == 0)
            {
                continue;
            }

            if (frequency % FrequencyUnitHz != 0 || frequency < MinFrequencyHz || frequency > MaxFrequencyHz)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(frequenciesHz),
                    frequency,
                    "CFList frequencies are multiples of 100 Hz from 100 MHz to 1.677 GHz (0 for an unused slot).");
            }

            var units = (uint)(frequency / FrequencyUnitHz);
            b[3 * i] = (byte)units;
            b[(3 * i) + 1] = (byte)(units >> 8);
            b[(3 * i) + 2] = (byte)(units >> 16);
        }

        b[Length - 1] = (byte)CFListType.Frequencies;
        return new CFList(b);
    }

    /// <summary>A type 1 list: channels 0..79 as five little-endian 16-bit ChMask fields.</summary>
    public static CFList FromChannelMask(ChannelMask mask)
    {
        if ((mask.Bits >> (16 * ChMaskFieldCount)) != UInt128.Zero)
        {
            throw new ArgumentException("A CFList channel mask covers channels 0 to 79 only.", nameof(mask));
        }

        Span<byte> b = stackalloc byte[Length];
        b.Clear();
        for (var i = 0; i < ChMaskFieldCount; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b[(2 * i)..], mask.Block16(i));
        }

        b[Length - 1] = (byte)CFListType.ChannelMask;
        return new CFList(b);
    }

    /// <summary>Reads a type 0 list into five frequencies in Hz (0 = unused slot); false for any other type.</summary>
    public bool TryGetFrequencies(Span<ulong> frequenciesHz)
    {
        if (Type != CFListType.Frequencies || frequenciesHz.Length < MaxFrequencies)
        {
            return false;
        }

        Span<byte> b = stackalloc byte[Length];
        CopyTo(b);
        for (var i = 0; i < MaxFrequencies; i++)
        {
            frequenciesHz[i] = FrequencyUnitHz * (uint)(b[3 * i] | (b[(3 * i) + 1] << 8) | (b[(3 * i) + 2] << 16));
        }

        return true;
    }

    /// <summary>Reads a type 1 list; false for any other type.</summary>
    public bool TryGetChannelMask(out ChannelMask mask)
    {
        mask = ChannelMask.None;
        if (Type != CFListType.ChannelMask)
        {
            return false;
        }

        Span<byte> b = stackalloc byte[Length];
        CopyTo(b);
        for (var i = 0; i < ChMaskFieldCount; i++)
        {
            mask = mask.WithBlock16(i, BinaryPrimitives.ReadUInt16LittleEndian(b[(2 * i)..]));
        }

        return true;
    }
}
