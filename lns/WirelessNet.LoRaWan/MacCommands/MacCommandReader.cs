namespace WirelessNet.LoRaWan.MacCommands;

/// <summary>
/// Walks a MAC command sequence (FOpts, or FRMPayload on FPort 0) one command at a time, without allocating.
/// </summary>
/// <remarks>
/// <para>
/// A MAC command carries no length: it is implied by the CID and the direction. So, as LoRaWAN 1.0.4 §5
/// prescribes, the first command the reader cannot size ends the sequence, whatever follows it. The reader
/// then reports <see cref="Status"/>, <see cref="Offset"/> and <see cref="Cid"/> and leaves the rest in
/// <see cref="Remaining"/>; it never throws and every successful read consumes at least one byte, so any
/// input terminates.
/// </para>
/// <para>
/// Proprietary CIDs (0x80–0xFF) stop the reader with <see cref="MacCommandParseStatus.Proprietary"/> rather
/// than an error status: their layout belongs to a vendor, who can continue from <see cref="Remaining"/>.
/// </para>
/// </remarks>
public ref struct MacCommandReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _offset;
    private int _count;

    /// <param name="buffer">The decrypted MAC command bytes.</param>
    /// <param name="uplink">True for commands sent by the end-device, false for commands sent by the network.</param>
    public MacCommandReader(ReadOnlySpan<byte> buffer, bool uplink)
    {
        _buffer = buffer;
        Direction = uplink ? MacCommandDirection.Uplink : MacCommandDirection.Downlink;
    }

    public readonly MacCommandDirection Direction { get; }

    /// <summary><see cref="MacCommandParseStatus.InProgress"/> until <see cref="TryRead"/> has returned false.</summary>
    public MacCommandParseStatus Status { readonly get; private set; }

    /// <summary>Offset of the next unread byte; once stopped on an error, the offset of the offending CID.</summary>
    public readonly int Offset => _offset;

    /// <summary>The CID that stopped the reader (UnknownCid, Truncated, Proprietary); 0 otherwise.</summary>
    public byte Cid { readonly get; private set; }

    /// <summary>Commands read so far.</summary>
    public readonly int Count => _count;

    /// <summary>The bytes not consumed yet, starting with the offending CID once the reader has stopped on one.</summary>
    public readonly ReadOnlySpan<byte> Remaining => _buffer[_offset..];

    /// <summary>A snapshot of the outcome so far, which outlives the reader.</summary>
    public readonly MacCommandParseResult Result => new(Status, _count, _offset, Cid, _buffer.Length, Direction);

    /// <summary>Reads the next command; false at the end of the buffer or at the first command that cannot be parsed.</summary>
    public bool TryRead(out MacCommand command)
    {
        command = default;
        if (Status != MacCommandParseStatus.InProgress)
        {
            return false;
        }

        if (_offset >= _buffer.Length)
        {
            Status = MacCommandParseStatus.Completed;
            return false;
        }

        var cid = _buffer[_offset];
        if (MacCommandLayout.IsProprietary(cid))
        {
            return Stop(MacCommandParseStatus.Proprietary, cid);
        }

        var kind = MacCommandLayout.KindOf(cid, Direction);
        var length = MacCommandLayout.PayloadLength(kind);
        if (length < 0)
        {
            return Stop(MacCommandParseStatus.UnknownCid, cid);
        }

        if (_buffer.Length - _offset - 1 < length)
        {
            return Stop(MacCommandParseStatus.Truncated, cid);
        }

        command = MacCommand.FromPayload(kind, _buffer.Slice(_offset + 1, length));
        _offset += 1 + length;
        _count++;
        return true;
    }

    /// <summary>A human-readable account of where the reader stands or why it stopped.</summary>
    public readonly string Describe() => Result.Describe();

    /// <summary>
    /// Parses <paramref name="buffer"/> into <paramref name="destination"/>. The commands parsed are the first
    /// <see cref="MacCommandParseResult.Count"/> elements; the status says why parsing stopped. When the buffer
    /// holds more commands than fit, the status is <see cref="MacCommandParseStatus.DestinationTooSmall"/>, unless
    /// the bytes after the last stored command could not have been parsed anyway.
    /// </summary>
    /// <remarks>A FOpts field holds at most 15 commands (all 1 byte), so a 15-element span always suffices for it.</remarks>
    public static MacCommandParseResult ReadAll(ReadOnlySpan<byte> buffer, bool uplink, Span<MacCommand> destination)
    {
        var reader = new MacCommandReader(buffer, uplink);
        foreach (ref var slot in destination)
        {
            if (!reader.TryRead(out slot))
            {
                return reader.Result;
            }
        }

        var stoppedAt = reader._offset;
        if (!reader.TryRead(out _))
        {
            return reader.Result;
        }

        return new MacCommandParseResult(MacCommandParseStatus.DestinationTooSmall, destination.Length, stoppedAt, 0, buffer.Length, reader.Direction);
    }

    private bool Stop(MacCommandParseStatus status, byte cid)
    {
        Status = status;
        Cid = cid;
        return false;
    }
}
