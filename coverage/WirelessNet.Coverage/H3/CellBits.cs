using System.Numerics;
using System.Runtime.CompilerServices;

namespace WirelessNet.Coverage.H3;

/// <summary>Bit-level access to H3 cell indexes and the base cell tables.</summary>
internal static class CellBits
{
    public const int ModeCell = 1;
    public const int ResOffset = 52;
    public const int BaseCellOffset = 45;
    public const ulong ResMask = 0xFUL << ResOffset;
    public const ulong BaseCellMask = 0x7FUL << BaseCellOffset;

    /// <summary>Mode 1, resolution 0, base cell 0, all 15 digits unused (7).</summary>
    public const ulong CellInit = 0x08001fffffffffffUL;

    public const int InvalidBaseCell = 127;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetResolution(ulong h) => (int)((h >> ResOffset) & 0xF);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetBaseCell(ulong h) => (int)((h >> BaseCellOffset) & 0x7F);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetDigit(ulong h, int res) => (int)((h >> ((15 - res) * 3)) & 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SetDigit(ulong h, int res, int digit)
    {
        var shift = (15 - res) * 3;
        return (h & ~(7UL << shift)) | ((ulong)digit << shift);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SetResolution(ulong h, int res) => (h & ~ResMask) | ((ulong)res << ResOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SetBaseCell(ulong h, int baseCell) => (h & ~BaseCellMask) | ((ulong)baseCell << BaseCellOffset);

    // base cells 4, 14, 24, 38, 49, 58, 63, 72, 83, 97, 107, 117 (checked against H3Tables.BaseCellData by the tests)
    private const ulong PentagonsLow = (1UL << 4) | (1UL << 14) | (1UL << 24) | (1UL << 38) | (1UL << 49) | (1UL << 58) | (1UL << 63);
    private const ulong PentagonsHigh = (1UL << (72 - 64)) | (1UL << (83 - 64)) | (1UL << (97 - 64)) | (1UL << (107 - 64)) | (1UL << (117 - 64));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsBaseCellPentagon(int baseCell) =>
        (uint)baseCell < 64 ? ((PentagonsLow >> baseCell) & 1) != 0 : (uint)baseCell < 128 && ((PentagonsHigh >> (baseCell - 64)) & 1) != 0;

    public static bool IsBaseCellPolarPentagon(int baseCell) => baseCell is 4 or 117;

    public static int BaseCellHomeFace(int baseCell) => H3Tables.BaseCellData[baseCell * 7];

    public static bool BaseCellIsCwOffset(int baseCell, int face)
    {
        var data = H3Tables.BaseCellData;
        return data[(baseCell * 7) + 5] == face || data[(baseCell * 7) + 6] == face;
    }

    /// <summary>Low bit of each of the 15 digit fields.</summary>
    private const ulong DigitLowBits = 0x49249249249UL;

    /// <summary>Mask of the digit fields 1..<paramref name="res"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong UsedDigitsMask(int res) => ((1UL << 45) - 1) & ~((1UL << (45 - (3 * res))) - 1);

    /// <summary>The first non-zero digit, or 0 (centre) if all digits are zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LeadingNonZeroDigit(ulong h)
    {
        var x = h & UsedDigitsMask(GetResolution(h));
        if (x == 0)
        {
            return 0;
        }

        // the highest set bit belongs to the first non-zero digit
        var bit = 63 - BitOperations.LeadingZeroCount(x);
        var shift = bit - (bit % 3);
        return (int)((h >> shift) & 7);
    }

    public static ulong Rotate60Ccw(ulong h)
    {
        var res = GetResolution(h);
        for (var r = 1; r <= res; r++)
        {
            h = SetDigit(h, r, Digit.Rotate60Ccw(GetDigit(h, r)));
        }

        return h;
    }

    public static ulong Rotate60Cw(ulong h)
    {
        var res = GetResolution(h);
        for (var r = 1; r <= res; r++)
        {
            h = SetDigit(h, r, Digit.Rotate60Cw(GetDigit(h, r)));
        }

        return h;
    }

    /// <summary>Rotates a pentagon-based index ccw, skipping the deleted K sub-sequence.</summary>
    public static ulong RotatePent60Ccw(ulong h)
    {
        var res = GetResolution(h);
        var foundFirstNonZero = false;
        for (var r = 1; r <= res; r++)
        {
            h = SetDigit(h, r, Digit.Rotate60Ccw(GetDigit(h, r)));
            if (!foundFirstNonZero && GetDigit(h, r) != 0)
            {
                foundFirstNonZero = true;
                if (LeadingNonZeroDigit(h) == Digit.K)
                {
                    h = Rotate60Ccw(h);
                }
            }
        }

        return h;
    }

    /// <summary>Rotates a pentagon-based index cw, skipping the deleted K sub-sequence.</summary>
    public static ulong RotatePent60Cw(ulong h)
    {
        var res = GetResolution(h);
        var foundFirstNonZero = false;
        for (var r = 1; r <= res; r++)
        {
            h = SetDigit(h, r, Digit.Rotate60Cw(GetDigit(h, r)));
            if (!foundFirstNonZero && GetDigit(h, r) != 0)
            {
                foundFirstNonZero = true;
                if (LeadingNonZeroDigit(h) == Digit.K)
                {
                    h = Rotate60Cw(h);
                }
            }
        }

        return h;
    }

    public static bool IsValidCell(ulong h)
    {
        if ((h >> 56) != (ModeCell << 3) || GetBaseCell(h) >= H3Math.NumBaseCells)
        {
            return false;
        }

        var res = GetResolution(h);
        var used = h & UsedDigitsMask(res);

        // no used digit may be 7
        if ((used & (used >> 1) & (used >> 2) & DigitLowBits) != 0)
        {
            return false;
        }

        // every unused digit must be 7
        var unused = (1UL << (45 - (3 * res))) - 1;
        if ((h & unused) != unused)
        {
            return false;
        }

        // a pentagon has no K sub-sequence
        return !IsBaseCellPentagon(GetBaseCell(h)) || LeadingNonZeroDigit(h) != Digit.K;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsPentagon(ulong h) =>
        IsBaseCellPentagon(GetBaseCell(h)) && (h & UsedDigitsMask(GetResolution(h))) == 0;
}
