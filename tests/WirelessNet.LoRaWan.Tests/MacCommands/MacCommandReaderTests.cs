using WirelessNet.LoRaWan.MacCommands;
using static WirelessNet.LoRaWan.Tests.MacCommands.MacCommandTestBytes;

namespace WirelessNet.LoRaWan.Tests.MacCommands;

public sealed class MacCommandReaderTests
{
    [Fact]
    public void EmptyBufferCompletesWithNoCommands()
    {
        var reader = new MacCommandReader([], uplink: true);
        Assert.False(reader.TryRead(out var command));
        Assert.Equal(default, command);
        Assert.Equal(MacCommandParseStatus.Completed, reader.Status);
        Assert.Equal(0, reader.Count);
        Assert.Contains("Completed", reader.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void StatusIsInProgressUntilTheReaderStops()
    {
        var reader = new MacCommandReader(FromHex("02 02"), uplink: true);
        Assert.Equal(MacCommandParseStatus.InProgress, reader.Status);
        Assert.True(reader.TryRead(out _));
        Assert.Equal(MacCommandParseStatus.InProgress, reader.Status);
        Assert.Equal(1, reader.Offset);
        Assert.Contains("In progress", reader.Describe(), StringComparison.Ordinal);
    }

    [Fact] // The same bytes mean different things each way: LinkCheck is 0 bytes uplink and 2 bytes downlink.
    public void LengthDependsOnDirection()
    {
        var bytes = FromHex("02 14 03");

        var down = new MacCommandReader(bytes, uplink: false);
        Assert.True(down.TryRead(out var answer));
        Assert.Equal(MacCommandKind.LinkCheckAns, answer.Kind);
        Assert.False(down.TryRead(out _));
        Assert.Equal(MacCommandParseStatus.Completed, down.Status);

        var up = new MacCommandReader(bytes, uplink: true);
        Assert.True(up.TryRead(out var request));
        Assert.Equal(MacCommandKind.LinkCheckReq, request.Kind);
        Assert.False(up.TryRead(out _));
        Assert.Equal(MacCommandParseStatus.UnknownCid, up.Status);
        Assert.Equal(0x14, up.Cid);
        Assert.Equal(1, up.Offset);
    }

    [Theory]
    [InlineData("00", true)] // CID 0x00 is RFU
    [InlineData("14", false)] // 0x14-0x1F RFU
    [InlineData("21 00", true)] // 0x21-0x7F RFU
    [InlineData("40 00 00", false)] // relay (TS011) commands are not implemented
    [InlineData("7F", true)]
    public void UndefinedCidStopsWithUnknownCid(string hex, bool uplink)
    {
        var reader = new MacCommandReader(FromHex(hex), uplink);
        Assert.False(reader.TryRead(out _));
        Assert.Equal(MacCommandParseStatus.UnknownCid, reader.Status);
        Assert.Equal(FromHex(hex)[0], reader.Cid);
        Assert.Equal(0, reader.Offset);
        Assert.Contains("not a LoRaWAN", reader.Describe(), StringComparison.Ordinal);
    }

    [Fact] // ForceRejoinReq has no answer: 0x0E uplink is undefined and the reason says so.
    public void ForceRejoinUplinkIsUnknown()
    {
        var reader = new MacCommandReader(FromHex("02 0E 00"), uplink: true);
        Assert.True(reader.TryRead(out _));
        Assert.False(reader.TryRead(out _));
        Assert.Equal(MacCommandParseStatus.UnknownCid, reader.Status);
        Assert.Equal(0x0E, reader.Cid);
        Assert.Equal(1, reader.Offset);
        var reason = reader.Describe();
        Assert.Contains("ForceRejoinReq", reason, StringComparison.Ordinal);
        Assert.Contains("only sent downlink", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortPayloadStopsWithTruncated()
    {
        var reader = new MacCommandReader(FromHex("06 03 52 FF"), uplink: false);
        Assert.True(reader.TryRead(out var devStatusReq));
        Assert.Equal(MacCommandKind.DevStatusReq, devStatusReq.Kind);
        Assert.False(reader.TryRead(out _));
        Assert.Equal(MacCommandParseStatus.Truncated, reader.Status);
        Assert.Equal(0x03, reader.Cid);
        Assert.Equal(1, reader.Offset);
        Assert.Equal(3, reader.Remaining.Length);
        var reason = reader.Describe();
        Assert.Contains("LinkAdrReq", reason, StringComparison.Ordinal);
        Assert.Contains("needs 4 payload byte(s) but only 2 remain", reason, StringComparison.Ordinal);
    }

    [Fact] // Proprietary lengths are vendor-defined: stop on the CID and hand the rest over untouched.
    public void ProprietaryCidStopsAndLeavesTheRestUnparsed()
    {
        var reader = new MacCommandReader(FromHex("02 80 01 02"), uplink: true);
        Assert.True(reader.TryRead(out _));
        Assert.False(reader.TryRead(out _));
        Assert.Equal(MacCommandParseStatus.Proprietary, reader.Status);
        Assert.Equal(0x80, reader.Cid);
        Assert.Equal(1, reader.Offset);
        Assert.Equal("800102", ToHex(reader.Remaining));
        Assert.Contains("Proprietary CID 0x80", reader.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void AStoppedReaderStaysStopped()
    {
        var reader = new MacCommandReader(FromHex("FF 02"), uplink: true);
        for (var i = 0; i < 3; i++)
        {
            Assert.False(reader.TryRead(out _));
            Assert.Equal(MacCommandParseStatus.Proprietary, reader.Status);
            Assert.Equal(0, reader.Offset);
        }
    }

    [Fact] // BeaconTiming (0x12) is deprecated but has a fixed length, so it is parsed and the reader continues.
    public void DeprecatedBeaconTimingIsParsed()
    {
        var reader = new MacCommandReader(FromHex("12 34 12 05 06"), uplink: false);
        Assert.True(reader.TryRead(out var beaconTiming));
        Assert.Equal(MacCommandKind.BeaconTimingAns, beaconTiming.Kind);
        Assert.True(reader.TryRead(out var devStatus));
        Assert.Equal(MacCommandKind.DevStatusReq, devStatus.Kind);
    }

    [Fact]
    public void ReadAllReportsAFullDestination()
    {
        var bytes = FromHex("02 0D 06 01 02");
        Span<MacCommand> two = stackalloc MacCommand[2];
        var result = MacCommandReader.ReadAll(bytes, uplink: true, two);
        Assert.Equal(MacCommandParseStatus.DestinationTooSmall, result.Status);
        Assert.Equal(2, result.Count);
        Assert.Equal(2, result.Offset);
        Assert.Equal(MacCommandKind.DeviceTimeReq, two[1].Kind);
        Assert.Contains("Destination full", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAllWithAnExactlySizedDestinationCompletes()
    {
        Span<MacCommand> two = stackalloc MacCommand[2];
        var result = MacCommandReader.ReadAll(FromHex("02 0D"), uplink: true, two);
        Assert.Equal(MacCommandParseStatus.Completed, result.Status);
        Assert.True(result.IsCompleted);
        Assert.Equal(2, result.Count);
        Assert.Equal(2, result.Offset);
    }

    [Fact] // When the destination fills just before an unparseable byte, the real reason wins.
    public void ReadAllPrefersTheParseErrorOverAFullDestination()
    {
        Span<MacCommand> one = stackalloc MacCommand[1];
        var result = MacCommandReader.ReadAll(FromHex("02 99"), uplink: true, one);
        Assert.Equal(MacCommandParseStatus.Proprietary, result.Status);
        Assert.Equal(1, result.Count);
        Assert.Equal(1, result.Offset);
        Assert.Equal(0x99, result.Cid);
    }

    [Fact]
    public void ReadAllIntoAnEmptyDestination()
    {
        Assert.Equal(MacCommandParseStatus.Completed, MacCommandReader.ReadAll([], true, []).Status);
        Assert.Equal(MacCommandParseStatus.DestinationTooSmall, MacCommandReader.ReadAll(FromHex("02"), true, []).Status);
    }

    [Fact] // A 15-byte FOpts of 1-byte commands is the worst case for the number of commands.
    public void FifteenOneByteCommandsFitAFifteenSlotDestination()
    {
        var bytes = Enumerable.Repeat((byte)0x02, MacCommandWriter.MaxFOptsLength).ToArray();
        Span<MacCommand> slots = stackalloc MacCommand[MacCommandWriter.MaxFOptsLength];
        var result = MacCommandReader.ReadAll(bytes, uplink: true, slots);
        Assert.Equal(MacCommandParseStatus.Completed, result.Status);
        Assert.Equal(15, result.Count);
    }

    [Fact] // The codec is meant for the uplink hot path: reading and writing must not touch the heap.
    public void ReadingAndWritingDoNotAllocate()
    {
        var bytes = FromHex("03 07 06 FF 0A 0D 07 03 0A 02 0B 01 20 02");
        var commands = new MacCommand[16];
        var output = new byte[bytes.Length];
        MacCommandReader.ReadAll(bytes, uplink: true, commands);
        MacCommandWriter.TryWriteAll(output, commands.AsSpan(0, 7), out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = MacCommandReader.ReadAll(bytes, uplink: true, commands);
        var fields = commands[1].Battery + commands[1].SnrMargin + (commands[0].PowerAck ? 1 : 0);
        MacCommandWriter.TryWriteAll(output, commands.AsSpan(0, result.Count), out var written);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(MacCommandParseStatus.Completed, result.Status);
        Assert.Equal(7, result.Count);
        Assert.Equal(bytes, output[..written]);
        Assert.Equal(255 + 10 + 1, fields);
    }
}
