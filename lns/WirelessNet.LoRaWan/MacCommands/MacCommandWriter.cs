namespace WirelessNet.LoRaWan.MacCommands;

/// <summary>Serializes MAC commands: one at a time, or a whole sequence for FOpts or for an FPort 0 FRMPayload.</summary>
/// <remarks>
/// Running out of room is an expected outcome when packing a frame, so the Try methods report it with false and
/// write nothing. A <c>default</c> <see cref="MacCommand"/>, or uplink and downlink commands mixed in one
/// sequence, is a programming error and throws <see cref="ArgumentException"/>.
/// </remarks>
public static class MacCommandWriter
{
    /// <summary>FOpts is at most 15 bytes (FCtrl.FOptsLen is 4 bits; LoRaWAN 1.0.4 §4.3.1.6).</summary>
    public const int MaxFOptsLength = 15;

    /// <summary>Bytes <paramref name="command"/> occupies on the wire (CID plus payload).</summary>
    public static int GetSize(in MacCommand command) => command.Size;

    /// <summary>Bytes the whole sequence occupies on the wire.</summary>
    public static int GetSize(ReadOnlySpan<MacCommand> commands)
    {
        var size = 0;
        foreach (ref readonly var command in commands)
        {
            size += command.Size;
        }

        return size;
    }

    /// <summary>Writes one command and returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is too small, or the command is <c>default</c>.</exception>
    public static int Write(Span<byte> destination, in MacCommand command)
    {
        if (!TryWrite(destination, command, out var written))
        {
            throw new ArgumentException($"{command.Kind} needs {command.Size} bytes; the destination holds {destination.Length}.", nameof(destination));
        }

        return written;
    }

    /// <summary>Writes one command; false (and nothing written) when the destination is too small.</summary>
    /// <exception cref="ArgumentException">The command is <c>default</c>.</exception>
    public static bool TryWrite(Span<byte> destination, in MacCommand command, out int written)
    {
        RequireCommand(command, nameof(command));
        var size = command.Size;
        if (destination.Length < size)
        {
            written = 0;
            return false;
        }

        destination[0] = command.Cid;
        command.WritePayload(destination[1..]);
        written = size;
        return true;
    }

    /// <summary>
    /// Writes a sequence, for example the FRMPayload of an FPort 0 frame; false (and nothing written) when it
    /// does not fit in <paramref name="destination"/>, which the caller sizes to the region's maximum payload.
    /// </summary>
    /// <exception cref="ArgumentException">A command is <c>default</c>, or the directions are mixed.</exception>
    public static bool TryWriteAll(Span<byte> destination, ReadOnlySpan<MacCommand> commands, out int written)
    {
        var size = CheckedSize(commands);
        if (destination.Length < size)
        {
            written = 0;
            return false;
        }

        written = 0;
        foreach (ref readonly var command in commands)
        {
            destination[written] = command.Cid;
            command.WritePayload(destination[(written + 1)..]);
            written += command.Size;
        }

        return true;
    }

    /// <summary>
    /// Writes a sequence into FOpts; false (and nothing written) when it exceeds <see cref="MaxFOptsLength"/>
    /// bytes or the destination.
    /// </summary>
    /// <exception cref="ArgumentException">A command is <c>default</c>, or the directions are mixed.</exception>
    public static bool TryWriteFOpts(Span<byte> destination, ReadOnlySpan<MacCommand> commands, out int written)
    {
        if (CheckedSize(commands) > MaxFOptsLength)
        {
            written = 0;
            return false;
        }

        return TryWriteAll(destination, commands, out written);
    }

    private static int CheckedSize(ReadOnlySpan<MacCommand> commands)
    {
        var size = 0;
        for (var i = 0; i < commands.Length; i++)
        {
            RequireCommand(commands[i], nameof(commands));
            if (commands[i].Direction != commands[0].Direction)
            {
                throw new ArgumentException(
                    $"Commands {0} ({commands[0].Kind}) and {i} ({commands[i].Kind}) travel in different directions; one frame carries one direction.",
                    nameof(commands));
            }

            size += commands[i].Size;
        }

        return size;
    }

    private static void RequireCommand(in MacCommand command, string paramName)
    {
        if (command.Kind == MacCommandKind.None)
        {
            throw new ArgumentException("A default MacCommand has no CID and cannot be written.", paramName);
        }
    }
}
