using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace WirelessNet.LoRaWan.Primitives;

/// <summary>
/// A 32-bit device address: a type prefix (N ones and a zero for NetID type N), the NwkID, then the NwkAddr.
/// Displayed big-endian as 8 hex digits; little-endian on the wire.
/// </summary>
public readonly struct DevAddr : IEquatable<DevAddr>, ISpanFormattable, ISpanParsable<DevAddr>
{
    public const int Size = 4;

    public DevAddr(uint value) => Value = value;

    public uint Value { get; }

    /// <summary>
    /// The NetID type encoded in the address prefix, or -1 when the address begins with eight ones
    /// (no NetID type is defined for that prefix).
    /// </summary>
    public int NetIdType
    {
        get
        {
            var leadingOnes = System.Numerics.BitOperations.LeadingZeroCount(~Value);
            return leadingOnes <= 7 ? leadingOnes : -1;
        }
    }

    /// <summary>The NwkID carried by this address (meaningful when <see cref="NetIdType"/> ≥ 0).</summary>
    public uint NwkId
    {
        get
        {
            var type = NetIdType;
            if (type < 0)
            {
                return 0;
            }

            var width = NetId.NwkIdWidth(type);
            var shift = 32 - (type + 1) - width;
            return (Value >> shift) & ((1u << width) - 1);
        }
    }

    /// <summary>The device-specific part below the NwkID.</summary>
    public uint NwkAddr
    {
        get
        {
            var type = NetIdType;
            if (type < 0)
            {
                return Value;
            }

            var bits = 32 - (type + 1) - NetId.NwkIdWidth(type);
            return Value & ((1u << bits) - 1);
        }
    }

    /// <summary>True when this address belongs to <paramref name="netId"/> (same type prefix and NwkID).</summary>
    public bool IsFrom(NetId netId) => NetIdType == netId.Type && NwkId == netId.NwkId;

    /// <summary>Builds the address for NwkAddr <paramref name="nwkAddr"/> under <paramref name="netId"/>.</summary>
    public static DevAddr FromNetId(NetId netId, uint nwkAddr)
    {
        var type = netId.Type;
        var width = NetId.NwkIdWidth(type);
        var addrBits = 32 - (type + 1) - width;
        if (addrBits < 32 && nwkAddr >> addrBits != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(nwkAddr), $"NetID type {type} leaves {addrBits} bits for the NwkAddr.");
        }

        // Prefix: 'type' ones followed by a zero, in the top type+1 bits.
        var prefix = type == 0 ? 0u : ~0u << (32 - type);
        return new DevAddr(prefix | (netId.NwkId << addrBits) | nwkAddr);
    }

    public static DevAddr ReadLittleEndian(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt32LittleEndian(source));

    public void WriteLittleEndian(Span<byte> destination) => BinaryPrimitives.WriteUInt32LittleEndian(destination, Value);

    public static DevAddr Parse(string s) => Parse(s.AsSpan(), null);

    public static DevAddr Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    public static DevAddr Parse(ReadOnlySpan<char> s, IFormatProvider? provider) =>
        TryParse(s, provider, out var r) ? r : throw new FormatException("A DevAddr is 8 hex digits, for example 26011bda.");

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out DevAddr result) =>
        TryParse(s.AsSpan(), provider, out result);

    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out DevAddr result)
    {
        Span<byte> b = stackalloc byte[Size];
        if (Hex.TryDecodeFixed(s, b))
        {
            result = new DevAddr(BinaryPrimitives.ReadUInt32BigEndian(b));
            return true;
        }

        result = default;
        return false;
    }

    public override string ToString() => Value.ToString("x8", CultureInfo.InvariantCulture);

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, "x8", CultureInfo.InvariantCulture);

    public bool Equals(DevAddr other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is DevAddr other && Equals(other);

    public override int GetHashCode() => (int)Value;

    public static bool operator ==(DevAddr left, DevAddr right) => left.Equals(right);

    public static bool operator !=(DevAddr left, DevAddr right) => !left.Equals(right);
}
