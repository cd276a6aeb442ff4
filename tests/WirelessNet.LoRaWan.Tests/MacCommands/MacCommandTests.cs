using WirelessNet.LoRaWan.MacCommands;

namespace WirelessNet.LoRaWan.Tests.MacCommands;

public sealed class MacCommandTests
{
    [Fact]
    public void AccessorOfAnotherCommandThrows()
    {
        var devStatus = MacCommand.DevStatusAns(100, 5);
        var error = Assert.Throws<InvalidOperationException>(() => devStatus.LinkMarginDb);
        Assert.Equal("LinkMarginDb is not a field of DevStatusAns.", error.Message);
        Assert.Throws<InvalidOperationException>(() => devStatus.FrequencyHz);
        Assert.Throws<InvalidOperationException>(() => devStatus.DataRate);
        Assert.Throws<InvalidOperationException>(() => default(MacCommand).Battery);
    }

    [Fact]
    public void DefaultCommandIsEmpty()
    {
        var none = default(MacCommand);
        Assert.Equal(MacCommandKind.None, none.Kind);
        Assert.Equal(0, none.Size);
        Assert.Equal(0, none.PayloadLength);
        Assert.Equal("(none)", none.ToString());
    }

    [Fact]
    public void IdentityComesFromTheKind()
    {
        var command = MacCommand.LinkAdrReq(5, 2, 0x00FF, 0, 1);
        Assert.Equal(0x03, command.Cid);
        Assert.Equal(MacCommandDirection.Downlink, command.Direction);
        Assert.Equal(4, command.PayloadLength);
        Assert.Equal(5, command.Size);

        var answer = MacCommand.LinkAdrAns(true, true, true);
        Assert.Equal(0x03, answer.Cid);
        Assert.Equal(MacCommandDirection.Uplink, answer.Direction);
        Assert.NotEqual(command.Kind, answer.Kind);
    }

    [Fact]
    public void EqualityIsOnTheWireBytes()
    {
        Assert.Equal(MacCommand.LinkCheckAns(20, 3), MacCommand.LinkCheckAns(20, 3));
        Assert.True(MacCommand.LinkCheckAns(20, 3) == MacCommand.LinkCheckAns(20, 3));
        Assert.True(MacCommand.LinkCheckAns(20, 3) != MacCommand.LinkCheckAns(20, 4));
        Assert.Equal(MacCommand.LinkCheckAns(20, 3).GetHashCode(), MacCommand.LinkCheckAns(20, 3).GetHashCode());
        Assert.NotEqual(MacCommand.ResetInd(1), MacCommand.ResetConf(1));
        Assert.False(MacCommand.ResetInd(1).Equals((object)"ResetInd"));
    }

    [Fact]
    public void CopyPayloadToCopiesTheRawBytes()
    {
        Span<byte> payload = stackalloc byte[8];
        var length = MacCommand.NewChannelReq(3, 867_100_000, 0, 5).CopyPayloadTo(payload);
        Assert.Equal("03184F8450", Convert.ToHexString(payload[..length]));
        Assert.Throws<ArgumentException>(() => MacCommand.NewChannelReq(3, 867_100_000, 0, 5).CopyPayloadTo(new byte[4]));
    }

    [Fact]
    public void ToStringShowsTheDecodedFields()
    {
        Assert.Equal(
            "LinkAdrReq(DataRate=5, TxPower=2, ChannelMask=0x00ff, ChannelMaskControl=0, NbTrans=1)",
            MacCommand.LinkAdrReq(5, 2, 0x00FF, 0, 1).ToString());
        Assert.Equal("DevStatusAns(Battery=255, SnrMargin=-32)", MacCommand.DevStatusAns(255, -32).ToString());
        Assert.Equal("DevStatusReq()", MacCommand.DevStatusReq().ToString());
    }

    [Fact]
    public void FactoriesRejectValuesThatDoNotFitTheirField()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MacCommand.LinkAdrReq(16, 0, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MacCommand.LinkAdrReq(0, 0, 0, 8, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MacCommand.DevStatusAns(0, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => MacCommand.DevStatusAns(0, -33));
        Assert.Throws<ArgumentOutOfRangeException>(() => MacCommand.PingSlotInfoReq(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => MacCommand.ForceRejoinReq(8, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MacCommand.ResetInd(16));
        Assert.Throws<ArgumentOutOfRangeException>(() => MacCommand.DeviceTimeAns(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => MacCommand.DeviceTimeAns(TimeSpan.FromSeconds(uint.MaxValue + 1L)));
    }

    [Fact]
    public void FrequenciesMustBeWholeStepsInTwentyFourBits()
    {
        Assert.Equal(MacCommand.MaxFrequencyHz, MacCommand.BeaconFreqReq(MacCommand.MaxFrequencyHz).FrequencyHz);
        Assert.Throws<ArgumentOutOfRangeException>(() => MacCommand.BeaconFreqReq(MacCommand.MaxFrequencyHz + 100));
        var notAStep = Assert.Throws<ArgumentException>(() => MacCommand.DlChannelReq(0, 868_100_050));
        Assert.Equal("frequencyHz", notAStep.ParamName);
    }

    [Fact]
    public void DeviceTimeFromTimeSpanTruncatesToTheFractionStep()
    {
        var command = MacCommand.DeviceTimeAns(TimeSpan.FromSeconds(10) + TimeSpan.FromMilliseconds(999));
        Assert.Equal(10u, command.GpsEpochSeconds);
        Assert.Equal(255, command.GpsFractionalSecond); // 0.999 s * 256 = 255.7
        // 255/256 s is 9 960 937.5 ticks: rounded up, so converting back lands on the same step.
        Assert.Equal(TimeSpan.FromSeconds(10) + TimeSpan.FromTicks(9_960_938), command.TimeSinceGpsEpoch);
        Assert.Equal(command, MacCommand.DeviceTimeAns(command.TimeSinceGpsEpoch));
    }
}
