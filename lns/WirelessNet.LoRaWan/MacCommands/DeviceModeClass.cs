namespace WirelessNet.LoRaWan.MacCommands;

/// <summary>
/// The Class field of DeviceModeInd / DeviceModeConf (LoRaWAN 1.1 Class C MAC commands). Only A and C are defined; other
/// byte values are carried through unchanged so that a device's exact answer can be logged and echoed.
/// </summary>
public enum DeviceModeClass : byte
{
    A = 0,

    /// <summary>Reserved by the specification (Class B is not switched to with this command).</summary>
    Rfu = 1,

    C = 2,
}
