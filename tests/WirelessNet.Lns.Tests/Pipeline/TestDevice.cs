using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Tests.Pipeline;

/// <summary>The device side of LoRaWAN 1.0.x / 1.1, built from the protocol core: joins, sends, verifies downlinks.</summary>
internal sealed class TestDevice
{
    private readonly Random _random;
    private SessionSecurity? _session;

    public TestDevice(int seed)
    {
        _random = new Random(seed);
        DevEui = new Eui64((ulong)_random.NextInt64());
        JoinEui = Eui64.Parse("70b3d57ed0000001");
        AppKey = RandomKey();
        NwkKey = RandomKey();
    }

    public Eui64 DevEui { get; }

    public Eui64 JoinEui { get; }

    public AesKey AppKey { get; }

    public AesKey NwkKey { get; }

    public ushort DevNonce { get; private set; } = 100;

    public DevAddr DevAddr { get; private set; }

    public uint FCntUp { get; set; }

    public bool Is11 { get; init; }

    public byte[] JoinRequest(ushort? devNonce = null)
    {
        DevNonce = devNonce ?? (ushort)(DevNonce + 1);
        using var key = new ExpandedAesKey(Is11 ? NwkKey : AppKey);
        var frame = new JoinRequestFrame(JoinEui, DevEui, DevNonce, default);
        frame = frame with { Mic = JoinCrypto.ComputeJoinRequestMic(key, frame) };
        var bytes = new byte[JoinRequestFrame.Length];
        frame.Write(bytes);
        return bytes;
    }

    /// <summary>Decrypts and checks the Join-Accept, derives the session. False if the MIC is wrong.</summary>
    public bool AcceptJoin(byte[] onAir)
    {
        using var key = new ExpandedAesKey(Is11 ? NwkKey : AppKey);
        var plain = new byte[onAir.Length];
        JoinAcceptFrame.Decrypt(key, onAir, plain);
        if (JoinAcceptFrame.TryDecodePlaintext(plain, out var accept) != FrameError.None)
        {
            return false;
        }

        if (Is11)
        {
            using var jsInt = new ExpandedAesKey(SessionKeyDerivation.DeriveJSIntKey(NwkKey, DevEui));
            if (accept.WithMic11(jsInt, JoinAcceptFrame.JoinReqTypeJoinRequest, JoinEui, DevNonce).Mic != accept.Mic)
            {
                return false;
            }

            _session = SessionSecurity.ForLoRaWan11(SessionKeyDerivation.Derive11(NwkKey, AppKey, accept.JoinNonce, JoinEui, DevNonce));
        }
        else
        {
            if (accept.WithMic10(key).Mic != accept.Mic)
            {
                return false;
            }

            _session = SessionSecurity.ForLoRaWan10(SessionKeyDerivation.Derive10(AppKey, accept.JoinNonce, accept.NetId, DevNonce));
        }

        DevAddr = accept.DevAddr;
        FCntUp = 0;
        return true;
    }

    /// <summary>A data uplink; txDr/txCh enter the 1.1 MIC and must match how it is sent (DR5 on 868.3 MHz = EU868 channel 1 by default).</summary>
    public byte[] DataUplink(byte[] payload, int fPort = 10, bool confirmed = false, byte[]? fOpts = null, bool ack = false, byte txDr = 5, byte txCh = 1)
    {
        var buffer = new byte[PhyPayload.MaxLength];
        var n = _session!.EncodeDataFrame(
            buffer,
            confirmed ? MType.ConfirmedDataUp : MType.UnconfirmedDataUp,
            DevAddr,
            FCtrl.Create(adr: false, ack: ack),
            FCntUp,
            fOpts ?? [],
            fPort,
            payload,
            0,
            txDr,
            txCh);
        FCntUp++;
        return buffer[..n];
    }

    /// <summary>Checks a downlink's MIC with the given counter and returns its decrypted payload, or null.</summary>
    public (DataFrameInfo Frame, byte[] Payload)? ReadDownlink(byte[] phyPayload, uint fCntDown, ushort confFCnt = 0)
    {
        if (DataFrame.TryDecode(phyPayload, out var frame) != FrameError.None || frame.IsUplink || frame.DevAddr != DevAddr)
        {
            return null;
        }

        if (!_session!.VerifyMic(frame, fCntDown, confFCnt))
        {
            return null;
        }

        var payload = new byte[frame.FrmPayload.Length];
        _session.DecryptFrmPayload(frame, fCntDown, payload);
        return (new DataFrameInfo(frame.MType, frame.FCtrl, frame.FCnt, frame.FPort), payload);
    }

    private AesKey RandomKey()
    {
        var b = new byte[16];
        _random.NextBytes(b);
        return new AesKey(b);
    }
}

internal readonly record struct DataFrameInfo(MType MType, FCtrl FCtrl, ushort FCnt, int FPort);
