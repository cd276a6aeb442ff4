namespace WirelessNet.Coverage.Payloads;

/// <summary>Signed 24-bit big-endian integers, the field size of LPP GPS and of the compact mapper layout.</summary>
internal static class Int24
{
    public const int MinValue = -(1 << 23);
    public const int MaxValue = (1 << 23) - 1;

    public static int ReadBigEndian(ReadOnlySpan<byte> bytes) =>
        ((sbyte)bytes[0] << 16) | (bytes[1] << 8) | bytes[2];

    public static void WriteBigEndian(Span<byte> bytes, int value)
    {
        if (value is < MinValue or > MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Out of the signed 24-bit range.");
        }

        bytes[0] = (byte)(value >> 16);
        bytes[1] = (byte)(value >> 8);
        bytes[2] = (byte)value;
    }
}
