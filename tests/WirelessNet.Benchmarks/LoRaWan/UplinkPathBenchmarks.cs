using BenchmarkDotNet.Attributes;
using WirelessNet.LoRaWan.Counters;
using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Benchmarks.LoRaWan;

/// <summary>
/// The per-frame work of the uplink hot path: decode, reconstruct the 32-bit counter, check the MIC and decrypt
/// a 20-byte FRMPayload of an unconfirmed uplink, with the session's key schedules already expanded.
/// </summary>
[MemoryDiagnoser]
public class UplinkPathBenchmarks
{
    private readonly byte[] _plaintext = new byte[242];
    private byte[] _frame10 = [];
    private byte[] _frame11 = [];
    private byte[] _joinRequest = [];
    private SessionSecurity _session10 = null!;
    private SessionSecurity _session11 = null!;
    private ExpandedAesKey _appKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(150);
        AesKey Key()
        {
            var b = new byte[16];
            random.NextBytes(b);
            return new AesKey(b);
        }

        _session10 = SessionSecurity.ForLoRaWan10(Key(), Key());
        _session11 = SessionSecurity.ForLoRaWan11(Key(), Key(), Key(), Key());
        var payload = new byte[20];
        random.NextBytes(payload);
        var devAddr = DevAddr.Parse("26011bda");
        _frame10 = new byte[DataFrameWriter.GetLength(0, true, payload.Length)];
        _session10.EncodeDataFrame(_frame10, MType.UnconfirmedDataUp, devAddr, FCtrl.Create(adr: true), 0x10005, [], 10, payload);
        _frame11 = new byte[DataFrameWriter.GetLength(0, true, payload.Length)];
        _session11.EncodeDataFrame(_frame11, MType.UnconfirmedDataUp, devAddr, FCtrl.Create(adr: true), 0x10005, [], 10, payload, 0, 5, 2);

        _appKey = new ExpandedAesKey(Key());
        var join = new JoinRequestFrame(Eui64.Parse("70b3d57ed0000001"), Eui64.Parse("0004a30b001c0530"), 0x1234, default);
        _joinRequest = new byte[JoinRequestFrame.Length];
        (join with { Mic = JoinCrypto.ComputeJoinRequestMic(_appKey, join) }).Write(_joinRequest);
    }

    [Benchmark(Baseline = true, Description = "1.0 uplink: decode + FCnt + MIC + decrypt 20 B")]
    public int DecodeVerifyDecrypt10() => Process(_session10, _frame10);

    [Benchmark(Description = "1.1 uplink: decode + FCnt + MIC (2 CMACs) + decrypt 20 B")]
    public int DecodeVerifyDecrypt11() => Process(_session11, _frame11, txDr: 5, txCh: 2);

    [Benchmark(Description = "decode only")]
    public int DecodeOnly() => DataFrame.TryDecode(_frame10, out var frame) == FrameError.None ? frame.FrmPayload.Length : -1;

    [Benchmark(Description = "Join-Request: decode + MIC")]
    public bool JoinRequestMic()
    {
        if (JoinRequestFrame.TryDecode(_joinRequest, out var join) != FrameError.None)
        {
            return false;
        }

        return JoinCrypto.ComputeJoinRequestMic(_appKey, join) == join.Mic;
    }

    private int Process(SessionSecurity session, byte[] wire, byte txDr = 0, byte txCh = 0)
    {
        if (DataFrame.TryDecode(wire, out var frame) != FrameError.None)
        {
            return -1;
        }

        var fCnt = FrameCounter.Reconstruct(0x10004, frame.FCnt);
        if (!fCnt.IsAcceptable || !session.VerifyMic(frame, fCnt.FCnt, 0, txDr, txCh))
        {
            return -2;
        }

        return session.DecryptFrmPayload(frame, fCnt.FCnt, _plaintext);
    }
}
