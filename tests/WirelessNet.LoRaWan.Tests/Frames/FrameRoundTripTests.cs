using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Tests.Frames;

/// <summary>encode → decode → encode is the identity, for every MType.</summary>
public sealed class FrameRoundTripTests
{
    private const int Iterations = 3000;

    [Theory]
    [InlineData(MType.UnconfirmedDataUp)]
    [InlineData(MType.ConfirmedDataUp)]
    [InlineData(MType.UnconfirmedDataDown)]
    [InlineData(MType.ConfirmedDataDown)]
    public void Data_frames_round_trip(MType mType)
    {
        var random = new Random(1000 + (int)mType);
        var buffer = new byte[PhyPayload.MaxLength];
        var again = new byte[PhyPayload.MaxLength];
        for (var i = 0; i < Iterations; i++)
        {
            var devAddr = new DevAddr((uint)random.NextInt64(0, 1L << 32));
            var fCtrl = new FCtrl((byte)(random.Next(256) & 0xF0));
            var fPort = random.Next(-1, 256);
            var fOpts = fPort == 0 ? [] : RandomBytes(random, random.Next(0, 16));
            var payload = fPort < 0 ? [] : RandomBytes(random, random.Next(0, 243 - fOpts.Length));
            var fCnt = (ushort)random.Next(65536);
            var mic = Mic.Read(RandomBytes(random, 4));

            var n = DataFrameWriter.Write(buffer, mType, devAddr, fCtrl, fCnt, fOpts, fPort, payload, mic);
            Assert.Equal(FrameError.None, DataFrame.TryDecode(buffer.AsSpan(0, n), out var frame));
            Assert.Equal(mType, frame.MType);
            Assert.Equal(devAddr, frame.DevAddr);
            Assert.Equal(fCnt, frame.FCnt);
            Assert.Equal(fCtrl.Value | fOpts.Length, frame.FCtrl.Value);
            Assert.Equal(fOpts, frame.FOpts.ToArray());
            Assert.Equal(fPort, frame.FPort);
            Assert.Equal(payload, frame.FrmPayload.ToArray());
            Assert.Equal(mic, frame.Mic);

            var m = DataFrameWriter.Write(again, frame.MType, frame.DevAddr, frame.FCtrl, frame.FCnt, frame.FOpts, frame.FPort, frame.FrmPayload, frame.Mic);
            Assert.Equal(buffer.AsSpan(0, n).ToArray(), again.AsSpan(0, m).ToArray());
        }
    }

    [Fact]
    public void Join_requests_round_trip()
    {
        var random = new Random(11);
        var buffer = new byte[JoinRequestFrame.Length];
        for (var i = 0; i < Iterations; i++)
        {
            var frame = new JoinRequestFrame(
                new Eui64((ulong)random.NextInt64()),
                new Eui64((ulong)random.NextInt64()),
                (ushort)random.Next(65536),
                Mic.Read(RandomBytes(random, 4)));
            frame.Write(buffer);
            Assert.Equal(FrameError.None, JoinRequestFrame.TryDecode(buffer, out var decoded));
            Assert.Equal(frame, decoded);
            var again = new byte[JoinRequestFrame.Length];
            decoded.Write(again);
            Assert.Equal(buffer, again);
        }
    }

    [Fact]
    public void Join_accepts_round_trip_with_and_without_cflist()
    {
        var random = new Random(12);
        var buffer = new byte[JoinAcceptFrame.LengthWithCFList];
        for (var i = 0; i < Iterations; i++)
        {
            CFList? cfList = random.Next(2) == 0 ? null : new CFList(RandomBytes(random, 16));
            var frame = new JoinAcceptFrame(
                (uint)random.Next(1 << 24),
                new NetId((uint)random.Next(1 << 24)),
                new DevAddr((uint)random.NextInt64(0, 1L << 32)),
                new DlSettings((byte)random.Next(256)),
                (byte)random.Next(256),
                cfList,
                Mic.Read(RandomBytes(random, 4)));
            var n = frame.WritePlaintext(buffer);
            Assert.Equal(cfList is null ? 17 : 33, n);
            Assert.Equal(FrameError.None, JoinAcceptFrame.TryDecodePlaintext(buffer.AsSpan(0, n), out var decoded));
            Assert.Equal(frame, decoded);
            var again = new byte[n];
            decoded.WritePlaintext(again);
            Assert.Equal(buffer.AsSpan(0, n).ToArray(), again);
        }
    }

    [Fact]
    public void Join_accept_encryption_is_reversed_by_the_device()
    {
        var random = new Random(13);
        using var appKey = new ExpandedAesKey(new AesKey(RandomBytes(random, 16)));
        foreach (var length in new[] { 17, 33 })
        {
            var plaintext = RandomBytes(random, length);
            plaintext[0] = new Mhdr(MType.JoinAccept).Value;
            var onAir = new byte[length];
            var back = new byte[length];
            JoinAcceptFrame.Encrypt(appKey, plaintext, onAir);
            Assert.NotEqual(plaintext, onAir);
            Assert.Equal(plaintext[0], onAir[0]);
            JoinAcceptFrame.Decrypt(appKey, onAir, back);
            Assert.Equal(plaintext, back);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Rejoin_requests_round_trip(byte type)
    {
        var random = new Random(14 + type);
        var buffer = new byte[RejoinRequestFrame.LengthType1];
        for (var i = 0; i < Iterations; i++)
        {
            var mic = Mic.Read(RandomBytes(random, 4));
            var devEui = new Eui64((ulong)random.NextInt64());
            var frame = type == 1
                ? RejoinRequestFrame.Type1(new Eui64((ulong)random.NextInt64()), devEui, (ushort)random.Next(65536), mic)
                : RejoinRequestFrame.Type0Or2(type, new NetId((uint)random.Next(1 << 24)), devEui, (ushort)random.Next(65536), mic);
            var n = frame.Write(buffer);
            Assert.Equal(type == 1 ? 24 : 19, n);
            Assert.Equal(FrameError.None, RejoinRequestFrame.TryDecode(buffer.AsSpan(0, n), out var decoded));
            Assert.Equal(frame, decoded);
            var again = new byte[n];
            decoded.Write(again);
            Assert.Equal(buffer.AsSpan(0, n).ToArray(), again);
        }
    }

    [Fact]
    public void Proprietary_frames_round_trip()
    {
        var random = new Random(17);
        var buffer = new byte[PhyPayload.MaxLength];
        for (var i = 0; i < Iterations; i++)
        {
            var payload = RandomBytes(random, random.Next(0, 255));
            var n = ProprietaryFrame.Write(buffer, payload);
            Assert.Equal(FrameError.None, ProprietaryFrame.TryDecode(buffer.AsSpan(0, n), out var decoded));
            Assert.Equal(payload, decoded.Payload.ToArray());
        }
    }

    [Fact]
    public void Secured_data_frames_round_trip_through_session_security_10_and_11()
    {
        var random = new Random(18);
        var buffer = new byte[PhyPayload.MaxLength];
        var plain = new byte[PhyPayload.MaxLength];
        for (var i = 0; i < 2000; i++)
        {
            using var session = i % 2 == 0
                ? SessionSecurity.ForLoRaWan10(RandomKey(random), RandomKey(random))
                : SessionSecurity.ForLoRaWan11(RandomKey(random), RandomKey(random), RandomKey(random), RandomKey(random));
            var mType = (MType)random.Next(2, 6);
            var fPort = random.Next(-1, 256);
            var fOpts = fPort == 0 ? [] : RandomBytes(random, random.Next(0, 16));
            var payload = fPort < 0 ? [] : RandomBytes(random, random.Next(0, 243 - fOpts.Length));
            var fCnt = (uint)random.NextInt64(0, 1L << 32);
            var devAddr = new DevAddr((uint)random.NextInt64(0, 1L << 32));
            var confFCnt = (ushort)random.Next(65536);
            var txDr = (byte)random.Next(16);
            var txCh = (byte)random.Next(72);

            var n = session.EncodeDataFrame(buffer, mType, devAddr, FCtrl.Create(adr: true), fCnt, fOpts, fPort, payload, confFCnt, txDr, txCh);
            Assert.Equal(FrameError.None, DataFrame.TryDecode(buffer.AsSpan(0, n), out var frame));
            Assert.True(session.VerifyMic(frame, fCnt, confFCnt, txDr, txCh));
            Assert.False(session.VerifyMic(frame, fCnt + 0x10000, confFCnt, txDr, txCh));
            var m = session.DecryptFrmPayload(frame, fCnt, plain);
            Assert.Equal(payload, plain.AsSpan(0, m).ToArray());
            m = session.DecryptFOpts(frame, fCnt, plain);
            Assert.Equal(fOpts, plain.AsSpan(0, m).ToArray());
            if (payload.Length > 0)
            {
                Assert.NotEqual(payload, frame.FrmPayload.ToArray());
            }
        }
    }

    internal static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static AesKey RandomKey(Random random) => new(RandomBytes(random, 16));
}
