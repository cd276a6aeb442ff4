namespace WirelessNet.LoRaWan.MacCommands;

/// <summary>
/// Payload lengths per command, the one table both the reader and the writer trust.
/// </summary>
/// <remarks>
/// Lengths are from LoRaWAN 1.0.4 §5 and 1.1 §5, the Class B and Class C MAC command chapters of 1.1
/// (PingSlot*, BeaconFreq*, DeviceMode*), and LoRaWAN 1.0.2 Class B for the deprecated BeaconTiming. They were cross-checked against the descriptor tables of two independent network servers.
/// </remarks>
internal static class MacCommandLayout
{
    /// <summary>The longest payload of any implemented command (DeviceTimeAns, NewChannelReq).</summary>
    public const int MaxPayloadLength = 5;

    /// <summary>The kind of a CID travelling in a direction; undefined combinations give an undefined kind.</summary>
    public static MacCommandKind KindOf(byte cid, MacCommandDirection direction) =>
        (MacCommandKind)((cid << 1) | (int)direction);

    /// <summary>Payload length in bytes (CID excluded), or -1 when the kind is not a defined command.</summary>
    public static int PayloadLength(MacCommandKind kind) => kind switch
    {
        MacCommandKind.LinkCheckReq or
        MacCommandKind.DutyCycleAns or
        MacCommandKind.DevStatusReq or
        MacCommandKind.RxTimingSetupAns or
        MacCommandKind.TxParamSetupAns or
        MacCommandKind.AdrParamSetupAns or
        MacCommandKind.DeviceTimeReq or
        MacCommandKind.PingSlotInfoAns or
        MacCommandKind.BeaconTimingReq => 0,

        MacCommandKind.ResetInd or
        MacCommandKind.ResetConf or
        MacCommandKind.LinkAdrAns or
        MacCommandKind.DutyCycleReq or
        MacCommandKind.RxParamSetupAns or
        MacCommandKind.NewChannelAns or
        MacCommandKind.RxTimingSetupReq or
        MacCommandKind.TxParamSetupReq or
        MacCommandKind.DlChannelAns or
        MacCommandKind.RekeyInd or
        MacCommandKind.RekeyConf or
        MacCommandKind.AdrParamSetupReq or
        MacCommandKind.RejoinParamSetupAns or
        MacCommandKind.RejoinParamSetupReq or
        MacCommandKind.PingSlotInfoReq or
        MacCommandKind.PingSlotChannelAns or
        MacCommandKind.BeaconFreqAns or
        MacCommandKind.DeviceModeInd or
        MacCommandKind.DeviceModeConf => 1,

        MacCommandKind.LinkCheckAns or
        MacCommandKind.DevStatusAns or
        MacCommandKind.ForceRejoinReq => 2,

        MacCommandKind.BeaconTimingAns or
        MacCommandKind.BeaconFreqReq => 3,

        MacCommandKind.LinkAdrReq or
        MacCommandKind.RxParamSetupReq or
        MacCommandKind.DlChannelReq or
        MacCommandKind.PingSlotChannelReq => 4,

        MacCommandKind.NewChannelReq or
        MacCommandKind.DeviceTimeAns => 5,

        _ => -1,
    };

    /// <summary>True for CIDs whose payload layout is vendor-defined (LoRaWAN 1.1 §5: 0x80–0xFF).</summary>
    public static bool IsProprietary(byte cid) => cid >= 0x80;
}
