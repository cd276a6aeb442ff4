namespace WirelessNet.Helium.Crypto;

/// <summary>
/// Strict DER for ECDSA P-256 signatures (<c>SEQUENCE { INTEGER r, INTEGER s }</c>), the form helium-crypto
/// emits and accepts for ecc_compact. Parsing here, rather than handing the bytes to the platform, keeps
/// malformed input on a cheap, exception-free path and rejects the lax encodings BER would let through.
/// </summary>
internal static class EcdsaDer
{
    public const int ScalarLength = 32;
    public const int P1363Length = 2 * ScalarLength;

    // 0x30 len 0x02 len (0x00 + 32 bytes) 0x02 len (0x00 + 32 bytes)
    public const int MaxLength = 2 + (2 * (2 + ScalarLength + 1));

    private const byte SequenceTag = 0x30;
    private const byte IntegerTag = 0x02;

    /// <summary>Converts a DER signature to fixed-width r ‖ s; false for anything that is not canonical DER of two positive 256-bit integers.</summary>
    public static bool TryToP1363(ReadOnlySpan<byte> der, Span<byte> rs)
    {
        if (der.Length < 8 || der.Length > MaxLength || der[0] != SequenceTag || der[1] != der.Length - 2)
        {
            return false;
        }

        var rest = der[2..];
        return TryReadScalar(ref rest, rs[..ScalarLength]) && TryReadScalar(ref rest, rs[ScalarLength..]) && rest.IsEmpty;
    }

    private static bool TryReadScalar(ref ReadOnlySpan<byte> input, Span<byte> scalar)
    {
        if (input.Length < 3 || input[0] != IntegerTag)
        {
            return false;
        }

        int length = input[1];
        if (length == 0 || length > ScalarLength + 1 || input.Length < 2 + length)
        {
            return false;
        }

        var value = input.Slice(2, length);
        input = input[(2 + length)..];

        // Negative numbers, superfluous leading zeros and zero itself are all invalid for r and s.
        if ((value[0] & 0x80) != 0)
        {
            return false;
        }

        if (value[0] == 0)
        {
            if (length == 1 || (value[1] & 0x80) == 0)
            {
                return false;
            }

            value = value[1..];
        }

        if (value.Length > ScalarLength)
        {
            return false;
        }

        scalar.Clear();
        value.CopyTo(scalar[(ScalarLength - value.Length)..]);
        return true;
    }
}
