using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace WirelessNet.LoRaWan.Primitives;

/// <summary>
/// A 128-bit AES key (AppKey, NwkKey, session keys). Written and read in the order the key is given in hex,
/// which is also the order AES consumes it.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> deliberately does not reveal the key, so that keys cannot leak into logs through
/// string interpolation; use <see cref="ToHexString"/> where showing the key is intended.
/// </remarks>
public readonly struct AesKey : IEquatable<AesKey>
{
    public const int Size = 16;

    private readonly ulong _hi;
    private readonly ulong _lo;

    public AesKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != Size)
        {
            throw new ArgumentException("An AES-128 key is 16 bytes.", nameof(key));
        }

        _hi = BinaryPrimitives.ReadUInt64BigEndian(key);
        _lo = BinaryPrimitives.ReadUInt64BigEndian(key[8..]);
    }

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _lo);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    public bool IsZero => (_hi | _lo) == 0;

    public static AesKey Parse(string s) =>
        TryParse(s, out var key) ? key : throw new FormatException("An AES-128 key is 32 hex digits.");

    public static bool TryParse([NotNullWhen(true)] string? s, out AesKey key) => TryParse(s.AsSpan(), out key);

    public static bool TryParse(ReadOnlySpan<char> s, out AesKey key)
    {
        Span<byte> b = stackalloc byte[Size];
        if (Hex.TryDecodeFixed(s, b))
        {
            key = new AesKey(b);
            return true;
        }

        key = default;
        return false;
    }

    public string ToHexString()
    {
        Span<byte> b = stackalloc byte[Size];
        CopyTo(b);
        return Convert.ToHexStringLower(b);
    }

    public override string ToString() => "AesKey(redacted)";

    public bool Equals(AesKey other) => _hi == other._hi && _lo == other._lo;

    public override bool Equals(object? obj) => obj is AesKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_hi, _lo);

    public static bool operator ==(AesKey left, AesKey right) => left.Equals(right);

    public static bool operator !=(AesKey left, AesKey right) => !left.Equals(right);
}
