using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Frames;

/// <summary>
/// Join-Accept in its plaintext form: MHDR ‖ JoinNonce(3) ‖ NetID(3) ‖ DevAddr(4) ‖ DLSettings ‖ RxDelay ‖ [CFList(16)] ‖ MIC.
/// On air everything after the MHDR is "encrypted" with an AES decrypt operation (see <see cref="Encrypt"/>).
/// </summary>
public readonly record struct JoinAcceptFrame(
    uint JoinNonce,
    NetId NetId,
    DevAddr DevAddr,
    DlSettings DlSettings,
    byte RxDelay,
    CFList? CFList,
    Mic Mic)
{
    public const int LengthWithoutCFList = 17;
    public const int LengthWithCFList = 33;

    /// <summary>JoinReqType value of a Join-Accept answering a Join-Request (LoRaWAN 1.1 §6.2.3).</summary>
    public const byte JoinReqTypeJoinRequest = 0xFF;

    public int Length => CFList is null ? LengthWithoutCFList : LengthWithCFList;

    /// <summary>RX1 delay in seconds: a RxDelay of 0 means 1 s.</summary>
    public int Rx1DelaySeconds => (RxDelay & 0x0F) == 0 ? 1 : RxDelay & 0x0F;

    /// <summary>Decodes a plaintext (already decrypted) Join-Accept.</summary>
    public static FrameError TryDecodePlaintext(ReadOnlySpan<byte> plaintext, out JoinAcceptFrame frame)
    {
        frame = default;
        var error = PhyPayload.TryReadMhdr(plaintext, out var mhdr);
        if (error != FrameError.None)
        {
            return error;
        }

        if (mhdr.MType != MType.JoinAccept)
        {
            return FrameError.WrongMType;
        }

        if (plaintext.Length is not (LengthWithoutCFList or LengthWithCFList))
        {
            return FrameError.JoinAcceptLength;
        }

        CFList? cfList = plaintext.Length == LengthWithCFList ? new CFList(plaintext.Slice(13, Frames.CFList.Length)) : null;
        frame = new JoinAcceptFrame(
            (uint)(plaintext[1] | (plaintext[2] << 8) | (plaintext[3] << 16)),
            NetId.ReadLittleEndian(plaintext[4..]),
            DevAddr.ReadLittleEndian(plaintext[7..]),
            new DlSettings(plaintext[11]),
            plaintext[12],
            cfList,
            Mic.Read(plaintext[^Mic.Size..]));
        return FrameError.None;
    }

    /// <summary>Writes the plaintext form with this record's MIC; returns its length.</summary>
    public int WritePlaintext(Span<byte> destination)
    {
        if (JoinNonce > 0xFF_FFFF)
        {
            throw new InvalidOperationException("JoinNonce is 24 bits.");
        }

        var length = Length;
        if (destination.Length < length)
        {
            throw new ArgumentException($"This Join-Accept needs {length} bytes.", nameof(destination));
        }

        destination[0] = new Mhdr(MType.JoinAccept).Value;
        SessionKeyDerivation.WriteUInt24(destination[1..], JoinNonce);
        NetId.WriteLittleEndian(destination[4..]);
        DevAddr.WriteLittleEndian(destination[7..]);
        destination[11] = DlSettings.Value;
        destination[12] = RxDelay;
        CFList?.CopyTo(destination[13..]);
        Mic.Write(destination[(length - Mic.Size)..]);
        return length;
    }

    /// <summary>
    /// Returns this frame with the MIC computed for LoRaWAN 1.0 (and 1.1 with OptNeg unset):
    /// CMAC(AppKey or NwkKey, MHDR ‖ … ‖ CFList)[0..4].
    /// </summary>
    public JoinAcceptFrame WithMic10(ExpandedAesKey key)
    {
        Span<byte> b = stackalloc byte[LengthWithCFList];
        var n = WritePlaintext(b);
        return this with { Mic = FrameCrypto.ComputeMic(key, b[..(n - Mic.Size)]) };
    }

    /// <summary>
    /// Returns this frame with the LoRaWAN 1.1 (OptNeg) MIC: CMAC(JSIntKey, JoinReqType ‖ JoinEUI ‖ DevNonce ‖ MHDR ‖ … ‖ CFList)[0..4].
    /// </summary>
    public JoinAcceptFrame WithMic11(ExpandedAesKey jsIntKey, byte joinReqType, Eui64 joinEui, ushort devNonce)
    {
        Span<byte> b = stackalloc byte[11 + LengthWithCFList];
        b[0] = joinReqType;
        joinEui.WriteLittleEndian(b[1..]);
        b[9] = (byte)devNonce;
        b[10] = (byte)(devNonce >> 8);
        var n = WritePlaintext(b[11..]);
        return this with { Mic = FrameCrypto.ComputeMic(jsIntKey, b[..(11 + n - Mic.Size)]) };
    }

    /// <summary>
    /// Network side: turns a plaintext Join-Accept into its on-air form, AES-decrypting everything after the MHDR
    /// with the AppKey (1.0), NwkKey (1.1 answering a Join-Request) or JSEncKey (1.1 answering a Rejoin).
    /// </summary>
    public static void Encrypt(ExpandedAesKey key, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        CheckLength(plaintext.Length, destination.Length);
        destination[0] = plaintext[0];
        key.DecryptBlocks(plaintext[1..], destination[1..plaintext.Length]);
    }

    /// <summary>Device side: recovers the plaintext from the on-air form (AES-encrypt after the MHDR).</summary>
    public static void Decrypt(ExpandedAesKey key, ReadOnlySpan<byte> onAir, Span<byte> destination)
    {
        CheckLength(onAir.Length, destination.Length);
        destination[0] = onAir[0];
        for (var offset = 1; offset < onAir.Length; offset += 16)
        {
            key.EncryptBlock(onAir.Slice(offset, 16), destination.Slice(offset, 16));
        }
    }

    private static void CheckLength(int length, int destinationLength)
    {
        if (length is not (LengthWithoutCFList or LengthWithCFList))
        {
            throw new ArgumentException("A Join-Accept is 17 or 33 bytes.");
        }

        if (destinationLength < length)
        {
            throw new ArgumentException("The destination is too short for the Join-Accept.");
        }
    }
}
