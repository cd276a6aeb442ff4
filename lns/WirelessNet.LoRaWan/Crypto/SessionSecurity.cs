using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Crypto;

/// <summary>
/// The security context of one device session: its session keys with their AES schedules expanded once, and the
/// MIC, encryption and encoding rules of its LoRaWAN version. Build one per session and keep it with the session;
/// it is immutable and thread-safe.
/// </summary>
public sealed class SessionSecurity : IDisposable
{
    private SessionSecurity(bool isLoRaWan11, ExpandedAesKey fNwkSInt, ExpandedAesKey sNwkSInt, ExpandedAesKey nwkSEnc, ExpandedAesKey appS)
    {
        IsLoRaWan11 = isLoRaWan11;
        FNwkSIntKey = fNwkSInt;
        SNwkSIntKey = sNwkSInt;
        NwkSEncKey = nwkSEnc;
        AppSKey = appS;
    }

    /// <summary>A LoRaWAN 1.0.x session: NwkSKey plays the three network-key roles.</summary>
    public static SessionSecurity ForLoRaWan10(AesKey nwkSKey, AesKey appSKey)
    {
        var nwk = new ExpandedAesKey(nwkSKey);
        return new SessionSecurity(false, nwk, nwk, nwk, new ExpandedAesKey(appSKey));
    }

    public static SessionSecurity ForLoRaWan10(SessionKeys10 keys) => ForLoRaWan10(keys.NwkSKey, keys.AppSKey);

    public static SessionSecurity ForLoRaWan11(AesKey fNwkSIntKey, AesKey sNwkSIntKey, AesKey nwkSEncKey, AesKey appSKey) =>
        new(true, new ExpandedAesKey(fNwkSIntKey), new ExpandedAesKey(sNwkSIntKey), new ExpandedAesKey(nwkSEncKey), new ExpandedAesKey(appSKey));

    public static SessionSecurity ForLoRaWan11(SessionKeys11 keys) =>
        ForLoRaWan11(keys.FNwkSIntKey, keys.SNwkSIntKey, keys.NwkSEncKey, keys.AppSKey);

    public bool IsLoRaWan11 { get; }

    /// <summary>FNwkSIntKey (1.1) or NwkSKey (1.0).</summary>
    public ExpandedAesKey FNwkSIntKey { get; }

    /// <summary>SNwkSIntKey (1.1) or NwkSKey (1.0).</summary>
    public ExpandedAesKey SNwkSIntKey { get; }

    /// <summary>NwkSEncKey (1.1) or NwkSKey (1.0).</summary>
    public ExpandedAesKey NwkSEncKey { get; }

    public ExpandedAesKey AppSKey { get; }

    /// <summary>
    /// The MIC an uplink should carry for the full 32-bit counter <paramref name="fCnt"/>. The 1.1-only inputs
    /// (ConfFCnt: the counter of the acknowledged downlink when ACK is set, TxDr, TxCh) are ignored for 1.0.
    /// </summary>
    public Mic ComputeUplinkMic(ReadOnlySpan<byte> micInput, DevAddr devAddr, uint fCnt, ushort confFCnt = 0, byte txDr = 0, byte txCh = 0) =>
        IsLoRaWan11
            ? FrameCrypto.ComputeUplinkMic11(FNwkSIntKey, SNwkSIntKey, confFCnt, txDr, txCh, devAddr, fCnt, micInput)
            : FrameCrypto.ComputeDataMic10(FNwkSIntKey, uplink: true, devAddr, fCnt, micInput);

    /// <summary>The MIC a downlink should carry (ConfFCnt is the acknowledged uplink's counter, 1.1 only).</summary>
    public Mic ComputeDownlinkMic(ReadOnlySpan<byte> micInput, DevAddr devAddr, uint fCnt, ushort confFCnt = 0) =>
        IsLoRaWan11
            ? FrameCrypto.ComputeDownlinkMic11(SNwkSIntKey, confFCnt, devAddr, fCnt, micInput)
            : FrameCrypto.ComputeDataMic10(SNwkSIntKey, uplink: false, devAddr, fCnt, micInput);

    /// <summary>True when <paramref name="frame"/>'s MIC is right for the full counter <paramref name="fCnt"/>.</summary>
    public bool VerifyMic(in DataFrame frame, uint fCnt, ushort confFCnt = 0, byte txDr = 0, byte txCh = 0)
    {
        var expected = frame.IsUplink
            ? ComputeUplinkMic(frame.MicInput, frame.DevAddr, fCnt, confFCnt, txDr, txCh)
            : ComputeDownlinkMic(frame.MicInput, frame.DevAddr, fCnt, confFCnt);
        return expected == frame.Mic;
    }

    /// <summary>
    /// Decrypts the FRMPayload into <paramref name="destination"/> (at least <c>frame.FrmPayload.Length</c> bytes) and
    /// returns the number of bytes written. FPort 0 uses the network key, other ports the AppSKey.
    /// </summary>
    public int DecryptFrmPayload(in DataFrame frame, uint fCnt, Span<byte> destination)
    {
        var payload = frame.FrmPayload;
        FrameCrypto.CryptFrmPayload(frame.FPort == 0 ? NwkSEncKey : AppSKey, frame.IsUplink, frame.DevAddr, fCnt, payload, destination);
        return payload.Length;
    }

    /// <summary>Decrypts the FOpts (1.1) or copies them (1.0, where they travel in clear); returns the length.</summary>
    public int DecryptFOpts(in DataFrame frame, uint fCnt, Span<byte> destination)
    {
        var fOpts = frame.FOpts;
        if (IsLoRaWan11)
        {
            FrameCrypto.CryptFOpts11(NwkSEncKey, frame.IsUplink, aFCntDown: !frame.IsUplink && frame.FPort > 0, frame.DevAddr, fCnt, fOpts, destination);
        }
        else
        {
            fOpts.CopyTo(destination);
        }

        return fOpts.Length;
    }

    /// <summary>
    /// Encodes a complete data frame: FOpts encrypted (1.1), FRMPayload encrypted, MIC appended. Plaintext in,
    /// wire bytes out. Returns the frame length.
    /// </summary>
    public int EncodeDataFrame(
        Span<byte> destination,
        MType mType,
        DevAddr devAddr,
        FCtrl fCtrl,
        uint fCnt,
        ReadOnlySpan<byte> fOpts,
        int fPort,
        ReadOnlySpan<byte> payload,
        ushort confFCnt = 0,
        byte txDr = 0,
        byte txCh = 0)
    {
        var uplink = mType is MType.UnconfirmedDataUp or MType.ConfirmedDataUp;
        Span<byte> encFOpts = stackalloc byte[15];
        if (fOpts.Length > 15)
        {
            throw new ArgumentException("FOpts are at most 15 bytes.", nameof(fOpts));
        }

        encFOpts = encFOpts[..fOpts.Length];
        if (IsLoRaWan11)
        {
            FrameCrypto.CryptFOpts11(NwkSEncKey, uplink, aFCntDown: !uplink && fPort > 0, devAddr, fCnt, fOpts, encFOpts);
        }
        else
        {
            fOpts.CopyTo(encFOpts);
        }

        var length = DataFrameWriter.Write(destination, mType, devAddr, fCtrl, (ushort)fCnt, encFOpts, fPort, payload, default);
        if (fPort >= 0 && !payload.IsEmpty)
        {
            var payloadOffset = 9 + fOpts.Length;
            var region = destination.Slice(payloadOffset, payload.Length);
            FrameCrypto.CryptFrmPayload(fPort == 0 ? NwkSEncKey : AppSKey, uplink, devAddr, fCnt, region, region);
        }

        var micInput = destination[..(length - Mic.Size)];
        var mic = uplink
            ? ComputeUplinkMic(micInput, devAddr, fCnt, confFCnt, txDr, txCh)
            : ComputeDownlinkMic(micInput, devAddr, fCnt, confFCnt);
        mic.Write(destination[(length - Mic.Size)..]);
        return length;
    }

    public void Dispose()
    {
        FNwkSIntKey.Dispose();
        SNwkSIntKey.Dispose();
        NwkSEncKey.Dispose();
        AppSKey.Dispose();
    }
}
