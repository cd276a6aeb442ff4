using System.Runtime.CompilerServices;

namespace WirelessNet.Coverage.H3;

/// <summary>H3 cell digits / unit directions in IJK space.</summary>
internal static class Digit
{
    public const int Center = 0;
    public const int K = 1;
    public const int J = 2;
    public const int JK = 3;
    public const int I = 4;
    public const int IK = 5;
    public const int IJ = 6;
    public const int Invalid = 7;

    // ccw: K->IK->I->IJ->J->JK->K ; cw is the inverse.
    private static ReadOnlySpan<byte> Ccw => [0, 5, 3, 1, 6, 4, 2, 7];

    private static ReadOnlySpan<byte> Cw => [0, 3, 6, 2, 5, 1, 4, 7];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Rotate60Ccw(int digit) => Ccw[digit];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Rotate60Cw(int digit) => Cw[digit];
}

/// <summary>
/// Hexagonal i, j, k coordinates (three axes 120° apart, at most two non-zero when normalized).
/// A small mutable value type used only inside the H3 implementation.
/// </summary>
internal struct CoordIjk
{
    public int I;
    public int J;
    public int K;

    public CoordIjk(int i, int j, int k)
    {
        I = i;
        J = j;
        K = k;
    }

    public readonly bool IsZero => (I | J | K) == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Normalize()
    {
        if (I < 0)
        {
            J -= I;
            K -= I;
            I = 0;
        }

        if (J < 0)
        {
            I -= J;
            K -= J;
            J = 0;
        }

        if (K < 0)
        {
            I -= K;
            J -= K;
            K = 0;
        }

        var min = I;
        if (J < min)
        {
            min = J;
        }

        if (K < min)
        {
            min = K;
        }

        if (min > 0)
        {
            I -= min;
            J -= min;
            K -= min;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Combine(int ii, int ij, int ik, int ji, int jj, int jk, int ki, int kj, int kk)
    {
        // result = I * iVec + J * jVec + K * kVec
        var i = (I * ii) + (J * ji) + (K * ki);
        var j = (I * ij) + (J * jj) + (K * kj);
        var k = (I * ik) + (J * jk) + (K * kk);
        I = i;
        J = j;
        K = k;
        Normalize();
    }

    /// <summary>Child centre of an aperture-7 counter-clockwise (Class III) step.</summary>
    public void DownAp7() => Combine(3, 0, 1, 1, 3, 0, 0, 1, 3);

    /// <summary>Child centre of an aperture-7 clockwise (Class II) step.</summary>
    public void DownAp7R() => Combine(3, 1, 0, 0, 3, 1, 1, 0, 3);

    public void DownAp3() => Combine(2, 0, 1, 1, 2, 0, 0, 1, 2);

    public void DownAp3R() => Combine(2, 1, 0, 0, 2, 1, 1, 0, 2);

    public void Rotate60Ccw() => Combine(1, 1, 0, 0, 1, 1, 1, 0, 1);

    public void Rotate60Cw() => Combine(1, 0, 1, 1, 1, 0, 0, 1, 1);

    /// <summary>Parent centre, aperture-7 counter-clockwise.</summary>
    public void UpAp7()
    {
        var i = I - K;
        var j = J - K;
        I = DivRound7((3 * i) - j);
        J = DivRound7(i + (2 * j));
        K = 0;
        Normalize();
    }

    /// <summary>Parent centre, aperture-7 clockwise.</summary>
    public void UpAp7R()
    {
        var i = I - K;
        var j = J - K;
        I = DivRound7((2 * i) + j);
        J = DivRound7((3 * j) - i);
        K = 0;
        Normalize();
    }

    /// <summary>n / 7 rounded to the nearest integer (never a tie, as 7 is odd), i.e. lround(n / 7.0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DivRound7(int n) => n >= 0 ? (n + 3) / 7 : -((3 - n) / 7);

    /// <summary>Moves one step in the given digit direction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Neighbor(int digit)
    {
        if (digit is > Digit.Center and < Digit.Invalid)
        {
            // unit vectors: bit 2 = i, bit 1 = j, bit 0 = k
            I += (digit >> 2) & 1;
            J += (digit >> 1) & 1;
            K += digit & 1;
            Normalize();
        }
    }

    /// <summary>The digit of a normalized unit vector, or <see cref="Digit.Invalid"/>.</summary>
    public readonly int ToDigit()
    {
        var c = this;
        c.Normalize();
        if ((uint)c.I > 1 || (uint)c.J > 1 || (uint)c.K > 1)
        {
            return Digit.Invalid;
        }

        var d = (c.I << 2) | (c.J << 1) | c.K;
        return d == 7 ? Digit.Invalid : d;
    }

    public void Add(CoordIjk other)
    {
        I += other.I;
        J += other.J;
        K += other.K;
    }

    public void Scale(int factor)
    {
        I *= factor;
        J *= factor;
        K *= factor;
    }

    /// <summary>Grid distance between two normalized coordinates.</summary>
    public static int Distance(CoordIjk a, CoordIjk b)
    {
        var d = new CoordIjk(a.I - b.I, a.J - b.J, a.K - b.K);
        d.Normalize();
        return Math.Max(Math.Abs(d.I), Math.Max(Math.Abs(d.J), Math.Abs(d.K)));
    }

    /// <summary>Planar hex2d position (x, y) of these coordinates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void ToHex2d(out double x, out double y)
    {
        var i = I - K;
        double j = J - K;
        x = i - (j * 0.5);
        y = j * H3Math.Sqrt3Over2;
    }

    /// <summary>The containing hex of a planar hex2d position (x, y).</summary>
    public static CoordIjk FromHex2d(double x, double y)
    {
        var a1 = Math.Abs(x);
        var a2 = Math.Abs(y);
        var x2 = a2 * H3Math.InvSin60;
        var x1 = a1 + (x2 * 0.5);
        var m1 = (int)x1;
        var m2 = (int)x2;
        var r1 = x1 - m1;
        var r2 = x2 - m2;
        int i, j;
        if (r1 < 0.5)
        {
            if (r1 < H3Math.OneThird)
            {
                i = m1;
                j = r2 < (1.0 + r1) * 0.5 ? m2 : m2 + 1;
            }
            else
            {
                var t = 1.0 - r1;
                j = r2 < t ? m2 : m2 + 1;
                i = t <= r2 && r2 < 2.0 * r1 ? m1 + 1 : m1;
            }
        }
        else if (r1 < H3Math.TwoThirds)
        {
            j = r2 < 1.0 - r1 ? m2 : m2 + 1;
            i = (2.0 * r1) - 1.0 < r2 && r2 < 1.0 - r1 ? m1 : m1 + 1;
        }
        else
        {
            i = m1 + 1;
            j = r2 < r1 * 0.5 ? m2 : m2 + 1;
        }

        // fold across the axes where needed
        if (x < 0.0)
        {
            if ((j & 1) == 0)
            {
                long diff = i - (j / 2);
                i = (int)(i - (diff * 2.0));
            }
            else
            {
                long diff = i - ((j + 1) / 2);
                i = (int)(i - ((diff * 2.0) + 1.0));
            }
        }

        if (y < 0.0)
        {
            i -= ((2 * j) + 1) / 2;
            j = -j;
        }

        var c = new CoordIjk(i, j, 0);
        c.Normalize();
        return c;
    }
}
