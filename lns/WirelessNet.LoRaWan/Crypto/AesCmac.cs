using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace WirelessNet.LoRaWan.Crypto;

/// <summary>
/// AES-CMAC (RFC 4493) over a message given as up to two segments, so that LoRaWAN's B0/B1 block can be
/// prepended without copying the frame.
/// </summary>
public static class AesCmac
{
    /// <summary>Full 16-byte CMAC of <paramref name="prefix"/> ‖ <paramref name="message"/>.</summary>
    public static void Compute(ExpandedAesKey key, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> message, Span<byte> tag)
    {
        if (tag.Length < 16)
        {
            throw new ArgumentException("A CMAC tag is 16 bytes.", nameof(tag));
        }

        ComputeBlock(key, prefix, message).CopyTo(tag);
    }

    /// <summary>Full 16-byte CMAC of <paramref name="message"/>.</summary>
    public static void Compute(ExpandedAesKey key, ReadOnlySpan<byte> message, Span<byte> tag) =>
        Compute(key, [], message, tag);

    internal static Vector128<byte> ComputeBlock(ExpandedAesKey key, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> message)
    {
        var state = Vector128<byte>.Zero;
        Block pending = default;
        var pendingLength = 0;
        Absorb(key, ref state, ref pending, ref pendingLength, prefix);
        Absorb(key, ref state, ref pending, ref pendingLength, message);

        Span<byte> last = pending;
        Vector128<byte> final;
        if (pendingLength == 16)
        {
            final = Vector128.Create<byte>(last) ^ key.K1;
        }
        else
        {
            last[pendingLength] = 0x80;
            last[(pendingLength + 1)..].Clear();
            final = Vector128.Create<byte>(last) ^ key.K2;
        }

        return key.EncryptBlock(state ^ final);
    }

    /// <summary>
    /// CMAC of one full 16-byte block <paramref name="b0"/> followed by <paramref name="message"/>: the LoRaWAN data
    /// MIC shape, done without buffering.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<byte> ComputeWithBlockPrefix(ExpandedAesKey key, Vector128<byte> b0, ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty)
        {
            return key.EncryptBlock(b0 ^ key.K1);
        }

        var state = key.EncryptBlock(b0);
        while (message.Length > 16)
        {
            state = key.EncryptBlock(state ^ Vector128.Create<byte>(message));
            message = message[16..];
        }

        return key.EncryptBlock(state ^ LastBlock(key, message));
    }

    /// <summary>
    /// Two CMACs over the same message with different keys and first blocks (the two halves of a LoRaWAN 1.1
    /// uplink MIC), computed in lockstep so the two independent AES chains overlap in the pipeline.
    /// </summary>
    internal static (Vector128<byte> A, Vector128<byte> B) ComputePairWithBlockPrefix(
        ExpandedAesKey keyA,
        Vector128<byte> b0A,
        ExpandedAesKey keyB,
        Vector128<byte> b0B,
        ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty)
        {
            return (keyA.EncryptBlock(b0A ^ keyA.K1), keyB.EncryptBlock(b0B ^ keyB.K1));
        }

        var a = keyA.EncryptBlock(b0A);
        var b = keyB.EncryptBlock(b0B);
        while (message.Length > 16)
        {
            var m = Vector128.Create<byte>(message);
            a = keyA.EncryptBlock(a ^ m);
            b = keyB.EncryptBlock(b ^ m);
            message = message[16..];
        }

        var padded = PadLast(message);
        var full = message.Length == 16;
        return (
            keyA.EncryptBlock(a ^ padded ^ (full ? keyA.K1 : keyA.K2)),
            keyB.EncryptBlock(b ^ padded ^ (full ? keyB.K1 : keyB.K2)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> LastBlock(ExpandedAesKey key, ReadOnlySpan<byte> tail) =>
        tail.Length == 16 ? Vector128.Create<byte>(tail) ^ key.K1 : PadLast(tail) ^ key.K2;

    /// <summary>The final 1..16 bytes as a block, with the 10* padding when shorter than 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> PadLast(ReadOnlySpan<byte> tail)
    {
        if (tail.Length == 16)
        {
            return Vector128.Create<byte>(tail);
        }

        var block = Vector128<byte>.Zero;
        var bytes = MemoryMarshal.CreateSpan(ref Unsafe.As<Vector128<byte>, byte>(ref block), 16);
        tail.CopyTo(bytes);
        bytes[tail.Length] = 0x80;
        return block;
    }

    // Keeps the final block (complete or not) pending, because only the last block is masked with K1/K2.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Absorb(ExpandedAesKey key, ref Vector128<byte> state, ref Block pending, ref int pendingLength, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        Span<byte> buffer = pending;
        if (pendingLength > 0)
        {
            if (pendingLength == 16)
            {
                state = key.EncryptBlock(state ^ Vector128.Create<byte>(buffer));
                pendingLength = 0;
            }
            else
            {
                var n = Math.Min(16 - pendingLength, data.Length);
                data[..n].CopyTo(buffer[pendingLength..]);
                pendingLength += n;
                data = data[n..];
                if (data.IsEmpty)
                {
                    return;
                }

                state = key.EncryptBlock(state ^ Vector128.Create<byte>(buffer));
                pendingLength = 0;
            }
        }

        while (data.Length > 16)
        {
            state = key.EncryptBlock(state ^ Vector128.Create<byte>(data));
            data = data[16..];
        }

        data.CopyTo(buffer);
        pendingLength = data.Length;
    }

    [InlineArray(16)]
    private struct Block
    {
        private byte _element;
    }
}
