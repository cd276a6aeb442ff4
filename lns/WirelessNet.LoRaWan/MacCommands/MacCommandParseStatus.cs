namespace WirelessNet.LoRaWan.MacCommands;

/// <summary>Why a <see cref="MacCommandReader"/> stopped, or that it has not stopped yet.</summary>
public enum MacCommandParseStatus : byte
{
    /// <summary>The reader has not reached the end of the buffer nor an error yet.</summary>
    InProgress = 0,

    /// <summary>Every byte was consumed by a well-formed command.</summary>
    Completed,

    /// <summary>
    /// A CID in 0x00–0x7F that is not defined in this direction (RFU CIDs, CIDs of extensions this codec does
    /// not implement such as the relay commands, or 0x0E uplink). Its length is unknown, so nothing after it
    /// can be parsed.
    /// </summary>
    UnknownCid,

    /// <summary>A known CID whose payload runs past the end of the buffer.</summary>
    Truncated,

    /// <summary>
    /// A proprietary CID (0x80–0xFF). LoRaWAN does not define their lengths, so the reader stops on the CID
    /// and leaves it and everything after it unparsed; a vendor extension can take over from
    /// <see cref="MacCommandReader.Remaining"/>.
    /// </summary>
    Proprietary,

    /// <summary>
    /// <see cref="MacCommandReader.ReadAll"/> only: the destination span filled up before the buffer ended.
    /// </summary>
    DestinationTooSmall,
}
