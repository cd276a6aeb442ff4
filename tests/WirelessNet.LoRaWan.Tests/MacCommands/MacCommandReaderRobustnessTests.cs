using WirelessNet.LoRaWan.MacCommands;

namespace WirelessNet.LoRaWan.Tests.MacCommands;

// Fuzzing with a fixed seed: 200 000 random, mutated and truncated buffers, each read in both directions.
// The reader must never throw, must stop within buffer.Length + 1 calls, must explain every early stop, and
// what it did parse must re-serialize to exactly the bytes it consumed.
public sealed class MacCommandReaderRobustnessTests
{
    private const int Buffers = 200_000;

    [Fact]
    public void RandomAndMutatedBuffersNeverBreakTheReader()
    {
        var rng = new Random(0xF022);
        var commands = new MacCommand[64];
        var statuses = new Dictionary<MacCommandParseStatus, int>();
        Span<MacCommand> destination = stackalloc MacCommand[8];
        for (var i = 0; i < Buffers; i++)
        {
            var buffer = NextBuffer(rng, i % 4);
            foreach (var uplink in (ReadOnlySpan<bool>)[true, false])
            {
                var status = CheckReader(buffer, uplink, commands);
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                CheckReadAll(buffer, uplink, destination[..rng.Next(destination.Length + 1)], status);
            }
        }

        // The generator must actually reach every way of stopping, or the test proves less than it claims.
        Assert.All(
            new[] { MacCommandParseStatus.Completed, MacCommandParseStatus.UnknownCid, MacCommandParseStatus.Truncated, MacCommandParseStatus.Proprietary },
            s => Assert.True(statuses.GetValueOrDefault(s) > 1_000, $"{s}: {statuses.GetValueOrDefault(s)}"));
    }

    private static MacCommandParseStatus CheckReader(byte[] buffer, bool uplink, MacCommand[] commands)
    {
        var reader = new MacCommandReader(buffer, uplink);
        var count = 0;
        var consumed = 0;
        while (reader.TryRead(out var command))
        {
            Assert.True(count < buffer.Length, "More commands than bytes: the reader is not making progress.");
            Assert.NotEqual(MacCommandKind.None, command.Kind);
            consumed += command.Size;
            commands[count++] = command;
        }

        var status = reader.Status;
        Assert.NotEqual(MacCommandParseStatus.InProgress, status);
        Assert.NotEqual(MacCommandParseStatus.DestinationTooSmall, status);
        Assert.False(reader.TryRead(out _));
        Assert.Equal(status, reader.Status);
        Assert.Equal(count, reader.Count);
        Assert.Equal(consumed, reader.Offset);
        Assert.False(string.IsNullOrWhiteSpace(reader.Describe()));

        if (status == MacCommandParseStatus.Completed)
        {
            Assert.Equal(buffer.Length, reader.Offset);
        }
        else
        {
            Assert.True(reader.Offset < buffer.Length);
            Assert.Equal(buffer[reader.Offset], reader.Cid);
            Assert.Equal(buffer.Length - reader.Offset, reader.Remaining.Length);
            var consistent = status switch
            {
                MacCommandParseStatus.Proprietary => reader.Cid >= 0x80,
                MacCommandParseStatus.UnknownCid => reader.Cid < 0x80 && MacCommandLayout.PayloadLength(MacCommandLayout.KindOf(reader.Cid, reader.Direction)) < 0,
                _ => reader.Cid < 0x80 && MacCommandLayout.PayloadLength(MacCommandLayout.KindOf(reader.Cid, reader.Direction)) > buffer.Length - reader.Offset - 1,
            };
            Assert.True(consistent, reader.Describe());
        }

        // What was parsed writes back to exactly the consumed prefix.
        var rewritten = new byte[consumed];
        Assert.True(MacCommandWriter.TryWriteAll(rewritten, commands.AsSpan(0, count), out var written));
        Assert.Equal(consumed, written);
        Assert.True(rewritten.AsSpan().SequenceEqual(buffer.AsSpan(0, consumed)));
        return status;
    }

    private static void CheckReadAll(byte[] buffer, bool uplink, Span<MacCommand> destination, MacCommandParseStatus readerStatus)
    {
        var result = MacCommandReader.ReadAll(buffer, uplink, destination);
        Assert.False(string.IsNullOrWhiteSpace(result.Describe()));
        Assert.True(result.Count <= destination.Length);
        if (result.Status == MacCommandParseStatus.DestinationTooSmall)
        {
            Assert.Equal(destination.Length, result.Count);
            Assert.True(result.Offset < buffer.Length);
        }
        else
        {
            Assert.Equal(readerStatus, result.Status);
        }
    }

    private static byte[] NextBuffer(Random rng, int strategy)
    {
        switch (strategy)
        {
            case 0:
                {
                    // Uniform noise, short and long.
                    var bytes = new byte[rng.Next(0, 40)];
                    rng.NextBytes(bytes);
                    return bytes;
                }

            case 1:
                {
                    // Bytes biased towards defined CIDs, so parses run deep before they stop.
                    var bytes = new byte[rng.Next(0, 40)];
                    for (var j = 0; j < bytes.Length; j++)
                    {
                        bytes[j] = rng.Next(4) switch
                        {
                            0 => (byte)rng.Next(256),
                            1 => 0x20,
                            _ => (byte)rng.Next(0x01, 0x14),
                        };
                    }

                    return bytes;
                }

            default:
                {
                    // A well-formed sequence, then mutated: truncated, bytes flipped, or a random CID spliced in.
                    var uplink = rng.Next(2) == 0;
                    var kinds = Enum.GetValues<MacCommandKind>().Where(k => k != MacCommandKind.None && (((ushort)k & 1) == 0) == uplink).ToArray();
                    var sequence = new MacCommand[rng.Next(1, 8)];
                    for (var j = 0; j < sequence.Length; j++)
                    {
                        sequence[j] = MacCommandRoundTripTests.RandomCommand(kinds[rng.Next(kinds.Length)], rng).Command;
                    }

                    var bytes = new byte[MacCommandWriter.GetSize(sequence)];
                    MacCommandWriter.TryWriteAll(bytes, sequence, out _);
                    if (strategy == 2)
                    {
                        return bytes[..rng.Next(bytes.Length + 1)];
                    }

                    var mutated = bytes.ToList();
                    for (var m = rng.Next(1, 4); m > 0 && mutated.Count > 0; m--)
                    {
                        var at = rng.Next(mutated.Count);
                        switch (rng.Next(3))
                        {
                            case 0: mutated[at] ^= (byte)(1 << rng.Next(8)); break;
                            case 1: mutated.Insert(at, (byte)rng.Next(256)); break;
                            default: mutated.RemoveAt(at); break;
                        }
                    }

                    return [.. mutated];
                }
        }
    }
}
