using System.Globalization;

namespace WirelessNet.LoRaWan.MacCommands;

// A log-friendly rendering: the command name and its decoded fields, invariant culture.
public readonly partial struct MacCommand
{
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        return Kind switch
        {
            MacCommandKind.None => "(none)",
            MacCommandKind.ResetInd or MacCommandKind.ResetConf or MacCommandKind.RekeyInd or MacCommandKind.RekeyConf =>
                string.Create(c, $"{Kind}(LoRaWanMinorVersion={LoRaWanMinorVersion})"),
            MacCommandKind.LinkCheckAns => string.Create(c, $"{Kind}(LinkMarginDb={LinkMarginDb}, GatewayCount={GatewayCount})"),
            MacCommandKind.LinkAdrReq => string.Create(c, $"{Kind}(DataRate={DataRate}, TxPower={TxPower}, ChannelMask=0x{ChannelMask:x4}, ChannelMaskControl={ChannelMaskControl}, NbTrans={NbTrans})"),
            MacCommandKind.LinkAdrAns => string.Create(c, $"{Kind}(PowerAck={PowerAck}, DataRateAck={DataRateAck}, ChannelMaskAck={ChannelMaskAck})"),
            MacCommandKind.DutyCycleReq => string.Create(c, $"{Kind}(MaxDutyCycle={MaxDutyCycle})"),
            MacCommandKind.RxParamSetupReq => string.Create(c, $"{Kind}(Rx1DataRateOffset={Rx1DataRateOffset}, Rx2DataRate={Rx2DataRate}, FrequencyHz={FrequencyHz})"),
            MacCommandKind.RxParamSetupAns => string.Create(c, $"{Kind}(Rx1DataRateOffsetAck={Rx1DataRateOffsetAck}, Rx2DataRateAck={Rx2DataRateAck}, ChannelAck={ChannelAck})"),
            MacCommandKind.DevStatusAns => string.Create(c, $"{Kind}(Battery={Battery}, SnrMargin={SnrMargin})"),
            MacCommandKind.NewChannelReq => string.Create(c, $"{Kind}(ChannelIndex={ChannelIndex}, FrequencyHz={FrequencyHz}, MinDataRate={MinDataRate}, MaxDataRate={MaxDataRate})"),
            MacCommandKind.NewChannelAns => string.Create(c, $"{Kind}(DataRateRangeOk={DataRateRangeOk}, ChannelFrequencyOk={ChannelFrequencyOk})"),
            MacCommandKind.RxTimingSetupReq => string.Create(c, $"{Kind}(RxDelay={RxDelay})"),
            MacCommandKind.TxParamSetupReq => string.Create(c, $"{Kind}(DownlinkDwellTime={DownlinkDwellTime}, UplinkDwellTime={UplinkDwellTime}, MaxEirpIndex={MaxEirpIndex})"),
            MacCommandKind.DlChannelReq => string.Create(c, $"{Kind}(ChannelIndex={ChannelIndex}, FrequencyHz={FrequencyHz})"),
            MacCommandKind.DlChannelAns => string.Create(c, $"{Kind}(UplinkFrequencyExists={UplinkFrequencyExists}, ChannelFrequencyOk={ChannelFrequencyOk})"),
            MacCommandKind.AdrParamSetupReq => string.Create(c, $"{Kind}(AdrAckLimitExponent={AdrAckLimitExponent}, AdrAckDelayExponent={AdrAckDelayExponent})"),
            MacCommandKind.DeviceTimeAns => string.Create(c, $"{Kind}(GpsEpochSeconds={GpsEpochSeconds}, GpsFractionalSecond={GpsFractionalSecond}/256)"),
            MacCommandKind.ForceRejoinReq => string.Create(c, $"{Kind}(RejoinPeriod={RejoinPeriod}, MaxRetries={MaxRetries}, RejoinType={RejoinType}, DataRate={DataRate})"),
            MacCommandKind.RejoinParamSetupReq => string.Create(c, $"{Kind}(MaxTimeN={MaxTimeN}, MaxCountN={MaxCountN})"),
            MacCommandKind.RejoinParamSetupAns => string.Create(c, $"{Kind}(TimeOk={TimeOk})"),
            MacCommandKind.PingSlotInfoReq => string.Create(c, $"{Kind}(PingSlotPeriodicity={PingSlotPeriodicity})"),
            MacCommandKind.PingSlotChannelReq => string.Create(c, $"{Kind}(FrequencyHz={FrequencyHz}, DataRate={DataRate})"),
            MacCommandKind.PingSlotChannelAns => string.Create(c, $"{Kind}(DataRateOk={DataRateOk}, ChannelFrequencyOk={ChannelFrequencyOk})"),
            MacCommandKind.BeaconTimingAns => string.Create(c, $"{Kind}(BeaconDelay={BeaconDelay}, BeaconChannel={BeaconChannel})"),
            MacCommandKind.BeaconFreqReq => string.Create(c, $"{Kind}(FrequencyHz={FrequencyHz})"),
            MacCommandKind.BeaconFreqAns => string.Create(c, $"{Kind}(BeaconFrequencyOk={BeaconFrequencyOk})"),
            MacCommandKind.DeviceModeInd or MacCommandKind.DeviceModeConf => string.Create(c, $"{Kind}(DeviceClass={DeviceClass})"),
            _ => string.Create(c, $"{Kind}()"),
        };
    }
}
