namespace WirelessNet.LoRaWan.MacCommands;

/// <summary>
/// A MAC command as the specification names it: a CID together with its direction.
/// </summary>
/// <remarks>
/// The numeric value is <c>(CID &lt;&lt; 1) | direction</c> (uplink 0, downlink 1) so the kind is computed from
/// wire data without a lookup and the CID is recovered with a shift. <see cref="None"/> (0) is the kind of a
/// <c>default</c> <see cref="MacCommand"/>; CID 0x00 is RFU in every version, so no real command collides with it.
/// </remarks>
public enum MacCommandKind : ushort
{
    None = 0,

    /// <summary>CID 0x01 uplink (LoRaWAN 1.1 §5.1): the ABP device's LoRaWAN minor version.</summary>
    ResetInd = (0x01 << 1) | 0,

    /// <summary>CID 0x01 downlink (1.1 §5.1): the network's LoRaWAN minor version.</summary>
    ResetConf = (0x01 << 1) | 1,

    /// <summary>CID 0x02 uplink (1.0.4 §5.1, 1.1 §5.2): no payload.</summary>
    LinkCheckReq = (0x02 << 1) | 0,

    /// <summary>CID 0x02 downlink: Margin, GwCnt.</summary>
    LinkCheckAns = (0x02 << 1) | 1,

    /// <summary>CID 0x03 uplink: Status.</summary>
    LinkAdrAns = (0x03 << 1) | 0,

    /// <summary>CID 0x03 downlink: DataRate_TXPower, ChMask, Redundancy.</summary>
    LinkAdrReq = (0x03 << 1) | 1,

    /// <summary>CID 0x04 uplink: no payload.</summary>
    DutyCycleAns = (0x04 << 1) | 0,

    /// <summary>CID 0x04 downlink: DutyCyclePL.</summary>
    DutyCycleReq = (0x04 << 1) | 1,

    /// <summary>CID 0x05 uplink: Status.</summary>
    RxParamSetupAns = (0x05 << 1) | 0,

    /// <summary>CID 0x05 downlink: DLsettings, Frequency.</summary>
    RxParamSetupReq = (0x05 << 1) | 1,

    /// <summary>CID 0x06 uplink: Battery, Margin.</summary>
    DevStatusAns = (0x06 << 1) | 0,

    /// <summary>CID 0x06 downlink: no payload.</summary>
    DevStatusReq = (0x06 << 1) | 1,

    /// <summary>CID 0x07 uplink: Status.</summary>
    NewChannelAns = (0x07 << 1) | 0,

    /// <summary>CID 0x07 downlink: ChIndex, Freq, DrRange.</summary>
    NewChannelReq = (0x07 << 1) | 1,

    /// <summary>CID 0x08 uplink: no payload.</summary>
    RxTimingSetupAns = (0x08 << 1) | 0,

    /// <summary>CID 0x08 downlink: Settings (Del).</summary>
    RxTimingSetupReq = (0x08 << 1) | 1,

    /// <summary>CID 0x09 uplink: no payload.</summary>
    TxParamSetupAns = (0x09 << 1) | 0,

    /// <summary>CID 0x09 downlink: EIRP_DwellTime.</summary>
    TxParamSetupReq = (0x09 << 1) | 1,

    /// <summary>CID 0x0A uplink: Status.</summary>
    DlChannelAns = (0x0A << 1) | 0,

    /// <summary>CID 0x0A downlink: ChIndex, Freq.</summary>
    DlChannelReq = (0x0A << 1) | 1,

    /// <summary>CID 0x0B uplink (1.1 §5.10): the device's LoRaWAN minor version.</summary>
    RekeyInd = (0x0B << 1) | 0,

    /// <summary>CID 0x0B downlink (1.1 §5.10): the server's LoRaWAN minor version.</summary>
    RekeyConf = (0x0B << 1) | 1,

    /// <summary>CID 0x0C uplink: no payload.</summary>
    AdrParamSetupAns = (0x0C << 1) | 0,

    /// <summary>CID 0x0C downlink: ADRparam.</summary>
    AdrParamSetupReq = (0x0C << 1) | 1,

    /// <summary>CID 0x0D uplink: no payload.</summary>
    DeviceTimeReq = (0x0D << 1) | 0,

    /// <summary>CID 0x0D downlink: GPS seconds and fractional second.</summary>
    DeviceTimeAns = (0x0D << 1) | 1,

    /// <summary>CID 0x0E downlink (1.1 §5.13): there is no uplink answer, so CID 0x0E uplink is undefined.</summary>
    ForceRejoinReq = (0x0E << 1) | 1,

    /// <summary>CID 0x0F uplink (1.1 §5.14): Status.</summary>
    RejoinParamSetupAns = (0x0F << 1) | 0,

    /// <summary>CID 0x0F downlink (1.1 §5.14): MaxTimeN, MaxCountN.</summary>
    RejoinParamSetupReq = (0x0F << 1) | 1,

    /// <summary>CID 0x10 uplink (Class B): Periodicity.</summary>
    PingSlotInfoReq = (0x10 << 1) | 0,

    /// <summary>CID 0x10 downlink (Class B): no payload.</summary>
    PingSlotInfoAns = (0x10 << 1) | 1,

    /// <summary>CID 0x11 uplink (Class B): Status.</summary>
    PingSlotChannelAns = (0x11 << 1) | 0,

    /// <summary>CID 0x11 downlink (Class B): Frequency, DR.</summary>
    PingSlotChannelReq = (0x11 << 1) | 1,

    /// <summary>
    /// CID 0x12 uplink: the pre-1.1 Class B BeaconTimingReq, deprecated since (a device now finds the beacon
    /// from DeviceTimeAns). Parsed rather than treated as unknown because its length is fixed and known, so
    /// the reader can continue past it when an older device still sends it; nothing else ever used 0x12.
    /// </summary>
    BeaconTimingReq = (0x12 << 1) | 0,

    /// <summary>CID 0x12 downlink, deprecated (see <see cref="BeaconTimingReq"/>): Delay (2 bytes), Channel.</summary>
    BeaconTimingAns = (0x12 << 1) | 1,

    /// <summary>CID 0x13 uplink (Class B): Status.</summary>
    BeaconFreqAns = (0x13 << 1) | 0,

    /// <summary>CID 0x13 downlink (Class B): Frequency.</summary>
    BeaconFreqReq = (0x13 << 1) | 1,

    /// <summary>CID 0x20 uplink (1.1 Class C MAC commands): Class.</summary>
    DeviceModeInd = (0x20 << 1) | 0,

    /// <summary>CID 0x20 downlink (1.1 Class C MAC commands): Class.</summary>
    DeviceModeConf = (0x20 << 1) | 1,
}
