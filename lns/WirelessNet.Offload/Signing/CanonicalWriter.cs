using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace WirelessNet.Offload.Signing;

/// <summary>
/// Deterministic binary writer for everything that gets signed: integers big-endian at fixed width, byte strings
/// and UTF-8 strings prefixed with their length as a big-endian u32, booleans as one byte 0/1. Fixed widths and
/// length prefixes make the encoding injective, so no two different records share a signed byte string.
/// </summary>
internal sealed class CanonicalWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public void WriteByte(byte value) => _buffer.Write([value]);

    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), checked((uint)value.Length));
        _buffer.Advance(4);
        _buffer.Write(value);
    }

    public void WriteString(string value) => WriteBytes(Encoding.UTF8.GetBytes(value));

    public void WriteOptionalString(string? value)
    {
        WriteBool(value is not null);
        if (value is not null)
        {
            WriteString(value);
        }
    }

    /// <summary>
    /// A decimal as its shortest invariant-culture text (trailing zeros stripped), so 1.50m and 1.5m encode alike and
    /// a verifier in any language can rebuild the bytes from the number.
    /// </summary>
    public void WriteDecimal(decimal value) => WriteString(CanonicalDecimal(value));

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    internal static string CanonicalDecimal(decimal value)
    {
        // Dividing by 1 with 28 zero decimals removes trailing zeros from the scale without changing the value.
        var normalized = value / 1.0000000000000000000000000000m;
        return normalized.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
