using WirelessNet.LoRaWan.MacCommands;
using static WirelessNet.LoRaWan.Tests.MacCommands.MacCommandTestBytes;

namespace WirelessNet.LoRaWan.Tests.MacCommands;

// Known-answer vectors, one per command and direction. Each test parses the bytes and checks every field,
// then builds the same command with its factory and checks it writes the same bytes. Section numbers are
// LoRaWAN 1.0.4 (TS001-1.0.4) §5 unless marked 1.1; Class B / Class C commands are from the 1.1 chapters.
public sealed class MacCommandKnownAnswerTests
{
    private const bool Up = true;
    private const bool Down = false;

    // ---------------- Uplink ----------------

    [Fact] // 1.1 §5.1: ResetInd, Dev LoRaWAN version, Minor = 1 (LoRaWAN 1.1).
    public void ResetInd()
    {
        var c = ParseSingle("01 01", Up);
        Assert.Equal(MacCommandKind.ResetInd, c.Kind);
        Assert.Equal(1, c.LoRaWanMinorVersion);
        Assert.Equal("0101", Write(MacCommand.ResetInd(1)));
    }

    [Fact] // §5.1: LinkCheckReq has no payload.
    public void LinkCheckReq()
    {
        var c = ParseSingle("02", Up);
        Assert.Equal(MacCommandKind.LinkCheckReq, c.Kind);
        Assert.Equal(0, c.PayloadLength);
        Assert.Equal("02", Write(MacCommand.LinkCheckReq()));
    }

    [Fact] // §5.2: LinkADRAns Status = 0b101: power and channel mask accepted, data rate rejected.
    public void LinkAdrAns()
    {
        var c = ParseSingle("03 05", Up);
        Assert.Equal(MacCommandKind.LinkAdrAns, c.Kind);
        Assert.True(c.PowerAck);
        Assert.False(c.DataRateAck);
        Assert.True(c.ChannelMaskAck);
        Assert.Equal("0305", Write(MacCommand.LinkAdrAns(powerAck: true, dataRateAck: false, channelMaskAck: true)));
        Assert.Equal("0307", Write(MacCommand.LinkAdrAns(true, true, true)));
    }

    [Fact] // §5.3: DutyCycleAns has no payload.
    public void DutyCycleAns()
    {
        Assert.Equal(MacCommandKind.DutyCycleAns, ParseSingle("04", Up).Kind);
        Assert.Equal("04", Write(MacCommand.DutyCycleAns()));
    }

    [Fact] // §5.4: RXParamSetupAns Status = 0b110: RX1DRoffset and RX2 data rate ok, channel not.
    public void RxParamSetupAns()
    {
        var c = ParseSingle("05 06", Up);
        Assert.Equal(MacCommandKind.RxParamSetupAns, c.Kind);
        Assert.True(c.Rx1DataRateOffsetAck);
        Assert.True(c.Rx2DataRateAck);
        Assert.False(c.ChannelAck);
        Assert.Equal("0506", Write(MacCommand.RxParamSetupAns(true, true, false)));
    }

    [Theory] // §5.5: DevStatusAns Battery, RadioStatus (6-bit signed SNR margin in bits 5:0).
    [InlineData("06 64 1F", 100, 31)]
    [InlineData("06 FF 20", 255, -32)]
    [InlineData("06 00 3F", 0, -1)]
    [InlineData("06 FE 00", 254, 0)]
    [InlineData("06 01 36", 1, -10)]
    public void DevStatusAns(string hex, byte battery, sbyte margin)
    {
        var c = ParseSingle(hex, Up);
        Assert.Equal(MacCommandKind.DevStatusAns, c.Kind);
        Assert.Equal(battery, c.Battery);
        Assert.Equal(margin, c.SnrMargin);
        Assert.Equal(hex.Replace(" ", ""), Write(MacCommand.DevStatusAns(battery, margin)));
    }

    [Fact] // §5.5: bits 7:6 of RadioStatus are RFU: ignored by the accessor, kept on the wire.
    public void DevStatusAnsKeepsRfuBits()
    {
        var c = ParseSingle("06 C8 E5", Up);
        Assert.Equal(-27, c.SnrMargin);
        Assert.Equal("06C8E5", Write(c));
        Assert.NotEqual(MacCommand.DevStatusAns(0xC8, -27), c);
    }

    [Fact] // §5.6.1: NewChannelAns Status = 0b11.
    public void NewChannelAns()
    {
        var c = ParseSingle("07 03", Up);
        Assert.Equal(MacCommandKind.NewChannelAns, c.Kind);
        Assert.True(c.DataRateRangeOk);
        Assert.True(c.ChannelFrequencyOk);
        Assert.Equal("0702", Write(MacCommand.NewChannelAns(dataRateRangeOk: true, channelFrequencyOk: false)));
    }

    [Fact] // §5.7: RXTimingSetupAns has no payload.
    public void RxTimingSetupAns()
    {
        Assert.Equal(MacCommandKind.RxTimingSetupAns, ParseSingle("08", Up).Kind);
        Assert.Equal("08", Write(MacCommand.RxTimingSetupAns()));
    }

    [Fact] // §5.8: TxParamSetupAns has no payload.
    public void TxParamSetupAns()
    {
        Assert.Equal(MacCommandKind.TxParamSetupAns, ParseSingle("09", Up).Kind);
        Assert.Equal("09", Write(MacCommand.TxParamSetupAns()));
    }

    [Fact] // §5.6.2: DlChannelAns Status = 0b10: uplink frequency exists, channel frequency not ok.
    public void DlChannelAns()
    {
        var c = ParseSingle("0A 02", Up);
        Assert.Equal(MacCommandKind.DlChannelAns, c.Kind);
        Assert.True(c.UplinkFrequencyExists);
        Assert.False(c.ChannelFrequencyOk);
        Assert.Equal("0A02", Write(MacCommand.DlChannelAns(uplinkFrequencyExists: true, channelFrequencyOk: false)));
    }

    [Fact] // 1.1 §5.10: RekeyInd, Minor = 1.
    public void RekeyInd()
    {
        var c = ParseSingle("0B 01", Up);
        Assert.Equal(MacCommandKind.RekeyInd, c.Kind);
        Assert.Equal(1, c.LoRaWanMinorVersion);
        Assert.Equal("0B01", Write(MacCommand.RekeyInd(1)));
    }

    [Fact] // 1.1 §5.11: ADRParamSetupAns has no payload.
    public void AdrParamSetupAns()
    {
        Assert.Equal(MacCommandKind.AdrParamSetupAns, ParseSingle("0C", Up).Kind);
        Assert.Equal("0C", Write(MacCommand.AdrParamSetupAns()));
    }

    [Fact] // §5.9: DeviceTimeReq has no payload.
    public void DeviceTimeReq()
    {
        Assert.Equal(MacCommandKind.DeviceTimeReq, ParseSingle("0D", Up).Kind);
        Assert.Equal("0D", Write(MacCommand.DeviceTimeReq()));
    }

    [Fact] // 1.1 §5.14: RejoinParamSetupAns Status bit 0 TimeOK.
    public void RejoinParamSetupAns()
    {
        var c = ParseSingle("0F 01", Up);
        Assert.Equal(MacCommandKind.RejoinParamSetupAns, c.Kind);
        Assert.True(c.TimeOk);
        Assert.Equal("0F00", Write(MacCommand.RejoinParamSetupAns(false)));
    }

    [Fact] // Class B: PingSlotInfoReq, Periodicity 5 (a ping slot every 32 s).
    public void PingSlotInfoReq()
    {
        var c = ParseSingle("10 05", Up);
        Assert.Equal(MacCommandKind.PingSlotInfoReq, c.Kind);
        Assert.Equal(5, c.PingSlotPeriodicity);
        Assert.Equal("1005", Write(MacCommand.PingSlotInfoReq(5)));
    }

    [Fact] // Class B: PingSlotChannelAns Status = 0b01: frequency ok, data rate not.
    public void PingSlotChannelAns()
    {
        var c = ParseSingle("11 01", Up);
        Assert.Equal(MacCommandKind.PingSlotChannelAns, c.Kind);
        Assert.False(c.DataRateOk);
        Assert.True(c.ChannelFrequencyOk);
        Assert.Equal("1103", Write(MacCommand.PingSlotChannelAns(true, true)));
    }

    [Fact] // LoRaWAN 1.0.2 Class B (deprecated): BeaconTimingReq has no payload.
    public void BeaconTimingReq()
    {
        Assert.Equal(MacCommandKind.BeaconTimingReq, ParseSingle("12", Up).Kind);
        Assert.Equal("12", Write(MacCommand.BeaconTimingReq()));
    }

    [Fact] // Class B: BeaconFreqAns Status bit 0.
    public void BeaconFreqAns()
    {
        var c = ParseSingle("13 01", Up);
        Assert.Equal(MacCommandKind.BeaconFreqAns, c.Kind);
        Assert.True(c.BeaconFrequencyOk);
        Assert.Equal("1301", Write(MacCommand.BeaconFreqAns(true)));
    }

    [Fact] // 1.1 Class C: DeviceModeInd Class = 2 (C).
    public void DeviceModeInd()
    {
        var c = ParseSingle("20 02", Up);
        Assert.Equal(MacCommandKind.DeviceModeInd, c.Kind);
        Assert.Equal(DeviceModeClass.C, c.DeviceClass);
        Assert.Equal("2002", Write(MacCommand.DeviceModeInd(DeviceModeClass.C)));
    }

    // ---------------- Downlink ----------------

    [Fact] // 1.1 §5.1: ResetConf, Serv LoRaWAN version Minor = 1.
    public void ResetConf()
    {
        var c = ParseSingle("01 01", Down);
        Assert.Equal(MacCommandKind.ResetConf, c.Kind);
        Assert.Equal(1, c.LoRaWanMinorVersion);
        Assert.Equal("0101", Write(MacCommand.ResetConf(1)));
    }

    [Fact] // §5.1: LinkCheckAns Margin 20 dB, GwCnt 3.
    public void LinkCheckAns()
    {
        var c = ParseSingle("02 14 03", Down);
        Assert.Equal(MacCommandKind.LinkCheckAns, c.Kind);
        Assert.Equal(20, c.LinkMarginDb);
        Assert.Equal(3, c.GatewayCount);
        Assert.Equal("021403", Write(MacCommand.LinkCheckAns(20, 3)));
    }

    [Theory] // §5.2: LinkADRReq DataRate_TXPower, ChMask (LE), Redundancy (ChMaskCntl 6:4, NbTrans 3:0).
    [InlineData("03 52 FF 00 01", 5, 2, 0x00FF, 0, 1)] // EU868: DR5, TXPower 2, channels 0-7, NbTrans 1
    [InlineData("03 30 00 FF 71", 3, 0, 0xFF00, 7, 1)] // US915: DR3, channels 8-15 of the block, ChMaskCntl 7
    [InlineData("03 FF FF FF 7F", 15, 15, 0xFFFF, 7, 15)]
    public void LinkAdrReq(string hex, byte dataRate, byte txPower, ushort channelMask, byte channelMaskControl, byte nbTrans)
    {
        var c = ParseSingle(hex, Down);
        Assert.Equal(MacCommandKind.LinkAdrReq, c.Kind);
        Assert.Equal(dataRate, c.DataRate);
        Assert.Equal(txPower, c.TxPower);
        Assert.Equal(channelMask, c.ChannelMask);
        Assert.Equal(channelMaskControl, c.ChannelMaskControl);
        Assert.Equal(nbTrans, c.NbTrans);
        Assert.Equal(hex.Replace(" ", ""), Write(MacCommand.LinkAdrReq(dataRate, txPower, channelMask, channelMaskControl, nbTrans)));
    }

    [Fact] // §5.3: DutyCycleReq MaxDCycle 7 (1/128).
    public void DutyCycleReq()
    {
        var c = ParseSingle("04 07", Down);
        Assert.Equal(MacCommandKind.DutyCycleReq, c.Kind);
        Assert.Equal(7, c.MaxDutyCycle);
        Assert.Equal("0407", Write(MacCommand.DutyCycleReq(7)));
    }

    [Fact] // §5.4: RXParamSetupReq DLsettings (RX1DRoffset 2, RX2DataRate 3), Frequency 869.525 MHz = 8695250 x 100 Hz = 0x84ADD2 LE.
    public void RxParamSetupReq()
    {
        var c = ParseSingle("05 23 D2 AD 84", Down);
        Assert.Equal(MacCommandKind.RxParamSetupReq, c.Kind);
        Assert.Equal(2, c.Rx1DataRateOffset);
        Assert.Equal(3, c.Rx2DataRate);
        Assert.Equal(869_525_000u, c.FrequencyHz);
        Assert.Equal("0523D2AD84", Write(MacCommand.RxParamSetupReq(2, 3, 869_525_000)));
    }

    [Fact] // §5.5: DevStatusReq has no payload.
    public void DevStatusReq()
    {
        Assert.Equal(MacCommandKind.DevStatusReq, ParseSingle("06", Down).Kind);
        Assert.Equal("06", Write(MacCommand.DevStatusReq()));
    }

    [Fact] // §5.6.1: NewChannelReq ChIndex 3, Freq 867.1 MHz (0x844F18 LE), DrRange MaxDR 5 / MinDR 0.
    public void NewChannelReq()
    {
        var c = ParseSingle("07 03 18 4F 84 50", Down);
        Assert.Equal(MacCommandKind.NewChannelReq, c.Kind);
        Assert.Equal(3, c.ChannelIndex);
        Assert.Equal(867_100_000u, c.FrequencyHz);
        Assert.Equal(5, c.MaxDataRate);
        Assert.Equal(0, c.MinDataRate);
        Assert.Equal("0703184F8450", Write(MacCommand.NewChannelReq(3, 867_100_000, minDataRate: 0, maxDataRate: 5)));
    }

    [Fact] // §5.6.1: frequency 0 disables the channel.
    public void NewChannelReqDisablingAChannel()
    {
        var c = ParseSingle("07 05 00 00 00 00", Down);
        Assert.Equal(5, c.ChannelIndex);
        Assert.Equal(0u, c.FrequencyHz);
        Assert.Equal("070500000000", Write(MacCommand.NewChannelReq(5, 0, 0, 0)));
    }

    [Fact] // §5.7: RXTimingSetupReq Del 5 s.
    public void RxTimingSetupReq()
    {
        var c = ParseSingle("08 05", Down);
        Assert.Equal(MacCommandKind.RxTimingSetupReq, c.Kind);
        Assert.Equal(5, c.RxDelay);
        Assert.Equal("0805", Write(MacCommand.RxTimingSetupReq(5)));
    }

    [Fact] // §5.8: TxParamSetupReq 0x3A: both dwell-time limits, MaxEIRP index 10 (26 dBm).
    public void TxParamSetupReq()
    {
        var c = ParseSingle("09 3A", Down);
        Assert.Equal(MacCommandKind.TxParamSetupReq, c.Kind);
        Assert.True(c.DownlinkDwellTime);
        Assert.True(c.UplinkDwellTime);
        Assert.Equal(10, c.MaxEirpIndex);
        Assert.Equal("093A", Write(MacCommand.TxParamSetupReq(true, true, 10)));
        Assert.Equal("0925", Write(MacCommand.TxParamSetupReq(downlinkDwellTime: true, uplinkDwellTime: false, maxEirpIndex: 5)));
    }

    [Fact] // §5.6.2: DlChannelReq ChIndex 0, Freq 868.1 MHz (0x847628 LE).
    public void DlChannelReq()
    {
        var c = ParseSingle("0A 00 28 76 84", Down);
        Assert.Equal(MacCommandKind.DlChannelReq, c.Kind);
        Assert.Equal(0, c.ChannelIndex);
        Assert.Equal(868_100_000u, c.FrequencyHz);
        Assert.Equal("0A00287684", Write(MacCommand.DlChannelReq(0, 868_100_000)));
    }

    [Fact] // 1.1 §5.10: RekeyConf, Minor = 1.
    public void RekeyConf()
    {
        var c = ParseSingle("0B 01", Down);
        Assert.Equal(MacCommandKind.RekeyConf, c.Kind);
        Assert.Equal(1, c.LoRaWanMinorVersion);
        Assert.Equal("0B01", Write(MacCommand.RekeyConf(1)));
    }

    [Fact] // 1.1 §5.11: ADRParamSetupReq Limit_exp 6 (64), Delay_exp 5 (32).
    public void AdrParamSetupReq()
    {
        var c = ParseSingle("0C 65", Down);
        Assert.Equal(MacCommandKind.AdrParamSetupReq, c.Kind);
        Assert.Equal(6, c.AdrAckLimitExponent);
        Assert.Equal(5, c.AdrAckDelayExponent);
        Assert.Equal("0C65", Write(MacCommand.AdrParamSetupReq(6, 5)));
    }

    [Fact] // §5.9: DeviceTimeAns 1 400 000 000 s since GPS epoch (0x53724E00 LE) + 128/256 s.
    public void DeviceTimeAns()
    {
        var c = ParseSingle("0D 00 4E 72 53 80", Down);
        Assert.Equal(MacCommandKind.DeviceTimeAns, c.Kind);
        Assert.Equal(1_400_000_000u, c.GpsEpochSeconds);
        Assert.Equal(0x80, c.GpsFractionalSecond);
        Assert.Equal(TimeSpan.FromSeconds(1_400_000_000.5), c.TimeSinceGpsEpoch);
        Assert.Equal("0D004E725380", Write(MacCommand.DeviceTimeAns(1_400_000_000, 0x80)));
        Assert.Equal("0D004E725380", Write(MacCommand.DeviceTimeAns(TimeSpan.FromSeconds(1_400_000_000.5))));
    }

    [Fact] // 1.1 §5.13: ForceRejoinReq, 16 bits LE: Period 3 (13:11), Max_Retries 2 (10:8), RejoinType 2 (6:4), DR 5 (3:0) = 0x1A25.
    public void ForceRejoinReq()
    {
        var c = ParseSingle("0E 25 1A", Down);
        Assert.Equal(MacCommandKind.ForceRejoinReq, c.Kind);
        Assert.Equal(3, c.RejoinPeriod);
        Assert.Equal(2, c.MaxRetries);
        Assert.Equal(2, c.RejoinType);
        Assert.Equal(5, c.DataRate);
        Assert.Equal("0E251A", Write(MacCommand.ForceRejoinReq(rejoinPeriod: 3, maxRetries: 2, rejoinType: 2, dataRate: 5)));
    }

    [Fact] // 1.1 §5.14: RejoinParamSetupReq MaxTimeN 10, MaxCountN 7.
    public void RejoinParamSetupReq()
    {
        var c = ParseSingle("0F A7", Down);
        Assert.Equal(MacCommandKind.RejoinParamSetupReq, c.Kind);
        Assert.Equal(10, c.MaxTimeN);
        Assert.Equal(7, c.MaxCountN);
        Assert.Equal("0FA7", Write(MacCommand.RejoinParamSetupReq(10, 7)));
    }

    [Fact] // Class B: PingSlotInfoAns has no payload.
    public void PingSlotInfoAns()
    {
        Assert.Equal(MacCommandKind.PingSlotInfoAns, ParseSingle("10", Down).Kind);
        Assert.Equal("10", Write(MacCommand.PingSlotInfoAns()));
    }

    [Fact] // Class B: PingSlotChannelReq Frequency 923.3 MHz (0x8CE268 LE), DR 8.
    public void PingSlotChannelReq()
    {
        var c = ParseSingle("11 68 E2 8C 08", Down);
        Assert.Equal(MacCommandKind.PingSlotChannelReq, c.Kind);
        Assert.Equal(923_300_000u, c.FrequencyHz);
        Assert.Equal(8, c.DataRate);
        Assert.Equal("1168E28C08", Write(MacCommand.PingSlotChannelReq(923_300_000, 8)));
    }

    [Fact] // LoRaWAN 1.0.2 Class B (deprecated): BeaconTimingAns Delay 0x1234 (LE), Channel 5.
    public void BeaconTimingAns()
    {
        var c = ParseSingle("12 34 12 05", Down);
        Assert.Equal(MacCommandKind.BeaconTimingAns, c.Kind);
        Assert.Equal(0x1234, c.BeaconDelay);
        Assert.Equal(5, c.BeaconChannel);
        Assert.Equal("12341205", Write(MacCommand.BeaconTimingAns(0x1234, 5)));
    }

    [Fact] // Class B: BeaconFreqReq Frequency 869.525 MHz.
    public void BeaconFreqReq()
    {
        var c = ParseSingle("13 D2 AD 84", Down);
        Assert.Equal(MacCommandKind.BeaconFreqReq, c.Kind);
        Assert.Equal(869_525_000u, c.FrequencyHz);
        Assert.Equal("13D2AD84", Write(MacCommand.BeaconFreqReq(869_525_000)));
    }

    [Fact] // 1.1 Class C: DeviceModeConf Class = 0 (A).
    public void DeviceModeConf()
    {
        var c = ParseSingle("20 00", Down);
        Assert.Equal(MacCommandKind.DeviceModeConf, c.Kind);
        Assert.Equal(DeviceModeClass.A, c.DeviceClass);
        Assert.Equal("2000", Write(MacCommand.DeviceModeConf(DeviceModeClass.A)));
    }

    // ---------------- Whole sequences ----------------

    [Fact] // A typical uplink FOpts answering a LinkADRReq and a DevStatusReq, then asking for the time.
    public void UplinkSequence()
    {
        var bytes = FromHex("03 07 06 FF 0A 0D");
        Span<MacCommand> commands = stackalloc MacCommand[4];
        var result = MacCommandReader.ReadAll(bytes, uplink: true, commands);
        Assert.Equal(MacCommandParseStatus.Completed, result.Status);
        Assert.Equal(3, result.Count);
        Assert.Equal(MacCommand.LinkAdrAns(true, true, true), commands[0]);
        Assert.Equal(MacCommand.DevStatusAns(255, 10), commands[1]);
        Assert.Equal(MacCommand.DeviceTimeReq(), commands[2]);
    }

    [Fact] // Two contiguous LinkADRReq (a US915 block) plus a DevStatusReq, as one downlink.
    public void DownlinkSequence()
    {
        ReadOnlySpan<MacCommand> commands =
        [
            MacCommand.LinkAdrReq(0, 0, 0x0000, 7, 0),
            MacCommand.LinkAdrReq(3, 2, 0x00FF, 0, 1),
            MacCommand.DevStatusReq(),
        ];
        Span<byte> buffer = stackalloc byte[MacCommandWriter.MaxFOptsLength];
        Assert.True(MacCommandWriter.TryWriteFOpts(buffer, commands, out var written));
        Assert.Equal("030000007003 32FF000106".Replace(" ", ""), ToHex(buffer[..written]));
    }
}
