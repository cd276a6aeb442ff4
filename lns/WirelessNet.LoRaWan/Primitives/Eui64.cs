using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace WirelessNet.LoRaWan.Primitives;

/// <summary>
/// A 64-bit extended unique identifier (DevEUI, JoinEUI, gateway EUI).
/// Displayed big-endian as 16 hex digits; carried little-endian inside LoRaWAN frames.
/// </summary>
public readonly struct Eui64 : IEquatable<Eui64>, IComparable<Eui64>, ISpanFormattable, ISpanParsable<Eui64>
{
    public const int Size = 8;

    public Eui64(ulong value) => Value = value;

    public ulong Value { get; }

    public static Eui64 ReadLittleEndian(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt64LittleEndian(source));

    public static Eui64 ReadBigEndian(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt64BigEndian(source));

    public void WriteLittleEndian(Span<byte> destination) => BinaryPrimitives.WriteUInt64LittleEndian(destination, Value);

    public void WriteBigEndian(Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, Value);

    /// <summary>Parses 16 hex digits (optionally with ':' or '-' separators between bytes).</summary>
    public static Eui64 Parse(string s) => Parse(s.AsSpan(), null);

    public static Eui64 Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    public static Eui64 Parse(ReadOnlySpan<char> s, IFormatProvider? provider) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException("An EUI-64 is 16 hex digits, for example 0102030405060708.");

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Eui64 result) =>
        TryParse(s.AsSpan(), provider, out result);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Eui64 result)
    {
        Span<byte> bytes = stackalloc byte[Size];
        if (Hex.TryDecodeFixed(s, bytes))
        {
            result = ReadBigEndian(bytes);
            return true;
        }

        result = default;
        return false;
    }

    public static bool TryParse(ReadOnlySpan<char> s, out Eui64 result) => TryParse(s, null, out result);

    public override string ToString() => Value.ToString("x16", CultureInfo.InvariantCulture);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, "x16", CultureInfo.InvariantCulture);

    public bool Equals(Eui64 other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is Eui64 other && Equals(other);

    public override int GetHashCode() => Value.GetHashCode();

    public int CompareTo(Eui64 other) => Value.CompareTo(other.Value);

    public static bool operator ==(Eui64 left, Eui64 right) => left.Equals(right);

    public static bool operator !=(Eui64 left, Eui64 right) => !left.Equals(right);

    public static bool operator <(Eui64 left, Eui64 right) => left.Value < right.Value;

    public static bool operator >(Eui64 left, Eui64 right) => left.Value > right.Value;

    public static bool operator <=(Eui64 left, Eui64 right) => left.Value <= right.Value;

    public static bool operator >=(Eui64 left, Eui64 right) => left.Value >= right.Value;
}
