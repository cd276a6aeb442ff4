namespace WirelessNet.LoRaWan.Primitives;

/// <summary>Hex parsing shared by the identifier types: exact length, optional byte separators.</summary>
internal static class Hex
{
    /// <summary>
    /// Decodes exactly <c>destination.Length</c> bytes. Accepts plain hex, and bytes separated by ':' or '-'
    /// (as gateway EUIs are often written), upper or lower case.
    /// </summary>
    public static bool TryDecodeFixed(ReadOnlySpan<char> s, Span<byte> destination)
    {
        s = s.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            s = s[2..];
        }

        var n = destination.Length;
        if (s.Length == n * 2)
        {
            for (var i = 0; i < n; i++)
            {
                if (!TryByte(s[2 * i], s[(2 * i) + 1], out destination[i]))
                {
                    return false;
                }
            }

            return true;
        }

        if (n > 0 && s.Length == (n * 3) - 1)
        {
            var sep = s[2];
            if (sep is not (':' or '-'))
            {
                return false;
            }

            for (var i = 0; i < n; i++)
            {
                if ((i > 0 && s[(3 * i) - 1] != sep) || !TryByte(s[3 * i], s[(3 * i) + 1], out destination[i]))
                {
                    return false;
                }
            }

            return true;
        }

        return false;
    }

    private static bool TryByte(char hi, char lo, out byte value)
    {
        var h = Nibble(hi);
        var l = Nibble(lo);
        value = (byte)((h << 4) | l);
        return (h | l) >= 0;
    }

    private static int Nibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
