namespace WirelessNet.LoRaWan.MacCommands;

// Typed, decode-on-read views of the payload fields. Bit positions follow LoRaWAN 1.0.4 §5 and 1.1 §5;
// every accessor names the commands that carry it and throws InvalidOperationException for the others.
public readonly partial struct MacCommand
{
    /// <summary>
    /// LoRaWAN minor version (bits 3:0; 0 = 1.0 reserved, 1 = 1.1): ResetInd, ResetConf, RekeyInd, RekeyConf.
    /// </summary>
    public byte LoRaWanMinorVersion => Kind is MacCommandKind.ResetInd or MacCommandKind.ResetConf
        or MacCommandKind.RekeyInd or MacCommandKind.RekeyConf
        ? (byte)(PayloadByte(0) & 0x0F)
        : throw NotAField();

    /// <summary>LinkCheckAns: link margin in dB above the demodulation floor of the last LinkCheckReq (0–254; 255 reserved).</summary>
    public byte LinkMarginDb => Kind == MacCommandKind.LinkCheckAns ? PayloadByte(0) : throw NotAField();

    /// <summary>LinkCheckAns: number of gateways that received the last LinkCheckReq.</summary>
    public byte GatewayCount => Kind == MacCommandKind.LinkCheckAns ? PayloadByte(1) : throw NotAField();

    /// <summary>
    /// Data rate index (4 bits): LinkADRReq (bits 7:4 of DataRate_TXPower), ForceRejoinReq (bits 3:0),
    /// PingSlotChannelReq (bits 3:0 of DR).
    /// </summary>
    public byte DataRate => Kind switch
    {
        MacCommandKind.LinkAdrReq => (byte)(PayloadByte(0) >> 4),
        MacCommandKind.ForceRejoinReq => (byte)(PayloadByte(0) & 0x0F),
        MacCommandKind.PingSlotChannelReq => (byte)(PayloadByte(3) & 0x0F),
        _ => throw NotAField(),
    };

    /// <summary>LinkADRReq: TX power index (bits 3:0 of DataRate_TXPower); the region maps it to dBm.</summary>
    public byte TxPower => Kind == MacCommandKind.LinkAdrReq ? (byte)(PayloadByte(0) & 0x0F) : throw NotAField();

    /// <summary>LinkADRReq: ChMask, bit n enables channel n of the block selected by <see cref="ChannelMaskControl"/>.</summary>
    public ushort ChannelMask => Kind == MacCommandKind.LinkAdrReq
        ? (ushort)(PayloadByte(1) | (PayloadByte(2) << 8))
        : throw NotAField();

    /// <summary>LinkADRReq: ChMaskCntl (Redundancy bits 6:4); its meaning is regional.</summary>
    public byte ChannelMaskControl => Kind == MacCommandKind.LinkAdrReq ? (byte)((PayloadByte(3) >> 4) & 0x07) : throw NotAField();

    /// <summary>LinkADRReq: NbTrans (Redundancy bits 3:0); 0 asks the device to keep its current value.</summary>
    public byte NbTrans => Kind == MacCommandKind.LinkAdrReq ? (byte)(PayloadByte(3) & 0x0F) : throw NotAField();

    /// <summary>LinkADRAns: Power ACK (Status bit 2).</summary>
    public bool PowerAck => Kind == MacCommandKind.LinkAdrAns ? StatusBit(2) : throw NotAField();

    /// <summary>LinkADRAns: Data rate ACK (Status bit 1).</summary>
    public bool DataRateAck => Kind == MacCommandKind.LinkAdrAns ? StatusBit(1) : throw NotAField();

    /// <summary>LinkADRAns: Channel mask ACK (Status bit 0).</summary>
    public bool ChannelMaskAck => Kind == MacCommandKind.LinkAdrAns ? StatusBit(0) : throw NotAField();

    /// <summary>DutyCycleReq: MaxDCycle (bits 3:0); the aggregated duty cycle limit is 1 / 2^MaxDCycle.</summary>
    public byte MaxDutyCycle => Kind == MacCommandKind.DutyCycleReq ? (byte)(PayloadByte(0) & 0x0F) : throw NotAField();

    /// <summary>RXParamSetupReq: RX1DRoffset (DLsettings bits 6:4).</summary>
    public byte Rx1DataRateOffset => Kind == MacCommandKind.RxParamSetupReq ? (byte)((PayloadByte(0) >> 4) & 0x07) : throw NotAField();

    /// <summary>RXParamSetupReq: RX2DataRate (DLsettings bits 3:0).</summary>
    public byte Rx2DataRate => Kind == MacCommandKind.RxParamSetupReq ? (byte)(PayloadByte(0) & 0x0F) : throw NotAField();

    /// <summary>
    /// Frequency in Hz (sent as 24 bits × 100 Hz): RXParamSetupReq (RX2), NewChannelReq (0 disables the channel),
    /// DlChannelReq, PingSlotChannelReq (0 = regional default), BeaconFreqReq (0 = regional default).
    /// </summary>
    public uint FrequencyHz => Kind switch
    {
        MacCommandKind.RxParamSetupReq or MacCommandKind.NewChannelReq or MacCommandKind.DlChannelReq => FrequencyAt(1),
        MacCommandKind.PingSlotChannelReq or MacCommandKind.BeaconFreqReq => FrequencyAt(0),
        _ => throw NotAField(),
    };

    /// <summary>RXParamSetupAns: RX1DRoffset ACK (Status bit 2).</summary>
    public bool Rx1DataRateOffsetAck => Kind == MacCommandKind.RxParamSetupAns ? StatusBit(2) : throw NotAField();

    /// <summary>RXParamSetupAns: RX2 Data rate ACK (Status bit 1).</summary>
    public bool Rx2DataRateAck => Kind == MacCommandKind.RxParamSetupAns ? StatusBit(1) : throw NotAField();

    /// <summary>RXParamSetupAns: Channel ACK (Status bit 0).</summary>
    public bool ChannelAck => Kind == MacCommandKind.RxParamSetupAns ? StatusBit(0) : throw NotAField();

    /// <summary>DevStatusAns: 0 = external power, 1–254 = battery level, 255 = not measurable.</summary>
    public byte Battery => Kind == MacCommandKind.DevStatusAns ? PayloadByte(0) : throw NotAField();

    /// <summary>DevStatusAns: demodulation SNR margin in dB of the last DevStatusReq, a 6-bit signed value (−32..31).</summary>
    public sbyte SnrMargin => Kind == MacCommandKind.DevStatusAns
        ? (sbyte)(((PayloadByte(1) & 0x3F) ^ 0x20) - 0x20)
        : throw NotAField();

    /// <summary>Channel index: NewChannelReq, DlChannelReq.</summary>
    public byte ChannelIndex => Kind is MacCommandKind.NewChannelReq or MacCommandKind.DlChannelReq ? PayloadByte(0) : throw NotAField();

    /// <summary>NewChannelReq: MaxDR (DrRange bits 7:4).</summary>
    public byte MaxDataRate => Kind == MacCommandKind.NewChannelReq ? (byte)(PayloadByte(4) >> 4) : throw NotAField();

    /// <summary>NewChannelReq: MinDR (DrRange bits 3:0).</summary>
    public byte MinDataRate => Kind == MacCommandKind.NewChannelReq ? (byte)(PayloadByte(4) & 0x0F) : throw NotAField();

    /// <summary>NewChannelAns: Data rate range ok (Status bit 1).</summary>
    public bool DataRateRangeOk => Kind == MacCommandKind.NewChannelAns ? StatusBit(1) : throw NotAField();

    /// <summary>Channel frequency ok (Status bit 0): NewChannelAns, DlChannelAns, PingSlotChannelAns.</summary>
    public bool ChannelFrequencyOk => Kind is MacCommandKind.NewChannelAns or MacCommandKind.DlChannelAns
        or MacCommandKind.PingSlotChannelAns
        ? StatusBit(0)
        : throw NotAField();

    /// <summary>RXTimingSetupReq: Del (bits 3:0), the RX1 delay in seconds, where 0 also means 1 s.</summary>
    public byte RxDelay => Kind == MacCommandKind.RxTimingSetupReq ? (byte)(PayloadByte(0) & 0x0F) : throw NotAField();

    /// <summary>TxParamSetupReq: DownlinkDwellTime (bit 5); true = 400 ms limit.</summary>
    public bool DownlinkDwellTime => Kind == MacCommandKind.TxParamSetupReq ? StatusBit(5) : throw NotAField();

    /// <summary>TxParamSetupReq: UplinkDwellTime (bit 4); true = 400 ms limit.</summary>
    public bool UplinkDwellTime => Kind == MacCommandKind.TxParamSetupReq ? StatusBit(4) : throw NotAField();

    /// <summary>TxParamSetupReq: MaxEIRP index (bits 3:0) into the table 8, 10, 12, 13, 14, 16, 18, 20, 21, 24, 26, 27, 29, 30, 33, 36 dBm.</summary>
    public byte MaxEirpIndex => Kind == MacCommandKind.TxParamSetupReq ? (byte)(PayloadByte(0) & 0x0F) : throw NotAField();

    /// <summary>DlChannelAns: Uplink frequency exists (Status bit 1).</summary>
    public bool UplinkFrequencyExists => Kind == MacCommandKind.DlChannelAns ? StatusBit(1) : throw NotAField();

    /// <summary>ADRParamSetupReq: Limit_exp (bits 7:4); ADR_ACK_LIMIT = 2^Limit_exp.</summary>
    public byte AdrAckLimitExponent => Kind == MacCommandKind.AdrParamSetupReq ? (byte)(PayloadByte(0) >> 4) : throw NotAField();

    /// <summary>ADRParamSetupReq: Delay_exp (bits 3:0); ADR_ACK_DELAY = 2^Delay_exp.</summary>
    public byte AdrAckDelayExponent => Kind == MacCommandKind.AdrParamSetupReq ? (byte)(PayloadByte(0) & 0x0F) : throw NotAField();

    /// <summary>DeviceTimeAns: whole seconds since the GPS epoch (1980-01-06 00:00:00 UTC), modulo 2^32.</summary>
    public uint GpsEpochSeconds => Kind == MacCommandKind.DeviceTimeAns ? (uint)(_payload & 0xFFFF_FFFF) : throw NotAField();

    /// <summary>DeviceTimeAns: fractional second in 1/256 s steps.</summary>
    public byte GpsFractionalSecond => Kind == MacCommandKind.DeviceTimeAns ? PayloadByte(4) : throw NotAField();

    /// <summary>
    /// DeviceTimeAns: <see cref="GpsEpochSeconds"/> plus <see cref="GpsFractionalSecond"/>. An odd fraction falls
    /// on half a tick; it is rounded up so that <see cref="DeviceTimeAns(TimeSpan)"/> gives back the same command.
    /// </summary>
    public TimeSpan TimeSinceGpsEpoch => Kind == MacCommandKind.DeviceTimeAns
        ? TimeSpan.FromTicks((GpsEpochSeconds * TimeSpan.TicksPerSecond) + (((GpsFractionalSecond * TimeSpan.TicksPerSecond) + 255) / 256))
        : throw NotAField();

    /// <summary>ForceRejoinReq: Period (bits 13:11); the delay between retransmissions is 32 s × 2^Period + rand(0..32) s.</summary>
    public byte RejoinPeriod => Kind == MacCommandKind.ForceRejoinReq ? (byte)((PayloadByte(1) >> 3) & 0x07) : throw NotAField();

    /// <summary>ForceRejoinReq: Max_Retries (bits 10:8); 0 sends the rejoin once.</summary>
    public byte MaxRetries => Kind == MacCommandKind.ForceRejoinReq ? (byte)(PayloadByte(1) & 0x07) : throw NotAField();

    /// <summary>ForceRejoinReq: RejoinType (bits 6:4); 0 or 1 = type 0, 2 = type 2, 3–7 RFU.</summary>
    public byte RejoinType => Kind == MacCommandKind.ForceRejoinReq ? (byte)((PayloadByte(0) >> 4) & 0x07) : throw NotAField();

    /// <summary>RejoinParamSetupReq: MaxTimeN (bits 7:4); a rejoin every 2^(MaxTimeN+10) s at the latest.</summary>
    public byte MaxTimeN => Kind == MacCommandKind.RejoinParamSetupReq ? (byte)(PayloadByte(0) >> 4) : throw NotAField();

    /// <summary>RejoinParamSetupReq: MaxCountN (bits 3:0); a rejoin every 2^(MaxCountN+4) uplinks at the latest.</summary>
    public byte MaxCountN => Kind == MacCommandKind.RejoinParamSetupReq ? (byte)(PayloadByte(0) & 0x0F) : throw NotAField();

    /// <summary>RejoinParamSetupAns: TimeOK (Status bit 0).</summary>
    public bool TimeOk => Kind == MacCommandKind.RejoinParamSetupAns ? StatusBit(0) : throw NotAField();

    /// <summary>PingSlotInfoReq: Periodicity (bits 2:0); a ping slot every 2^Periodicity s.</summary>
    public byte PingSlotPeriodicity => Kind == MacCommandKind.PingSlotInfoReq ? (byte)(PayloadByte(0) & 0x07) : throw NotAField();

    /// <summary>PingSlotChannelAns: Data rate ok (Status bit 1).</summary>
    public bool DataRateOk => Kind == MacCommandKind.PingSlotChannelAns ? StatusBit(1) : throw NotAField();

    /// <summary>BeaconTimingAns (deprecated): Delay, in 30 ms units, from the end of the answer's downlink to the next beacon.</summary>
    public ushort BeaconDelay => Kind == MacCommandKind.BeaconTimingAns
        ? (ushort)(PayloadByte(0) | (PayloadByte(1) << 8))
        : throw NotAField();

    /// <summary>BeaconTimingAns (deprecated): index of the channel the next beacon is sent on.</summary>
    public byte BeaconChannel => Kind == MacCommandKind.BeaconTimingAns ? PayloadByte(2) : throw NotAField();

    /// <summary>BeaconFreqAns: Beacon frequency ok (Status bit 0).</summary>
    public bool BeaconFrequencyOk => Kind == MacCommandKind.BeaconFreqAns ? StatusBit(0) : throw NotAField();

    /// <summary>DeviceModeInd, DeviceModeConf: the Class byte, unknown values passed through as-is.</summary>
    public DeviceModeClass DeviceClass => Kind is MacCommandKind.DeviceModeInd or MacCommandKind.DeviceModeConf
        ? (DeviceModeClass)PayloadByte(0)
        : throw NotAField();
}
