using WirelessNet.LoRaWan.MacCommands;

namespace WirelessNet.LoRaWan.Tests.MacCommands;

public sealed class MacCommandWriterTests
{
    [Fact]
    public void WriteIntoATooSmallDestinationThrows()
    {
        Assert.Throws<ArgumentException>(() => MacCommandWriter.Write(new byte[4], MacCommand.LinkAdrReq(0, 0, 0, 0, 0)));
    }

    [Fact]
    public void TryWriteIntoATooSmallDestinationWritesNothing()
    {
        var destination = new byte[] { 0xAA, 0xAA };
        Assert.False(MacCommandWriter.TryWrite(destination, MacCommand.LinkCheckAns(1, 2), out var written));
        Assert.Equal(0, written);
        Assert.Equal(new byte[] { 0xAA, 0xAA }, destination);
    }

    [Fact]
    public void DefaultCommandCannotBeWritten()
    {
        Assert.Throws<ArgumentException>(() => MacCommandWriter.TryWrite(new byte[8], default, out _));
        Assert.Throws<ArgumentException>(() => MacCommandWriter.TryWriteAll(new byte[8], new MacCommand[] { MacCommand.DevStatusReq(), default }, out _));
    }

    [Fact]
    public void MixedDirectionsAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            MacCommandWriter.TryWriteAll(new byte[8], new[] { MacCommand.DevStatusReq(), MacCommand.LinkCheckReq() }, out _));
        Assert.Contains("different directions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FOptsHoldsAtMostFifteenBytes()
    {
        // 3 x LinkADRReq (5 bytes each) = 15 bytes: fits exactly.
        var three = Enumerable.Repeat(MacCommand.LinkAdrReq(1, 1, 0x0007, 0, 1), 3).ToArray();
        var destination = new byte[64];
        Assert.True(MacCommandWriter.TryWriteFOpts(destination, three, out var written));
        Assert.Equal(15, written);

        // One more byte does not, however large the destination.
        var tooMany = three.Append(MacCommand.DevStatusReq()).ToArray();
        Assert.Equal(16, MacCommandWriter.GetSize(tooMany));
        Assert.False(MacCommandWriter.TryWriteFOpts(destination, tooMany, out written));
        Assert.Equal(0, written);

        // FRMPayload on FPort 0 has no such limit.
        Assert.True(MacCommandWriter.TryWriteAll(destination, tooMany, out written));
        Assert.Equal(16, written);
    }

    [Fact]
    public void SequenceThatDoesNotFitWritesNothing()
    {
        var destination = new byte[6];
        Assert.False(MacCommandWriter.TryWriteAll(destination, new[] { MacCommand.DevStatusReq(), MacCommand.NewChannelReq(1, 0, 0, 0) }, out var written));
        Assert.Equal(0, written);
        Assert.All(destination, b => Assert.Equal(0, b));
    }

    [Fact]
    public void EmptySequenceWritesNothingAndSucceeds()
    {
        Assert.True(MacCommandWriter.TryWriteFOpts([], [], out var written));
        Assert.Equal(0, written);
        Assert.Equal(0, MacCommandWriter.GetSize(ReadOnlySpan<MacCommand>.Empty));
    }

    [Fact]
    public void SizeOfOneCommand()
    {
        Assert.Equal(6, MacCommandWriter.GetSize(MacCommand.DeviceTimeAns(0, 0)));
        Assert.Equal(1, MacCommandWriter.GetSize(MacCommand.DeviceTimeReq()));
    }
}
