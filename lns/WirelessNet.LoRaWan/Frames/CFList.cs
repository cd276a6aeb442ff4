using System.Buffers.Binary;

namespace WirelessNet.LoRaWan.Frames;

/// <summary>
/// The optional 16-byte channel list of a Join-Accept. Type 0 lists up to five extra channel frequencies
/// (24-bit, ×100 Hz); type 1 carries channel masks (ChMask0..4, 16 bits each).
/// </summary>
public readonly record struct CFList
{
    public const int Length = 16;
    public const byte FrequencyListType = 0;
    public const byte ChannelMaskType = 1;

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

    public byte CFListType => (byte)(_hi >> 56);

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, _lo);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _hi);
    }

    /// <summary>A type-0 list of up to five frequencies in Hz (multiples of 100 Hz; 0 = channel unused).</summary>
    public static CFList FromFrequencies(ReadOnlySpan<uint> frequenciesHz)
    {
        if (frequenciesHz.Length > 5)
        {
            throw new ArgumentException("A CFList carries at most five frequencies.", nameof(frequenciesHz));
        }

        Span<byte> b = stackalloc byte[Length];
        b.Clear();
        for (var i = 0; i < frequenciesHz.Length; i++)
        {
            var f = frequenciesHz[i];
            if (f % 100 != 0 || f / 100 > 0xFF_FFFF)
            {
                throw new ArgumentException($"Frequency {f} Hz is not a 24-bit multiple of 100 Hz.", nameof(frequenciesHz));
            }

            var v = f / 100;
            b[3 * i] = (byte)v;
            b[(3 * i) + 1] = (byte)(v >> 8);
            b[(3 * i) + 2] = (byte)(v >> 16);
        }

        b[15] = FrequencyListType;
        return new CFList(b);
    }

    /// <summary>A type-1 list of up to five 16-bit channel masks.</summary>
    public static CFList FromChannelMasks(ReadOnlySpan<ushort> masks)
    {
        if (masks.Length > 5)
        {
            throw new ArgumentException("A CFList carries at most five channel masks.", nameof(masks));
        }

        Span<byte> b = stackalloc byte[Length];
        b.Clear();
        for (var i = 0; i < masks.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b[(2 * i)..], masks[i]);
        }

        b[15] = ChannelMaskType;
        return new CFList(b);
    }

    /// <summary>Frequency i (0..4) of a type-0 list, in Hz.</summary>
    public uint GetFrequency(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)index, 4u, nameof(index));
        Span<byte> b = stackalloc byte[Length];
        CopyTo(b);
        return 100u * (uint)(b[3 * index] | (b[(3 * index) + 1] << 8) | (b[(3 * index) + 2] << 16));
    }

    /// <summary>Channel mask i (0..4) of a type-1 list.</summary>
    public ushort GetChannelMask(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)index, 4u, nameof(index));
        Span<byte> b = stackalloc byte[Length];
        CopyTo(b);
        return BinaryPrimitives.ReadUInt16LittleEndian(b[(2 * index)..]);
    }
}
