using WirelessNet.LoRaWan.MacCommands;

namespace WirelessNet.LoRaWan.Tests.MacCommands;

// Property tests with a fixed seed: random field values survive build -> write -> read, and random wire bytes
// survive read -> write unchanged (RFU bits included), for every command in both directions.
public sealed class MacCommandRoundTripTests
{
    private const int Iterations = 2_000;

    public static TheoryData<MacCommandKind> AllKinds()
    {
        var data = new TheoryData<MacCommandKind>();
        foreach (var kind in Enum.GetValues<MacCommandKind>())
        {
            if (kind != MacCommandKind.None)
            {
                data.Add(kind);
            }
        }

        return data;
    }

    [Fact]
    public void EveryKindIsCovered()
    {
        // 19 CIDs with a command each way, plus ForceRejoinReq which has no answer.
        Assert.Equal(39, AllKinds().Count);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void FieldsSurviveWriteThenRead(MacCommandKind kind)
    {
        var rng = new Random(0x5EED + (int)kind);
        Span<byte> buffer = stackalloc byte[16];
        for (var i = 0; i < Iterations; i++)
        {
            var (command, verify) = RandomCommand(kind, rng);
            Assert.Equal(kind, command.Kind);

            var written = MacCommandWriter.Write(buffer, command);
            Assert.Equal(command.Size, written);

            var reader = new MacCommandReader(buffer[..written], command.Direction == MacCommandDirection.Uplink);
            Assert.True(reader.TryRead(out var parsed), reader.Describe());
            Assert.False(reader.TryRead(out _));
            Assert.Equal(MacCommandParseStatus.Completed, reader.Status);
            Assert.Equal(command, parsed);
            verify(parsed);
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void BytesSurviveReadThenWrite(MacCommandKind kind)
    {
        var rng = new Random(0xB17E5 + (int)kind);
        var cid = (byte)((ushort)kind >> 1);
        var uplink = ((ushort)kind & 1) == 0;
        var size = 1 + MacCommandLayout.PayloadLength(kind);
        var wire = new byte[size];
        Span<byte> output = stackalloc byte[16];
        for (var i = 0; i < Iterations; i++)
        {
            wire[0] = cid;
            rng.NextBytes(wire.AsSpan(1));

            var reader = new MacCommandReader(wire, uplink);
            Assert.True(reader.TryRead(out var command), reader.Describe());
            Assert.Equal(kind, command.Kind);
            Assert.False(reader.TryRead(out _));
            Assert.Equal(MacCommandParseStatus.Completed, reader.Status);

            var written = MacCommandWriter.Write(output, command);
            Assert.Equal(Convert.ToHexString(wire), Convert.ToHexString(output[..written]));

            // Every accessor of the kind decodes without throwing, whatever the RFU bits hold.
            Assert.False(string.IsNullOrEmpty(command.ToString()));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SequencesSurviveWriteAllThenReadAll(bool uplink)
    {
        var rng = new Random(uplink ? 11 : 12);
        var kinds = Enum.GetValues<MacCommandKind>().Where(k => k != MacCommandKind.None && (((ushort)k & 1) == 0) == uplink).ToArray();
        var commands = new MacCommand[12];
        var parsed = new MacCommand[12];
        var buffer = new byte[12 * 6];
        for (var i = 0; i < Iterations; i++)
        {
            var count = rng.Next(0, commands.Length + 1);
            for (var j = 0; j < count; j++)
            {
                commands[j] = RandomCommand(kinds[rng.Next(kinds.Length)], rng).Command;
            }

            Assert.True(MacCommandWriter.TryWriteAll(buffer, commands.AsSpan(0, count), out var written));
            Assert.Equal(MacCommandWriter.GetSize(commands.AsSpan(0, count)), written);

            var result = MacCommandReader.ReadAll(buffer.AsSpan(0, written), uplink, parsed);
            Assert.Equal(MacCommandParseStatus.Completed, result.Status);
            Assert.Equal(count, result.Count);
            Assert.Equal(commands.AsSpan(0, count).ToArray(), parsed.AsSpan(0, count).ToArray());
        }
    }

    /// <summary>A command of <paramref name="kind"/> built from random in-range field values, and a check that a
    /// command carries exactly those values.</summary>
    internal static (MacCommand Command, Action<MacCommand> Verify) RandomCommand(MacCommandKind kind, Random rng)
    {
        byte Bits(int width) => (byte)rng.Next(1 << width);
        bool Flag() => rng.Next(2) == 1;
        uint Frequency() => rng.Next(4) == 0 ? 0u : (uint)rng.Next(0x100_0000) * 100u;

        switch (kind)
        {
            case MacCommandKind.ResetInd:
            case MacCommandKind.ResetConf:
            case MacCommandKind.RekeyInd:
            case MacCommandKind.RekeyConf:
                {
                    var minor = Bits(4);
                    var command = kind switch
                    {
                        MacCommandKind.ResetInd => MacCommand.ResetInd(minor),
                        MacCommandKind.ResetConf => MacCommand.ResetConf(minor),
                        MacCommandKind.RekeyInd => MacCommand.RekeyInd(minor),
                        _ => MacCommand.RekeyConf(minor),
                    };
                    return (command, c => Assert.Equal(minor, c.LoRaWanMinorVersion));
                }

            case MacCommandKind.LinkCheckReq: return (MacCommand.LinkCheckReq(), _ => { });
            case MacCommandKind.DutyCycleAns: return (MacCommand.DutyCycleAns(), _ => { });
            case MacCommandKind.DevStatusReq: return (MacCommand.DevStatusReq(), _ => { });
            case MacCommandKind.RxTimingSetupAns: return (MacCommand.RxTimingSetupAns(), _ => { });
            case MacCommandKind.TxParamSetupAns: return (MacCommand.TxParamSetupAns(), _ => { });
            case MacCommandKind.AdrParamSetupAns: return (MacCommand.AdrParamSetupAns(), _ => { });
            case MacCommandKind.DeviceTimeReq: return (MacCommand.DeviceTimeReq(), _ => { });
            case MacCommandKind.PingSlotInfoAns: return (MacCommand.PingSlotInfoAns(), _ => { });
            case MacCommandKind.BeaconTimingReq: return (MacCommand.BeaconTimingReq(), _ => { });

            case MacCommandKind.LinkCheckAns:
                {
                    var (margin, count) = (Bits(8), Bits(8));
                    return (MacCommand.LinkCheckAns(margin, count), c =>
                    {
                        Assert.Equal(margin, c.LinkMarginDb);
                        Assert.Equal(count, c.GatewayCount);
                    }
                    );
                }

            case MacCommandKind.LinkAdrReq:
                {
                    var (dr, power, mask, control, nb) = (Bits(4), Bits(4), (ushort)rng.Next(0x10000), Bits(3), Bits(4));
                    return (MacCommand.LinkAdrReq(dr, power, mask, control, nb), c =>
                    {
                        Assert.Equal(dr, c.DataRate);
                        Assert.Equal(power, c.TxPower);
                        Assert.Equal(mask, c.ChannelMask);
                        Assert.Equal(control, c.ChannelMaskControl);
                        Assert.Equal(nb, c.NbTrans);
                    }
                    );
                }

            case MacCommandKind.LinkAdrAns:
                {
                    var (p, d, m) = (Flag(), Flag(), Flag());
                    return (MacCommand.LinkAdrAns(p, d, m), c =>
                    {
                        Assert.Equal(p, c.PowerAck);
                        Assert.Equal(d, c.DataRateAck);
                        Assert.Equal(m, c.ChannelMaskAck);
                    }
                    );
                }

            case MacCommandKind.DutyCycleReq:
                {
                    var max = Bits(4);
                    return (MacCommand.DutyCycleReq(max), c => Assert.Equal(max, c.MaxDutyCycle));
                }

            case MacCommandKind.RxParamSetupReq:
                {
                    var (offset, rx2, f) = (Bits(3), Bits(4), Frequency());
                    return (MacCommand.RxParamSetupReq(offset, rx2, f), c =>
                    {
                        Assert.Equal(offset, c.Rx1DataRateOffset);
                        Assert.Equal(rx2, c.Rx2DataRate);
                        Assert.Equal(f, c.FrequencyHz);
                    }
                    );
                }

            case MacCommandKind.RxParamSetupAns:
                {
                    var (o, r, ch) = (Flag(), Flag(), Flag());
                    return (MacCommand.RxParamSetupAns(o, r, ch), c =>
                    {
                        Assert.Equal(o, c.Rx1DataRateOffsetAck);
                        Assert.Equal(r, c.Rx2DataRateAck);
                        Assert.Equal(ch, c.ChannelAck);
                    }
                    );
                }

            case MacCommandKind.DevStatusAns:
                {
                    var (battery, margin) = (Bits(8), (sbyte)rng.Next(-32, 32));
                    return (MacCommand.DevStatusAns(battery, margin), c =>
                    {
                        Assert.Equal(battery, c.Battery);
                        Assert.Equal(margin, c.SnrMargin);
                    }
                    );
                }

            case MacCommandKind.NewChannelReq:
                {
                    var (index, f, min, max) = (Bits(8), Frequency(), Bits(4), Bits(4));
                    return (MacCommand.NewChannelReq(index, f, min, max), c =>
                    {
                        Assert.Equal(index, c.ChannelIndex);
                        Assert.Equal(f, c.FrequencyHz);
                        Assert.Equal(min, c.MinDataRate);
                        Assert.Equal(max, c.MaxDataRate);
                    }
                    );
                }

            case MacCommandKind.NewChannelAns:
                {
                    var (range, freq) = (Flag(), Flag());
                    return (MacCommand.NewChannelAns(range, freq), c =>
                    {
                        Assert.Equal(range, c.DataRateRangeOk);
                        Assert.Equal(freq, c.ChannelFrequencyOk);
                    }
                    );
                }

            case MacCommandKind.RxTimingSetupReq:
                {
                    var delay = Bits(4);
                    return (MacCommand.RxTimingSetupReq(delay), c => Assert.Equal(delay, c.RxDelay));
                }

            case MacCommandKind.TxParamSetupReq:
                {
                    var (down, up, eirp) = (Flag(), Flag(), Bits(4));
                    return (MacCommand.TxParamSetupReq(down, up, eirp), c =>
                    {
                        Assert.Equal(down, c.DownlinkDwellTime);
                        Assert.Equal(up, c.UplinkDwellTime);
                        Assert.Equal(eirp, c.MaxEirpIndex);
                    }
                    );
                }

            case MacCommandKind.DlChannelReq:
                {
                    var (index, f) = (Bits(8), Frequency());
                    return (MacCommand.DlChannelReq(index, f), c =>
                    {
                        Assert.Equal(index, c.ChannelIndex);
                        Assert.Equal(f, c.FrequencyHz);
                    }
                    );
                }

            case MacCommandKind.DlChannelAns:
                {
                    var (exists, ok) = (Flag(), Flag());
                    return (MacCommand.DlChannelAns(exists, ok), c =>
                    {
                        Assert.Equal(exists, c.UplinkFrequencyExists);
                        Assert.Equal(ok, c.ChannelFrequencyOk);
                    }
                    );
                }

            case MacCommandKind.AdrParamSetupReq:
                {
                    var (limit, delay) = (Bits(4), Bits(4));
                    return (MacCommand.AdrParamSetupReq(limit, delay), c =>
                    {
                        Assert.Equal(limit, c.AdrAckLimitExponent);
                        Assert.Equal(delay, c.AdrAckDelayExponent);
                    }
                    );
                }

            case MacCommandKind.DeviceTimeAns:
                {
                    var (seconds, fraction) = ((uint)rng.NextInt64(0x1_0000_0000), Bits(8));
                    return (MacCommand.DeviceTimeAns(seconds, fraction), c =>
                    {
                        Assert.Equal(seconds, c.GpsEpochSeconds);
                        Assert.Equal(fraction, c.GpsFractionalSecond);
                        Assert.Equal(c, MacCommand.DeviceTimeAns(c.TimeSinceGpsEpoch));
                    }
                    );
                }

            case MacCommandKind.ForceRejoinReq:
                {
                    var (period, retries, type, dr) = (Bits(3), Bits(3), Bits(3), Bits(4));
                    return (MacCommand.ForceRejoinReq(period, retries, type, dr), c =>
                    {
                        Assert.Equal(period, c.RejoinPeriod);
                        Assert.Equal(retries, c.MaxRetries);
                        Assert.Equal(type, c.RejoinType);
                        Assert.Equal(dr, c.DataRate);
                    }
                    );
                }

            case MacCommandKind.RejoinParamSetupReq:
                {
                    var (time, count) = (Bits(4), Bits(4));
                    return (MacCommand.RejoinParamSetupReq(time, count), c =>
                    {
                        Assert.Equal(time, c.MaxTimeN);
                        Assert.Equal(count, c.MaxCountN);
                    }
                    );
                }

            case MacCommandKind.RejoinParamSetupAns:
                {
                    var ok = Flag();
                    return (MacCommand.RejoinParamSetupAns(ok), c => Assert.Equal(ok, c.TimeOk));
                }

            case MacCommandKind.PingSlotInfoReq:
                {
                    var periodicity = Bits(3);
                    return (MacCommand.PingSlotInfoReq(periodicity), c => Assert.Equal(periodicity, c.PingSlotPeriodicity));
                }

            case MacCommandKind.PingSlotChannelReq:
                {
                    var (f, dr) = (Frequency(), Bits(4));
                    return (MacCommand.PingSlotChannelReq(f, dr), c =>
                    {
                        Assert.Equal(f, c.FrequencyHz);
                        Assert.Equal(dr, c.DataRate);
                    }
                    );
                }

            case MacCommandKind.PingSlotChannelAns:
                {
                    var (dr, freq) = (Flag(), Flag());
                    return (MacCommand.PingSlotChannelAns(dr, freq), c =>
                    {
                        Assert.Equal(dr, c.DataRateOk);
                        Assert.Equal(freq, c.ChannelFrequencyOk);
                    }
                    );
                }

            case MacCommandKind.BeaconTimingAns:
                {
                    var (delay, channel) = ((ushort)rng.Next(0x10000), Bits(8));
                    return (MacCommand.BeaconTimingAns(delay, channel), c =>
                    {
                        Assert.Equal(delay, c.BeaconDelay);
                        Assert.Equal(channel, c.BeaconChannel);
                    }
                    );
                }

            case MacCommandKind.BeaconFreqReq:
                {
                    var f = Frequency();
                    return (MacCommand.BeaconFreqReq(f), c => Assert.Equal(f, c.FrequencyHz));
                }

            case MacCommandKind.BeaconFreqAns:
                {
                    var ok = Flag();
                    return (MacCommand.BeaconFreqAns(ok), c => Assert.Equal(ok, c.BeaconFrequencyOk));
                }

            case MacCommandKind.DeviceModeInd:
            case MacCommandKind.DeviceModeConf:
                {
                    var deviceClass = (DeviceModeClass)Bits(8);
                    var command = kind == MacCommandKind.DeviceModeInd ? MacCommand.DeviceModeInd(deviceClass) : MacCommand.DeviceModeConf(deviceClass);
                    return (command, c => Assert.Equal(deviceClass, c.DeviceClass));
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "No generator for this kind.");
        }
    }
}
