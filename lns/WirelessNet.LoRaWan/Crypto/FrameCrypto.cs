using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Crypto;

/// <summary>
/// The LoRaWAN frame security primitives: data-frame MICs (1.0.x and 1.1), FRMPayload and FOpts encryption,
/// and the plain CMAC MICs of join, rejoin and join-accept messages.
/// </summary>
/// <remarks>
/// FOpts encryption follows the LoRaWAN 1.1 errata as ChirpStack implements it: the A block carries 0x01 in
/// byte 4 for FCntUp and NFCntDown and 0x02 for AFCntDown, and a block counter of 0x01 in byte 15. The
/// original 1.1 text left byte 4 zero; devices in the field follow the errata.
/// </remarks>
public static class FrameCrypto
{
    /// <summary>MIC of a LoRaWAN 1.0.x data frame: CMAC(NwkSKey, B0 ‖ msg)[0..4].</summary>
    public static Mic ComputeDataMic10(ExpandedAesKey nwkSKey, bool uplink, DevAddr devAddr, uint fCnt, ReadOnlySpan<byte> message)
    {
        var b0 = B0(0, 0, 0, uplink, devAddr, fCnt, message.Length);
        return FirstFour(AesCmac.ComputeWithBlockPrefix(nwkSKey, b0, message));
    }

    /// <summary>
    /// MIC of a LoRaWAN 1.1 uplink: cmacS[0..2] ‖ cmacF[0..2], where cmacF uses B0 with FNwkSIntKey and cmacS uses
    /// B1 (ConfFCnt, TxDr, TxCh) with SNwkSIntKey.
    /// </summary>
    public static Mic ComputeUplinkMic11(
        ExpandedAesKey fNwkSIntKey,
        ExpandedAesKey sNwkSIntKey,
        ushort confFCnt,
        byte txDr,
        byte txCh,
        DevAddr devAddr,
        uint fCnt,
        ReadOnlySpan<byte> message)
    {
        var (cmacF, cmacS) = AesCmac.ComputePairWithBlockPrefix(
            fNwkSIntKey,
            B0(0, 0, 0, uplink: true, devAddr, fCnt, message.Length),
            sNwkSIntKey,
            B0(confFCnt, txDr, txCh, uplink: true, devAddr, fCnt, message.Length),
            message);
        var wire = (uint)cmacS.AsUInt16().ToScalar() | ((uint)cmacF.AsUInt16().ToScalar() << 16);
        return Mic.FromWireValue(wire);
    }

    /// <summary>
    /// The 2-byte "MIC-F" half of a 1.1 uplink MIC: what a device that is not yet known to be 1.1-capable
    /// still lets the network check with FNwkSIntKey alone.
    /// </summary>
    public static Mic ComputeUplinkMic11(ExpandedAesKey fNwkSIntKey, ExpandedAesKey sNwkSIntKey, DevAddr devAddr, uint fCnt, ReadOnlySpan<byte> message) =>
        ComputeUplinkMic11(fNwkSIntKey, sNwkSIntKey, 0, 0, 0, devAddr, fCnt, message);

    /// <summary>MIC of a LoRaWAN 1.1 downlink: CMAC(SNwkSIntKey, B0 with ConfFCnt ‖ msg)[0..4].</summary>
    public static Mic ComputeDownlinkMic11(ExpandedAesKey sNwkSIntKey, ushort confFCnt, DevAddr devAddr, uint fCnt, ReadOnlySpan<byte> message)
    {
        var b0 = B0(confFCnt, 0, 0, uplink: false, devAddr, fCnt, message.Length);
        return FirstFour(AesCmac.ComputeWithBlockPrefix(sNwkSIntKey, b0, message));
    }

    /// <summary>MIC of a message without a B0 block: Join-Request, Rejoin-Request, Join-Accept (1.0).</summary>
    public static Mic ComputeMic(ExpandedAesKey key, ReadOnlySpan<byte> message) =>
        FirstFour(AesCmac.ComputeBlock(key, [], message));

    /// <summary>
    /// Encrypts or decrypts (the same XOR operation) an FRMPayload with AppSKey (FPort &gt; 0) or
    /// NwkSKey/NwkSEncKey (FPort 0). <paramref name="source"/> and <paramref name="destination"/> may overlap exactly.
    /// </summary>
    public static void CryptFrmPayload(ExpandedAesKey key, bool uplink, DevAddr devAddr, uint fCnt, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination is shorter than the payload.", nameof(destination));
        }

        // A_i = 0x01 ‖ 0x00×4 ‖ Dir ‖ DevAddr ‖ FCnt ‖ 0x00 ‖ i, assembled as two little-endian words.
        var lo = 0x01UL | ((uplink ? 0UL : 1UL) << 40) | ((ulong)(devAddr.Value & 0xFFFF) << 48);
        var hiBase = (devAddr.Value >> 16) | ((ulong)fCnt << 16);
        var offset = 0;
        var i = 1UL;
        while (source.Length - offset >= 32)
        {
            // Two independent blocks per step keep the AES unit busy.
            var k1 = key.EncryptBlock(Vector128.Create(lo, hiBase | (i << 56)).AsByte());
            var k2 = key.EncryptBlock(Vector128.Create(lo, hiBase | ((i + 1) << 56)).AsByte());
            (Vector128.Create<byte>(source[offset..]) ^ k1).CopyTo(destination[offset..]);
            (Vector128.Create<byte>(source[(offset + 16)..]) ^ k2).CopyTo(destination[(offset + 16)..]);
            offset += 32;
            i += 2;
        }

        while (offset < source.Length)
        {
            var keystream = key.EncryptBlock(Vector128.Create(lo, hiBase | (i << 56)).AsByte());
            var n = source.Length - offset;
            if (n >= 16)
            {
                (Vector128.Create<byte>(source[offset..]) ^ keystream).CopyTo(destination[offset..]);
            }
            else
            {
                var block = Vector128<byte>.Zero;
                var bytes = MemoryMarshal.CreateSpan(ref Unsafe.As<Vector128<byte>, byte>(ref block), 16);
                source[offset..].CopyTo(bytes);
                block ^= keystream;
                bytes[..n].CopyTo(destination[offset..]);
            }

            offset += 16;
            i++;
        }
    }

    /// <summary>
    /// Encrypts or decrypts LoRaWAN 1.1 FOpts with NwkSEncKey (errata variant, see the type remarks).
    /// <paramref name="aFCntDown"/> is true for a downlink whose FCnt is the application counter (FPort &gt; 0).
    /// </summary>
    public static void CryptFOpts11(ExpandedAesKey nwkSEncKey, bool uplink, bool aFCntDown, DevAddr devAddr, uint fCnt, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length > 15 || destination.Length < source.Length)
        {
            throw new ArgumentException("FOpts are at most 15 bytes and the destination must hold them.", nameof(source));
        }

        Span<byte> a = stackalloc byte[16];
        a[0] = 0x01;
        a[1] = a[2] = a[3] = 0;
        a[4] = aFCntDown ? (byte)0x02 : (byte)0x01;
        a[5] = uplink ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteUInt32LittleEndian(a[6..], devAddr.Value);
        BinaryPrimitives.WriteUInt32LittleEndian(a[10..], fCnt);
        a[14] = 0;
        a[15] = 0x01;
        Span<byte> s = stackalloc byte[16];
        nwkSEncKey.EncryptBlock(Vector128.Create<byte>(a)).CopyTo(s);
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = (byte)(source[i] ^ s[i]);
        }
    }

    /// <summary>B0/B1 = 0x49 ‖ ConfFCnt(2) ‖ TxDr ‖ TxCh ‖ Dir ‖ DevAddr(4) ‖ FCnt(4) ‖ 0x00 ‖ len, as two little-endian words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> B0(ushort confFCnt, byte txDr, byte txCh, bool uplink, DevAddr devAddr, uint fCnt, int length)
    {
        var lo = 0x49UL | ((ulong)confFCnt << 8) | ((ulong)txDr << 24) | ((ulong)txCh << 32) | ((uplink ? 0UL : 1UL) << 40)
            | ((ulong)(devAddr.Value & 0xFFFF) << 48);
        var hi = (devAddr.Value >> 16) | ((ulong)fCnt << 16) | ((ulong)(byte)length << 56);
        return Vector128.Create(lo, hi).AsByte();
    }

    private static Mic FirstFour(Vector128<byte> cmac) => Mic.FromWireValue(cmac.AsUInt32().ToScalar());
}
