using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace WirelessNet.LoRaWan.Primitives;

/// <summary>
/// A 24-bit LoRa Alliance NetID: 3 type bits followed by a 21-bit ID
/// (LoRaWAN Backend Interfaces, TS002-1.1.0 §13).
/// </summary>
public readonly struct NetId : IEquatable<NetId>, ISpanFormattable, ISpanParsable<NetId>
{
    public const int Size = 3;
    private const uint Mask = 0xFF_FFFF;

    // Width of the NwkID field carried in a DevAddr for each NetID type (TS002-1.1.0 table 3).
    private static ReadOnlySpan<byte> NwkIdBits => [6, 6, 9, 11, 12, 13, 15, 17];

    public NetId(uint value)
    {
        if (value > Mask)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A NetID is 24 bits.");
        }

        Value = value;
    }

    public uint Value { get; }

    /// <summary>NetID type 0..7 (the 3 most significant bits).</summary>
    public int Type => (int)(Value >> 21);

    /// <summary>The 21-bit ID part.</summary>
    public uint Id => Value & 0x1F_FFFF;

    /// <summary>The NwkID that DevAddrs allocated under this NetID carry: the low bits of the ID.</summary>
    public uint NwkId => Value & ((1u << NwkIdBits[Type]) - 1);

    internal static int NwkIdWidth(int type) => NwkIdBits[type];

    /// <summary>The DevAddr prefix of this NetID: type marker bits followed by the NwkID.</summary>
    public DevAddr DevAddrPrefix => DevAddr.FromNetId(this, 0);

    /// <summary>Number of NwkAddr bits a DevAddr under this NetID leaves for devices.</summary>
    public int NwkAddrBits => 32 - (Type + 1) - NwkIdBits[Type];

    public static NetId ReadLittleEndian(ReadOnlySpan<byte> source) =>
        new((uint)(source[0] | (source[1] << 8) | (source[2] << 16)));

    public void WriteLittleEndian(Span<byte> destination)
    {
        destination[0] = (byte)Value;
        destination[1] = (byte)(Value >> 8);
        destination[2] = (byte)(Value >> 16);
    }

    public static NetId Parse(string s) => Parse(s.AsSpan(), null);

    public static NetId Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    public static NetId Parse(ReadOnlySpan<char> s, IFormatProvider? provider) =>
        TryParse(s, provider, out var r) ? r : throw new FormatException("A NetID is 6 hex digits, for example 000013.");

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out NetId result) =>
        TryParse(s.AsSpan(), provider, out result);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out NetId result)
    {
        Span<byte> b = stackalloc byte[4];
        b[0] = 0;
        if (Hex.TryDecodeFixed(s, b[1..]))
        {
            result = new NetId(BinaryPrimitives.ReadUInt32BigEndian(b));
            return true;
        }

        result = default;
        return false;
    }

    public override string ToString() => Value.ToString("x6", CultureInfo.InvariantCulture);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, "x6", CultureInfo.InvariantCulture);

    public bool Equals(NetId other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is NetId other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public static bool operator ==(NetId left, NetId right) => left.Equals(right);

    public static bool operator !=(NetId left, NetId right) => !left.Equals(right);
}
