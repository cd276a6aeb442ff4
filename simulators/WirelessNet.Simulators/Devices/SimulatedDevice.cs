using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Simulators.Devices;

/// <summary>What a simulated device makes of a downlink it received.</summary>
public sealed record DeviceDownlink(MType MType, bool Ack, int FPort, byte[] Payload, byte[] FOpts, uint FCnt);

/// <summary>
/// The device side of LoRaWAN 1.0.x and 1.1, built on the protocol core as a real end device would be: OTAA join
/// with increasing DevNonces, frame counters, MIC and encryption, confirmed uplinks, downlink verification with the
/// right counter. Not thread-safe: one device is driven by one caller.
/// </summary>
public sealed class SimulatedDevice
{
    private readonly Random _random;
    private SessionSecurity? _session;

    public SimulatedDevice(int seed, bool lorawan11 = false)
    {
        _random = new Random(seed);
        DevEui = new Eui64((ulong)_random.NextInt64(1, long.MaxValue));
        JoinEui = Eui64.Parse("70b3d57ed0000001");
        AppKey = RandomKey();
        NwkKey = RandomKey();
        IsLoRaWan11 = lorawan11;
        DevNonce = (ushort)_random.Next(0, 1000);
    }

    public Eui64 DevEui { get; }

    public Eui64 JoinEui { get; }

    public AesKey AppKey { get; }

    public AesKey NwkKey { get; }

    public bool IsLoRaWan11 { get; }

    public ushort DevNonce { get; private set; }

    public bool Joined => _session is not null;

    public DevAddr DevAddr { get; private set; }

    public uint FCntUp { get; private set; }

    /// <summary>Next expected network (or, in 1.0, the only) downlink counter.</summary>
    public uint NFCntDown { get; private set; }

    /// <summary>Next expected application downlink counter (1.1).</summary>
    public uint AFCntDown { get; private set; }

    /// <summary>The counter of the last confirmed downlink, acknowledged by the next uplink.</summary>
    public uint? PendingDownlinkAck { get; private set; }

    /// <param name="devNonce">Null: the next DevNonce, as a device does. A value replays that nonce (for tests of the network's replay protection).</param>
    public byte[] CreateJoinRequest(ushort? devNonce = null)
    {
        DevNonce = devNonce ?? (ushort)(DevNonce + 1);
        using var key = new ExpandedAesKey(IsLoRaWan11 ? NwkKey : AppKey);
        var frame = new JoinRequestFrame(JoinEui, DevEui, DevNonce, default);
        frame = frame with { Mic = JoinCrypto.ComputeJoinRequestMic(key, frame) };
        var bytes = new byte[JoinRequestFrame.Length];
        frame.Write(bytes);
        return bytes;
    }

    /// <summary>Processes a Join-Accept heard in a join window; false when it is not for this device (wrong MIC).</summary>
    public bool TryAcceptJoin(byte[] onAir)
    {
        if (onAir.Length is not (JoinAcceptFrame.LengthWithoutCFList or JoinAcceptFrame.LengthWithCFList) || new Mhdr(onAir[0]).MType != MType.JoinAccept)
        {
            return false;
        }

        using var key = new ExpandedAesKey(IsLoRaWan11 ? NwkKey : AppKey);
        var plain = new byte[onAir.Length];
        JoinAcceptFrame.Decrypt(key, onAir, plain);
        if (JoinAcceptFrame.TryDecodePlaintext(plain, out var accept) != FrameError.None)
        {
            return false;
        }

        if (IsLoRaWan11 && accept.DlSettings.OptNeg)
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

            _session = SessionSecurity.ForLoRaWan10(SessionKeyDerivation.Derive10(IsLoRaWan11 ? NwkKey : AppKey, accept.JoinNonce, accept.NetId, DevNonce));
        }

        DevAddr = accept.DevAddr;
        FCntUp = 0;
        NFCntDown = 0;
        AFCntDown = 0;
        PendingDownlinkAck = null;
        return true;
    }

    /// <summary>Activation by personalisation: the device starts with a session the network was given out of band.</summary>
    public void ActivateAbp(DevAddr devAddr, AesKey nwkSKey, AesKey appSKey)
    {
        _session = SessionSecurity.ForLoRaWan10(nwkSKey, appSKey);
        DevAddr = devAddr;
        FCntUp = 0;
        NFCntDown = 0;
        AFCntDown = 0;
        PendingDownlinkAck = null;
    }

    /// <summary>
    /// A data uplink. <paramref name="txDr"/> and <paramref name="txCh"/> enter the LoRaWAN 1.1 MIC and must
    /// describe how the frame is actually sent.
    /// </summary>
    public byte[] CreateDataUplink(ReadOnlySpan<byte> payload, int fPort = 10, bool confirmed = false, ReadOnlySpan<byte> fOpts = default, bool adr = false, byte txDr = 5, byte txCh = 0)
    {
        if (_session is null)
        {
            throw new InvalidOperationException("The device has not joined.");
        }

        var ack = PendingDownlinkAck is not null;
        var confFCnt = (ushort)(PendingDownlinkAck ?? 0);
        var buffer = new byte[PhyPayload.MaxLength];
        var n = _session.EncodeDataFrame(
            buffer,
            confirmed ? MType.ConfirmedDataUp : MType.UnconfirmedDataUp,
            DevAddr,
            FCtrl.Create(adr: adr, ack: ack),
            FCntUp,
            fOpts,
            fPort,
            payload,
            ack ? confFCnt : (ushort)0,
            txDr,
            txCh);
        FCntUp++;
        PendingDownlinkAck = null;
        return buffer[..n];
    }

    /// <summary>Verifies and decrypts a downlink addressed to this device; null when it is not (or is a replay).</summary>
    public DeviceDownlink? TryReceiveDownlink(byte[] phyPayload, ushort lastUplinkFCnt = 0)
    {
        if (_session is null || DataFrame.TryDecode(phyPayload, out var frame) != FrameError.None || frame.IsUplink || frame.DevAddr != DevAddr)
        {
            return null;
        }

        var usesApplicationCounter = IsLoRaWan11 && frame.FPort > 0;
        var expected = usesApplicationCounter ? AFCntDown : NFCntDown;
        var fCnt = (expected & 0xFFFF_0000u) | frame.FCnt;
        if (fCnt < expected)
        {
            fCnt += 0x1_0000;
        }

        if (!_session.VerifyMic(frame, fCnt, frame.FCtrl.Ack ? lastUplinkFCnt : (ushort)0))
        {
            return null;
        }

        var payload = new byte[frame.FrmPayload.Length];
        _session.DecryptFrmPayload(frame, fCnt, payload);
        var fOpts = new byte[frame.FOpts.Length];
        _session.DecryptFOpts(frame, fCnt, fOpts);
        if (usesApplicationCounter)
        {
            AFCntDown = fCnt + 1;
        }
        else
        {
            NFCntDown = fCnt + 1;
        }

        if (frame.IsConfirmed)
        {
            PendingDownlinkAck = fCnt;
        }

        return new DeviceDownlink(frame.MType, frame.FCtrl.Ack, frame.FPort, payload, fOpts, fCnt);
    }

    private AesKey RandomKey()
    {
        var b = new byte[16];
        _random.NextBytes(b);
        return new AesKey(b);
    }
}
