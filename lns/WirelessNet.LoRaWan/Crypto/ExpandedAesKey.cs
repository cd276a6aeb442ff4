using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using WirelessNet.LoRaWan.Primitives;
using AesNi = System.Runtime.Intrinsics.X86.Aes;

namespace WirelessNet.LoRaWan.Crypto;

/// <summary>
/// An AES-128 key with its key schedule and AES-CMAC subkeys computed once, so that per-frame work is only
/// the block operations themselves.
/// </summary>
/// <remarks>
/// Calling .NET's one-shot <c>Aes.EncryptEcb</c> per 16-byte block costs close to a microsecond on Linux
/// (a native cipher context per call), which alone would exceed the per-frame budget. On x86 with AES-NI the
/// rounds run inline on the cached schedule; elsewhere a cached .NET <see cref="Aes"/> instance is used, and
/// the two paths are tested against each other. Instances are immutable and safe to share between threads.
/// </remarks>
public sealed class ExpandedAesKey : IDisposable
{
    private readonly RoundKeys _roundKeys;
    private readonly Aes? _portable;
    private readonly Lock? _portableLock;

    public ExpandedAesKey(AesKey key)
        : this(key, AesNi.IsSupported)
    {
    }

    internal ExpandedAesKey(AesKey key, bool useAesNi)
    {
        Key = key;
        UsesAesNi = useAesNi && AesNi.IsSupported;
        if (UsesAesNi)
        {
            Span<byte> k = stackalloc byte[AesKey.Size];
            key.CopyTo(k);
            Span<byte> schedule = stackalloc byte[176];
            AesKeySchedule.Expand(k, schedule);
            for (var i = 0; i < 11; i++)
            {
                _roundKeys[i] = Vector128.Create<byte>(schedule.Slice(16 * i, 16));
            }

            CryptographicOperations.ZeroMemory(schedule);
            CryptographicOperations.ZeroMemory(k);
        }
        else
        {
            _portable = Aes.Create();
            _portable.Key = key.ToArray();
            _portableLock = new Lock();
        }

        // CMAC subkeys (RFC 4493 §2.3): L = AES(K, 0^128), K1 = L·x, K2 = K1·x in GF(2^128).
        var l = EncryptBlock(Vector128<byte>.Zero);
        K1 = DoubleInGf128(l);
        K2 = DoubleInGf128(K1);
    }

    /// <summary>The key this schedule was expanded from.</summary>
    public AesKey Key { get; }

    internal bool UsesAesNi { get; }

    internal Vector128<byte> K1 { get; }

    internal Vector128<byte> K2 { get; }

    /// <summary>AES-128 encryption of one block.</summary>
    public void EncryptBlock(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length < 16 || output.Length < 16)
        {
            throw new ArgumentException("AES works on 16-byte blocks.");
        }

        EncryptBlock(Vector128.Create<byte>(input)).CopyTo(output);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Vector128<byte> EncryptBlock(Vector128<byte> block)
    {
        if (UsesAesNi)
        {
            ref readonly var rk = ref _roundKeys;
            var s = block ^ rk[0];
            s = AesNi.Encrypt(s, rk[1]);
            s = AesNi.Encrypt(s, rk[2]);
            s = AesNi.Encrypt(s, rk[3]);
            s = AesNi.Encrypt(s, rk[4]);
            s = AesNi.Encrypt(s, rk[5]);
            s = AesNi.Encrypt(s, rk[6]);
            s = AesNi.Encrypt(s, rk[7]);
            s = AesNi.Encrypt(s, rk[8]);
            s = AesNi.Encrypt(s, rk[9]);
            return AesNi.EncryptLast(s, rk[10]);
        }

        return EncryptPortable(block);
    }

    private Vector128<byte> EncryptPortable(Vector128<byte> block)
    {
        Span<byte> buffer = stackalloc byte[16];
        block.CopyTo(buffer);
        lock (_portableLock!)
        {
            _portable!.EncryptEcb(buffer, buffer, PaddingMode.None);
        }

        return Vector128.Create<byte>(buffer);
    }

    /// <summary>AES-128 decryption of whole blocks (used for Join-Accept "encryption"; not a hot path).</summary>
    public void DecryptBlocks(ReadOnlySpan<byte> input, Span<byte> output)
    {
        using var aes = Aes.Create();
        Span<byte> k = stackalloc byte[AesKey.Size];
        Key.CopyTo(k);
        aes.SetKey(k);
        CryptographicOperations.ZeroMemory(k);
        aes.DecryptEcb(input, output, PaddingMode.None);
    }

    private static Vector128<byte> DoubleInGf128(Vector128<byte> v)
    {
        Span<byte> b = stackalloc byte[16];
        v.CopyTo(b);
        var carry = b[0] >> 7;
        for (var i = 0; i < 15; i++)
        {
            b[i] = (byte)((b[i] << 1) | (b[i + 1] >> 7));
        }

        b[15] = (byte)((b[15] << 1) ^ (carry * 0x87));
        return Vector128.Create<byte>(b);
    }

    public void Dispose() => _portable?.Dispose();

    [InlineArray(11)]
    private struct RoundKeys
    {
        private Vector128<byte> _element;
    }
}
