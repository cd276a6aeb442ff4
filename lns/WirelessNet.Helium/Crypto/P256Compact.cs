using System.Numerics;

namespace WirelessNet.Helium.Crypto;

/// <summary>
/// The "compact" P-256 representation helium-crypto uses for ecc_compact keys (draft-jivsov-ecc-compact):
/// a public key travels as its X coordinate alone, and of the two points with that X the key is the one whose
/// Y is min(y, p − y) as an unsigned integer. Keys whose Y is the larger root are not representable, which is
/// why generation retries until the key is compact (helium-crypto <c>Keypair::generate</c>, RustCrypto
/// <c>AffinePoint::to_compact</c> / <c>DecompactPoint</c>).
/// </summary>
internal static class P256Compact
{
    public const int CoordinateLength = 32;

    private static readonly BigInteger Prime = Parse("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
    private static readonly BigInteger Order = Parse("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    private static readonly BigInteger CurveB = Parse("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");

    // p ≡ 3 (mod 4), so a square root of a quadratic residue r is r^((p + 1) / 4).
    private static readonly BigInteger SqrtExponent = (Prime + 1) / 4;

    /// <summary>
    /// Recovers the compact point's Y for <paramref name="x"/>; false when X is not a field element or no point has it.
    /// </summary>
    public static bool TryDecompact(ReadOnlySpan<byte> x, Span<byte> y)
    {
        if (x.Length != CoordinateLength || y.Length != CoordinateLength)
        {
            return false;
        }

        var xValue = new BigInteger(x, isUnsigned: true, isBigEndian: true);
        if (xValue >= Prime)
        {
            return false;
        }

        // y² = x³ − 3x + b (mod p)
        var rhs = ((BigInteger.ModPow(xValue, 3, Prime) - (3 * xValue) + CurveB) % Prime + Prime) % Prime;
        var root = BigInteger.ModPow(rhs, SqrtExponent, Prime);
        if (BigInteger.ModPow(root, 2, Prime) != rhs)
        {
            return false;
        }

        var other = (Prime - root) % Prime;
        var compactY = root <= other ? root : other;
        y.Clear();
        var written = compactY.GetByteCount(isUnsigned: true);
        return compactY.TryWriteBytes(y[(CoordinateLength - written)..], out _, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>True when <paramref name="y"/> is the smaller of the two roots, i.e. the point has a compact form.</summary>
    public static bool IsCompact(ReadOnlySpan<byte> y)
    {
        var yValue = new BigInteger(y, isUnsigned: true, isBigEndian: true);
        return yValue <= Prime - yValue;
    }

    /// <summary>True when <paramref name="scalar"/> is a usable private key: 1 ≤ d &lt; n.</summary>
    public static bool IsValidPrivateScalar(ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != CoordinateLength)
        {
            return false;
        }

        var value = new BigInteger(scalar, isUnsigned: true, isBigEndian: true);
        return !value.IsZero && value < Order;
    }

    private static BigInteger Parse(string hex) => new(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);
}
