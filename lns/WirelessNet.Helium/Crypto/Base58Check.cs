using System.Security.Cryptography;

namespace WirelessNet.Helium.Crypto;

/// <summary>
/// Base58 (Bitcoin alphabet) and base58check: <c>base58(payload ‖ SHA-256(SHA-256(payload))[0..4])</c>.
/// Helium addresses are base58check of <c>version 0x00 ‖ binary public key</c>.
/// </summary>
public static class Base58Check
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private const int ChecksumLength = 4;

    // Longest input decoded: Helium addresses are ~51 characters; anything far beyond that is not a key
    // and would make the quadratic conversion below a cheap way to burn CPU.
    private const int MaxEncodedLength = 512;

    private static readonly sbyte[] DigitOf = BuildDigitTable();

    /// <summary>Base58 text of <paramref name="data"/>; each leading zero byte becomes a leading '1'.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        var leadingZeros = 0;
        while (leadingZeros < data.Length && data[leadingZeros] == 0)
        {
            leadingZeros++;
        }

        // log(256) / log(58) ≈ 1.366: base58 digits needed per byte, rounded up.
        var capacity = ((data.Length - leadingZeros) * 138 / 100) + 1;
        Span<byte> digits = capacity <= 256 ? stackalloc byte[capacity] : new byte[capacity];
        var digitCount = 0;
        for (var i = leadingZeros; i < data.Length; i++)
        {
            // digits (little-endian base 58) = digits * 256 + data[i]
            int carry = data[i];
            for (var j = 0; j < digitCount; j++)
            {
                carry += digits[j] << 8;
                digits[j] = (byte)(carry % 58);
                carry /= 58;
            }

            while (carry > 0)
            {
                digits[digitCount++] = (byte)(carry % 58);
                carry /= 58;
            }
        }

        Span<char> text = leadingZeros + digitCount <= 512 ? stackalloc char[leadingZeros + digitCount] : new char[leadingZeros + digitCount];
        text[..leadingZeros].Fill('1');
        for (var k = 0; k < digitCount; k++)
        {
            text[leadingZeros + k] = Alphabet[digits[digitCount - 1 - k]];
        }

        return new string(text);
    }

    /// <summary>Decodes base58 text; false for an empty or over-long string or a character outside the alphabet.</summary>
    public static bool TryDecode(string text, out byte[] data)
    {
        ArgumentNullException.ThrowIfNull(text);
        data = [];
        if (text.Length == 0 || text.Length > MaxEncodedLength)
        {
            return false;
        }

        var leadingOnes = 0;
        while (leadingOnes < text.Length && text[leadingOnes] == '1')
        {
            leadingOnes++;
        }

        // log(58) / log(256) ≈ 0.733: bytes needed per digit, rounded up.
        var capacity = ((text.Length - leadingOnes) * 733 / 1000) + 1;
        Span<byte> bytes = stackalloc byte[capacity];
        var byteCount = 0;
        for (var i = leadingOnes; i < text.Length; i++)
        {
            var c = text[i];
            int digit = c < DigitOf.Length ? DigitOf[c] : -1;
            if (digit < 0)
            {
                return false;
            }

            // bytes (little-endian base 256) = bytes * 58 + digit
            var carry = digit;
            for (var j = 0; j < byteCount; j++)
            {
                carry += bytes[j] * 58;
                bytes[j] = (byte)carry;
                carry >>= 8;
            }

            while (carry > 0)
            {
                bytes[byteCount++] = (byte)carry;
                carry >>= 8;
            }
        }

        data = new byte[leadingOnes + byteCount];
        for (var k = 0; k < byteCount; k++)
        {
            data[leadingOnes + k] = bytes[byteCount - 1 - k];
        }

        return true;
    }

    /// <summary>Base58check text of <paramref name="payload"/> (the payload already includes any version byte).</summary>
    public static string EncodeCheck(ReadOnlySpan<byte> payload)
    {
        Span<byte> buffer = payload.Length <= 128 ? stackalloc byte[payload.Length + ChecksumLength] : new byte[payload.Length + ChecksumLength];
        payload.CopyTo(buffer);
        WriteChecksum(payload, buffer[payload.Length..]);
        return Encode(buffer);
    }

    /// <summary>
    /// Decodes base58check text and returns the payload without its checksum; false when the text is not base58,
    /// is shorter than a checksum, or the checksum does not match.
    /// </summary>
    public static bool TryDecodeCheck(string text, out byte[] payload)
    {
        payload = [];
        if (!TryDecode(text, out var decoded) || decoded.Length < ChecksumLength)
        {
            return false;
        }

        var body = decoded.AsSpan(0, decoded.Length - ChecksumLength);
        Span<byte> expected = stackalloc byte[ChecksumLength];
        WriteChecksum(body, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, decoded.AsSpan(body.Length)))
        {
            return false;
        }

        payload = body.ToArray();
        return true;
    }

    private static void WriteChecksum(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(payload, hash);
        SHA256.HashData(hash, hash);
        hash[..ChecksumLength].CopyTo(destination);
    }

    private static sbyte[] BuildDigitTable()
    {
        var table = new sbyte[128];
        Array.Fill(table, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            table[Alphabet[i]] = (sbyte)i;
        }

        return table;
    }
}
