namespace WirelessNet.LoRaWan.MacCommands;

/// <summary>
/// Which way a MAC command travels. The direction is part of a command's identity: the same CID carries a
/// different payload (and a different length) uplink and downlink, so bytes cannot be parsed without it.
/// </summary>
public enum MacCommandDirection : byte
{
    /// <summary>End-device to network: the *Ans answers and the device-initiated *Req / *Ind commands.</summary>
    Uplink = 0,

    /// <summary>Network to end-device: the network-initiated *Req commands and the *Ans / *Conf answers.</summary>
    Downlink = 1,
}
