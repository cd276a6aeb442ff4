using System.Globalization;

namespace WirelessNet.LoRaWan.MacCommands;

/// <summary>Where and why parsing a MAC command sequence stopped, with how many commands came before.</summary>
public readonly struct MacCommandParseResult
{
    internal MacCommandParseResult(MacCommandParseStatus status, int count, int offset, byte cid, int bufferLength, MacCommandDirection direction)
    {
        Status = status;
        Count = count;
        Offset = offset;
        Cid = cid;
        BufferLength = bufferLength;
        Direction = direction;
    }

    public MacCommandParseStatus Status { get; }

    /// <summary>Commands parsed before parsing stopped.</summary>
    public int Count { get; }

    /// <summary>
    /// Byte offset where parsing stopped: the offending CID for <see cref="MacCommandParseStatus.UnknownCid"/>,
    /// <see cref="MacCommandParseStatus.Truncated"/> and <see cref="MacCommandParseStatus.Proprietary"/>; the first
    /// command that did not fit for <see cref="MacCommandParseStatus.DestinationTooSmall"/>; the buffer length when
    /// <see cref="MacCommandParseStatus.Completed"/>.
    /// </summary>
    public int Offset { get; }

    /// <summary>The offending CID for UnknownCid, Truncated and Proprietary; 0 otherwise.</summary>
    public byte Cid { get; }

    /// <summary>Length of the parsed buffer, so <c>BufferLength - Offset</c> is what was left unparsed.</summary>
    public int BufferLength { get; }

    public MacCommandDirection Direction { get; }

    public bool IsCompleted => Status == MacCommandParseStatus.Completed;

    /// <summary>A one-sentence, human-readable account of the outcome, for logs and error responses.</summary>
    public string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        var direction = Direction == MacCommandDirection.Uplink ? "uplink" : "downlink";
        var unparsed = BufferLength - Offset;
        switch (Status)
        {
            case MacCommandParseStatus.Completed:
                return string.Create(c, $"Completed: {Count} {direction} MAC command(s) in {BufferLength} byte(s).");

            case MacCommandParseStatus.UnknownCid:
                var other = Direction == MacCommandDirection.Uplink ? MacCommandDirection.Downlink : MacCommandDirection.Uplink;
                var otherKind = MacCommandLayout.KindOf(Cid, other);
                var why = MacCommandLayout.PayloadLength(otherKind) >= 0
                    ? string.Create(c, $"CID 0x{Cid:x2} ({otherKind}) is only sent {(other == MacCommandDirection.Uplink ? "uplink" : "downlink")}")
                    : string.Create(c, $"CID 0x{Cid:x2} is not a LoRaWAN 1.0.4 / 1.1 MAC command");
                return string.Create(c, $"Unknown CID 0x{Cid:x2} in {direction} MAC commands at offset {Offset} after {Count} command(s): {why}, so its length is unknown and the last {unparsed} byte(s) were not parsed.");

            case MacCommandParseStatus.Truncated:
                var kind = MacCommandLayout.KindOf(Cid, Direction);
                var needed = MacCommandLayout.PayloadLength(kind);
                return string.Create(c, $"Truncated {kind} (CID 0x{Cid:x2}) at offset {Offset} after {Count} command(s): it needs {needed} payload byte(s) but only {unparsed - 1} remain.");

            case MacCommandParseStatus.Proprietary:
                return string.Create(c, $"Proprietary CID 0x{Cid:x2} at offset {Offset} after {Count} command(s): LoRaWAN does not define the length of proprietary commands (0x80-0xFF), so the last {unparsed} byte(s) were left unparsed.");

            case MacCommandParseStatus.DestinationTooSmall:
                return string.Create(c, $"Destination full after {Count} command(s): stopped at offset {Offset} with {unparsed} of {BufferLength} byte(s) unparsed.");

            default:
                return string.Create(c, $"In progress: {Count} command(s) read, {Offset} of {BufferLength} byte(s) consumed.");
        }
    }

    public override string ToString() => Describe();
}
