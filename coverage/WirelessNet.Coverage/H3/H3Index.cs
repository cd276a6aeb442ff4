using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace WirelessNet.Coverage.H3;

/// <summary>
/// A 64-bit H3 (v4) index. Formats and parses as lowercase hexadecimal without leading zeros, like h3-js.
/// Cell layout: bit 63 reserved (0), 4 mode bits (1 = cell), 3 reserved bits, 4 resolution bits,
/// 7 base cell bits, then 15 three-bit digits (unused digits are 7).
/// </summary>
public readonly struct H3Index : IEquatable<H3Index>, IComparable<H3Index>, ISpanFormattable
{
    /// <summary>The null index (0), returned where H3 returns H3_NULL.</summary>
    public static readonly H3Index Null;

    public H3Index(ulong value) => Value = value;

    public ulong Value { get; }

    public bool IsNull => Value == 0;

    /// <summary>Resolution bits (meaningful for valid cells).</summary>
    public int Resolution => (int)((Value >> 52) & 0xF);

    /// <summary>Base cell bits (meaningful for valid cells).</summary>
    public int BaseCell => (int)((Value >> 45) & 0x7F);

    public bool IsValidCell => H3Grid.IsValidCell(this);

    public static H3Index Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text.AsSpan(), out var index)
            ? index
            : throw new FormatException($"'{text}' is not a hexadecimal H3 index.");
    }

    public static bool TryParse(ReadOnlySpan<char> text, out H3Index index)
    {
        text = text.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }

        if (text.Length is 0 or > 16 ||
            !ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            index = Null;
            return false;
        }

        index = new H3Index(value);
        return true;
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out H3Index index)
    {
        if (text is null)
        {
            index = Null;
            return false;
        }

        return TryParse(text.AsSpan(), out index);
    }

    public override string ToString() => Value.ToString("x", CultureInfo.InvariantCulture);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, "x", CultureInfo.InvariantCulture);

    public bool Equals(H3Index other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is H3Index other && Equals(other);

    public override int GetHashCode() => Value.GetHashCode();

    public int CompareTo(H3Index other) => Value.CompareTo(other.Value);

    public static bool operator ==(H3Index left, H3Index right) => left.Value == right.Value;

    public static bool operator !=(H3Index left, H3Index right) => left.Value != right.Value;

    public static bool operator <(H3Index left, H3Index right) => left.Value < right.Value;

    public static bool operator >(H3Index left, H3Index right) => left.Value > right.Value;

    public static bool operator <=(H3Index left, H3Index right) => left.Value <= right.Value;

    public static bool operator >=(H3Index left, H3Index right) => left.Value >= right.Value;

    public static explicit operator ulong(H3Index index) => index.Value;

    public static explicit operator H3Index(ulong value) => new(value);
}
