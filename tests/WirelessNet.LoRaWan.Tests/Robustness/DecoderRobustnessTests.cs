using WirelessNet.LoRaWan.Counters;
using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.MacCommands;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Tests.Robustness;

/// <summary>
/// Hostile input: random buffers and valid frames with flipped bits, truncations, extensions and lying length
/// fields go through every decoder and the security layer. Nothing may throw; every rejection names its reason.
/// </summary>
public sealed class DecoderRobustnessTests
{
    private const int Cases = 240_000;

    [Fact]
    public void Random_and_mutated_frames_never_escape_the_decoders()
    {
        var random = new Random(20_000);
        using var session10 = SessionSecurity.ForLoRaWan10(Key(random), Key(random));
        using var session11 = SessionSecurity.ForLoRaWan11(Key(random), Key(random), Key(random), Key(random));
        using var appKey = new ExpandedAesKey(Key(random));
        var seeds = BuildSeedFrames(random, session10, session11, appKey);
        var scratch = new byte[512];
        var plain = new byte[512];
        var rejectedByReason = new Dictionary<FrameError, int>();
        var accepted = 0;

        for (var i = 0; i < Cases; i++)
        {
            var input = Mutate(random, seeds[random.Next(seeds.Count)], scratch, i);
            var error = DecodeEverything(input, random.Next(2) == 0 ? session10 : session11, appKey, plain);
            if (error == FrameError.None)
            {
                accepted++;
            }
            else
            {
                var reason = error.Describe();
                Assert.False(string.IsNullOrWhiteSpace(reason));
                Assert.NotEqual("unknown frame error", reason);
                rejectedByReason[error] = rejectedByReason.GetValueOrDefault(error) + 1;
            }
        }

        Assert.True(accepted > Cases / 10, $"only {accepted} inputs decoded: the mutator is too destructive to exercise the decoders");
        Assert.True(rejectedByReason.Count >= 8, "expected most rejection reasons to occur: " + string.Join(", ", rejectedByReason.Keys));
    }

    private static FrameError DecodeEverything(ReadOnlySpan<byte> input, SessionSecurity session, ExpandedAesKey appKey, byte[] plain)
    {
        var error = PhyPayload.TryReadMhdr(input, out var mhdr);
        if (error != FrameError.None)
        {
            return error;
        }

        switch (mhdr.MType)
        {
            case MType.JoinRequest:
                error = JoinRequestFrame.TryDecode(input, out var join);
                if (error == FrameError.None)
                {
                    _ = JoinCrypto.ComputeJoinRequestMic(appKey, join) == join.Mic;
                }

                return error;
            case MType.JoinAccept:
                if (input.Length is not (JoinAcceptFrame.LengthWithoutCFList or JoinAcceptFrame.LengthWithCFList))
                {
                    return JoinAcceptFrame.TryDecodePlaintext(input, out _);
                }

                JoinAcceptFrame.Decrypt(appKey, input, plain);
                error = JoinAcceptFrame.TryDecodePlaintext(plain.AsSpan(0, input.Length), out var accept);
                if (error == FrameError.None)
                {
                    _ = accept.WithMic10(appKey).Mic == accept.Mic;
                }

                return error;
            case MType.RejoinRequest:
                error = RejoinRequestFrame.TryDecode(input, out var rejoin);
                if (error == FrameError.None)
                {
                    _ = JoinCrypto.ComputeRejoinRequestMic(session.SNwkSIntKey, rejoin);
                }

                return error;
            case MType.Proprietary:
                return ProprietaryFrame.TryDecode(input, out _);
            default:
                error = DataFrame.TryDecode(input, out var frame);
                if (error == FrameError.None)
                {
                    var fCnt = FrameCounter.Reconstruct(0x1234, frame.FCnt);
                    _ = session.VerifyMic(frame, fCnt.FCnt);
                    var n = session.DecryptFOpts(frame, fCnt.FCnt, plain);
                    ParseMacCommands(plain.AsSpan(0, n), frame.IsUplink);
                    n = session.DecryptFrmPayload(frame, fCnt.FCnt, plain);
                    if (frame.FPort == 0)
                    {
                        ParseMacCommands(plain.AsSpan(0, n), frame.IsUplink);
                    }
                }

                return error;
        }
    }

    private static void ParseMacCommands(ReadOnlySpan<byte> commands, bool uplink)
    {
        var reader = new MacCommandReader(commands, uplink);
        var count = 0;
        while (reader.TryRead(out _))
        {
            Assert.True(++count <= commands.Length, "the MAC command reader must make progress");
        }

        Assert.NotEqual(MacCommandParseStatus.InProgress, reader.Status);
        if (reader.Status != MacCommandParseStatus.Completed)
        {
            Assert.False(string.IsNullOrWhiteSpace(reader.Describe()));
        }
    }

    private static ReadOnlySpan<byte> Mutate(Random random, byte[] seed, byte[] scratch, int i)
    {
        switch (i % 6)
        {
            case 0:
                {
                    // Pure noise of any length, including past the LoRa maximum.
                    var n = random.Next(0, 300);
                    random.NextBytes(scratch.AsSpan(0, n));
                    return scratch.AsSpan(0, n);
                }

            case 1:
                {
                    seed.CopyTo(scratch, 0);
                    var flips = random.Next(1, 9);
                    for (var f = 0; f < flips; f++)
                    {
                        var bit = random.Next(seed.Length * 8);
                        scratch[bit / 8] ^= (byte)(1 << (bit % 8));
                    }

                    return scratch.AsSpan(0, seed.Length);
                }

            case 2:
                seed.CopyTo(scratch, 0);
                return scratch.AsSpan(0, random.Next(0, seed.Length));
            case 3:
                {
                    seed.CopyTo(scratch, 0);
                    var extra = random.Next(1, 40);
                    random.NextBytes(scratch.AsSpan(seed.Length, extra));
                    return scratch.AsSpan(0, seed.Length + extra);
                }

            case 4:
                // FCtrl with a FOptsLen that lies about the frame.
                seed.CopyTo(scratch, 0);
                if (seed.Length > 5)
                {
                    scratch[5] = (byte)((scratch[5] & 0xF0) | random.Next(16));
                }

                return scratch.AsSpan(0, seed.Length);
            default:
                // Another MType on a valid body.
                seed.CopyTo(scratch, 0);
                scratch[0] = (byte)((random.Next(8) << 5) | (random.Next(8) == 0 ? random.Next(4) : 0));
                return scratch.AsSpan(0, seed.Length);
        }
    }

    private static List<byte[]> BuildSeedFrames(Random random, SessionSecurity s10, SessionSecurity s11, ExpandedAesKey appKey)
    {
        var seeds = new List<byte[]>();
        var buffer = new byte[PhyPayload.MaxLength];
        for (var i = 0; i < 400; i++)
        {
            var session = i % 2 == 0 ? s10 : s11;
            var fPort = random.Next(-1, 224);
            var fOpts = new byte[fPort == 0 ? 0 : random.Next(0, 16)];
            random.NextBytes(fOpts);
            var payload = new byte[fPort < 0 ? 0 : random.Next(0, 243 - fOpts.Length)];
            random.NextBytes(payload);
            var n = session.EncodeDataFrame(buffer, (MType)random.Next(2, 6), new DevAddr((uint)random.Next()), FCtrl.Create(ack: true), (uint)random.Next(), fOpts, fPort, payload);
            seeds.Add(buffer[..n]);
        }

        for (var i = 0; i < 50; i++)
        {
            var join = new JoinRequestFrame(new Eui64((ulong)random.NextInt64()), new Eui64((ulong)random.NextInt64()), (ushort)random.Next(65536), default);
            var b = new byte[JoinRequestFrame.Length];
            (join with { Mic = JoinCrypto.ComputeJoinRequestMic(appKey, join) }).Write(b);
            seeds.Add(b);

            var accept = new JoinAcceptFrame((uint)random.Next(1 << 24), new NetId(0x13), new DevAddr((uint)random.Next()), DlSettings.Create(1, 0), 1, i % 2 == 0 ? null : CFList.FromFrequencies([867_100_000, 867_300_000]), default).WithMic10(appKey);
            var plain = new byte[accept.Length];
            accept.WritePlaintext(plain);
            var onAir = new byte[plain.Length];
            JoinAcceptFrame.Encrypt(appKey, plain, onAir);
            seeds.Add(onAir);

            var rejoin = i % 3 == 1
                ? RejoinRequestFrame.Type1(new Eui64((ulong)random.NextInt64()), new Eui64((ulong)random.NextInt64()), 7)
                : RejoinRequestFrame.Type0Or2((byte)(i % 3), new NetId(0x13), new Eui64((ulong)random.NextInt64()), 7);
            var r = new byte[rejoin.Length];
            rejoin.Write(r);
            seeds.Add(r);

            var p = new byte[1 + random.Next(0, 60)];
            ProprietaryFrame.Write(p, p.AsSpan(1));
            seeds.Add(p);
        }

        return seeds;
    }

    private static AesKey Key(Random random)
    {
        var b = new byte[16];
        random.NextBytes(b);
        return new AesKey(b);
    }
}
