namespace WirelessNet.LoRaWan.MacCommands;

// Builders, one per command. They check that every value fits its bit field and throw
// ArgumentOutOfRangeException otherwise; whether a value makes sense for a region or a device (a data rate
// the band defines, a frequency inside the band) is the MAC layer's decision, not the codec's. RFU bits are
// always written as zero.
public readonly partial struct MacCommand
{
    /// <summary>Frequencies are carried in steps of this many Hz.</summary>
    public const uint FrequencyStepHz = 100;

    /// <summary>The highest frequency the 24-bit field can express (1 677 721 500 Hz).</summary>
    public const uint MaxFrequencyHz = 0xFF_FFFF * FrequencyStepHz;

    // ---- Uplink: device to network ----

    /// <summary>ResetInd (1.1 §5.1): the ABP device announces its LoRaWAN minor version (0–15).</summary>
    public static MacCommand ResetInd(byte loRaWanMinorVersion) =>
        new(MacCommandKind.ResetInd, Nibble(loRaWanMinorVersion, nameof(loRaWanMinorVersion)));

    /// <summary>LinkCheckReq (1.0.4 §5.1): no payload.</summary>
    public static MacCommand LinkCheckReq() => new(MacCommandKind.LinkCheckReq, 0);

    /// <summary>LinkADRAns (1.0.4 §5.2).</summary>
    public static MacCommand LinkAdrAns(bool powerAck, bool dataRateAck, bool channelMaskAck) =>
        new(MacCommandKind.LinkAdrAns, Bits(powerAck, 2) | Bits(dataRateAck, 1) | Bits(channelMaskAck, 0));

    /// <summary>DutyCycleAns (1.0.4 §5.3): no payload.</summary>
    public static MacCommand DutyCycleAns() => new(MacCommandKind.DutyCycleAns, 0);

    /// <summary>RXParamSetupAns (1.0.4 §5.4).</summary>
    public static MacCommand RxParamSetupAns(bool rx1DataRateOffsetAck, bool rx2DataRateAck, bool channelAck) =>
        new(MacCommandKind.RxParamSetupAns, Bits(rx1DataRateOffsetAck, 2) | Bits(rx2DataRateAck, 1) | Bits(channelAck, 0));

    /// <summary>DevStatusAns (1.0.4 §5.5): battery level and SNR margin (−32..31 dB).</summary>
    public static MacCommand DevStatusAns(byte battery, sbyte snrMargin)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(snrMargin, (sbyte)-32);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(snrMargin, (sbyte)31);
        return new(MacCommandKind.DevStatusAns, battery | ((ulong)(snrMargin & 0x3F) << 8));
    }

    /// <summary>NewChannelAns (1.0.4 §5.6.1).</summary>
    public static MacCommand NewChannelAns(bool dataRateRangeOk, bool channelFrequencyOk) =>
        new(MacCommandKind.NewChannelAns, Bits(dataRateRangeOk, 1) | Bits(channelFrequencyOk, 0));

    /// <summary>RXTimingSetupAns (1.0.4 §5.7): no payload.</summary>
    public static MacCommand RxTimingSetupAns() => new(MacCommandKind.RxTimingSetupAns, 0);

    /// <summary>TxParamSetupAns (1.0.4 §5.8): no payload.</summary>
    public static MacCommand TxParamSetupAns() => new(MacCommandKind.TxParamSetupAns, 0);

    /// <summary>DlChannelAns (1.0.4 §5.6.2).</summary>
    public static MacCommand DlChannelAns(bool uplinkFrequencyExists, bool channelFrequencyOk) =>
        new(MacCommandKind.DlChannelAns, Bits(uplinkFrequencyExists, 1) | Bits(channelFrequencyOk, 0));

    /// <summary>RekeyInd (1.1 §5.10): the OTAA device's LoRaWAN minor version (0–15).</summary>
    public static MacCommand RekeyInd(byte loRaWanMinorVersion) =>
        new(MacCommandKind.RekeyInd, Nibble(loRaWanMinorVersion, nameof(loRaWanMinorVersion)));

    /// <summary>ADRParamSetupAns (1.1 §5.11): no payload.</summary>
    public static MacCommand AdrParamSetupAns() => new(MacCommandKind.AdrParamSetupAns, 0);

    /// <summary>DeviceTimeReq (1.0.4 §5.9, 1.1 §5.12): no payload.</summary>
    public static MacCommand DeviceTimeReq() => new(MacCommandKind.DeviceTimeReq, 0);

    /// <summary>RejoinParamSetupAns (1.1 §5.14).</summary>
    public static MacCommand RejoinParamSetupAns(bool timeOk) => new(MacCommandKind.RejoinParamSetupAns, Bits(timeOk, 0));

    /// <summary>PingSlotInfoReq (Class B MAC commands): ping slot periodicity (0–7).</summary>
    public static MacCommand PingSlotInfoReq(byte periodicity)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(periodicity, (byte)7);
        return new(MacCommandKind.PingSlotInfoReq, periodicity);
    }

    /// <summary>PingSlotChannelAns (Class B).</summary>
    public static MacCommand PingSlotChannelAns(bool dataRateOk, bool channelFrequencyOk) =>
        new(MacCommandKind.PingSlotChannelAns, Bits(dataRateOk, 1) | Bits(channelFrequencyOk, 0));

    /// <summary>BeaconTimingReq (deprecated, LoRaWAN 1.0.2 Class B): no payload.</summary>
    public static MacCommand BeaconTimingReq() => new(MacCommandKind.BeaconTimingReq, 0);

    /// <summary>BeaconFreqAns (Class B).</summary>
    public static MacCommand BeaconFreqAns(bool beaconFrequencyOk) => new(MacCommandKind.BeaconFreqAns, Bits(beaconFrequencyOk, 0));

    /// <summary>DeviceModeInd (1.1 Class C MAC commands): the class the device switches to.</summary>
    public static MacCommand DeviceModeInd(DeviceModeClass deviceClass) => new(MacCommandKind.DeviceModeInd, (byte)deviceClass);

    // ---- Downlink: network to device ----

    /// <summary>ResetConf (1.1 §5.1): the network's LoRaWAN minor version (0–15).</summary>
    public static MacCommand ResetConf(byte loRaWanMinorVersion) =>
        new(MacCommandKind.ResetConf, Nibble(loRaWanMinorVersion, nameof(loRaWanMinorVersion)));

    /// <summary>LinkCheckAns (1.0.4 §5.1): link margin in dB and gateway count.</summary>
    public static MacCommand LinkCheckAns(byte linkMarginDb, byte gatewayCount) =>
        new(MacCommandKind.LinkCheckAns, linkMarginDb | ((ulong)gatewayCount << 8));

    /// <summary>LinkADRReq (1.0.4 §5.2): data rate (0–15), TX power (0–15), ChMask, ChMaskCntl (0–7), NbTrans (0–15).</summary>
    public static MacCommand LinkAdrReq(byte dataRate, byte txPower, ushort channelMask, byte channelMaskControl, byte nbTrans)
    {
        ulong payload = (ulong)((Nibble(dataRate, nameof(dataRate)) << 4) | Nibble(txPower, nameof(txPower)))
            | ((ulong)channelMask << 8)
            | ((ulong)((ThreeBits(channelMaskControl, nameof(channelMaskControl)) << 4) | Nibble(nbTrans, nameof(nbTrans))) << 24);
        return new(MacCommandKind.LinkAdrReq, payload);
    }

    /// <summary>DutyCycleReq (1.0.4 §5.3): MaxDCycle (0–15; 0 lifts the limit).</summary>
    public static MacCommand DutyCycleReq(byte maxDutyCycle) =>
        new(MacCommandKind.DutyCycleReq, Nibble(maxDutyCycle, nameof(maxDutyCycle)));

    /// <summary>RXParamSetupReq (1.0.4 §5.4): RX1 data rate offset (0–7), RX2 data rate (0–15), RX2 frequency in Hz.</summary>
    public static MacCommand RxParamSetupReq(byte rx1DataRateOffset, byte rx2DataRate, uint frequencyHz)
    {
        ulong settings = (ulong)((ThreeBits(rx1DataRateOffset, nameof(rx1DataRateOffset)) << 4) | Nibble(rx2DataRate, nameof(rx2DataRate)));
        return new(MacCommandKind.RxParamSetupReq, settings | (Frequency(frequencyHz, nameof(frequencyHz)) << 8));
    }

    /// <summary>DevStatusReq (1.0.4 §5.5): no payload.</summary>
    public static MacCommand DevStatusReq() => new(MacCommandKind.DevStatusReq, 0);

    /// <summary>NewChannelReq (1.0.4 §5.6.1): channel index, frequency in Hz (0 disables), data rate range (0–15 each).</summary>
    public static MacCommand NewChannelReq(byte channelIndex, uint frequencyHz, byte minDataRate, byte maxDataRate)
    {
        var drRange = (ulong)((Nibble(maxDataRate, nameof(maxDataRate)) << 4) | Nibble(minDataRate, nameof(minDataRate)));
        return new(MacCommandKind.NewChannelReq, channelIndex | (Frequency(frequencyHz, nameof(frequencyHz)) << 8) | (drRange << 32));
    }

    /// <summary>RXTimingSetupReq (1.0.4 §5.7): Del (0–15 seconds; 0 also means 1 s).</summary>
    public static MacCommand RxTimingSetupReq(byte rxDelay) => new(MacCommandKind.RxTimingSetupReq, Nibble(rxDelay, nameof(rxDelay)));

    /// <summary>TxParamSetupReq (1.0.4 §5.8): dwell time limits and MaxEIRP index (0–15).</summary>
    public static MacCommand TxParamSetupReq(bool downlinkDwellTime, bool uplinkDwellTime, byte maxEirpIndex) =>
        new(MacCommandKind.TxParamSetupReq, Bits(downlinkDwellTime, 5) | Bits(uplinkDwellTime, 4) | Nibble(maxEirpIndex, nameof(maxEirpIndex)));

    /// <summary>DlChannelReq (1.0.4 §5.6.2): channel index and its downlink (RX1) frequency in Hz.</summary>
    public static MacCommand DlChannelReq(byte channelIndex, uint frequencyHz) =>
        new(MacCommandKind.DlChannelReq, channelIndex | (Frequency(frequencyHz, nameof(frequencyHz)) << 8));

    /// <summary>RekeyConf (1.1 §5.10): the server's LoRaWAN minor version (0–15).</summary>
    public static MacCommand RekeyConf(byte loRaWanMinorVersion) =>
        new(MacCommandKind.RekeyConf, Nibble(loRaWanMinorVersion, nameof(loRaWanMinorVersion)));

    /// <summary>ADRParamSetupReq (1.1 §5.11): Limit_exp and Delay_exp (0–15 each).</summary>
    public static MacCommand AdrParamSetupReq(byte adrAckLimitExponent, byte adrAckDelayExponent) =>
        new(MacCommandKind.AdrParamSetupReq, (Nibble(adrAckLimitExponent, nameof(adrAckLimitExponent)) << 4) | Nibble(adrAckDelayExponent, nameof(adrAckDelayExponent)));

    /// <summary>DeviceTimeAns (1.0.4 §5.9, 1.1 §5.12): seconds since the GPS epoch and the fraction in 1/256 s.</summary>
    public static MacCommand DeviceTimeAns(uint gpsEpochSeconds, byte gpsFractionalSecond) =>
        new(MacCommandKind.DeviceTimeAns, gpsEpochSeconds | ((ulong)gpsFractionalSecond << 32));

    /// <summary>
    /// DeviceTimeAns from a time since the GPS epoch; the fraction is truncated to 1/256 s. Times at or beyond
    /// 2^32 s (year 2116) are rejected rather than wrapped, since wrapping is the caller's policy to choose.
    /// </summary>
    public static MacCommand DeviceTimeAns(TimeSpan timeSinceGpsEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeSinceGpsEpoch, TimeSpan.Zero);
        var seconds = timeSinceGpsEpoch.Ticks / TimeSpan.TicksPerSecond;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, uint.MaxValue, nameof(timeSinceGpsEpoch));
        var fraction = (byte)(timeSinceGpsEpoch.Ticks % TimeSpan.TicksPerSecond * 256 / TimeSpan.TicksPerSecond);
        return DeviceTimeAns((uint)seconds, fraction);
    }

    /// <summary>
    /// ForceRejoinReq (1.1 §5.13): Period (0–7), Max_Retries (0–7), RejoinType (0–7; 3–7 are RFU), DR (0–15).
    /// The 16-bit field is little-endian like every multi-byte LoRaWAN field, so Period and Max_Retries land in
    /// the second byte. (At least one widely deployed network server writes them into the first byte.)
    /// </summary>
    public static MacCommand ForceRejoinReq(byte rejoinPeriod, byte maxRetries, byte rejoinType, byte dataRate)
    {
        ulong low = (ulong)((ThreeBits(rejoinType, nameof(rejoinType)) << 4) | Nibble(dataRate, nameof(dataRate)));
        ulong high = (ulong)((ThreeBits(rejoinPeriod, nameof(rejoinPeriod)) << 3) | ThreeBits(maxRetries, nameof(maxRetries)));
        return new(MacCommandKind.ForceRejoinReq, low | (high << 8));
    }

    /// <summary>RejoinParamSetupReq (1.1 §5.14): MaxTimeN and MaxCountN (0–15 each).</summary>
    public static MacCommand RejoinParamSetupReq(byte maxTimeN, byte maxCountN) =>
        new(MacCommandKind.RejoinParamSetupReq, (Nibble(maxTimeN, nameof(maxTimeN)) << 4) | Nibble(maxCountN, nameof(maxCountN)));

    /// <summary>PingSlotInfoAns (Class B): no payload.</summary>
    public static MacCommand PingSlotInfoAns() => new(MacCommandKind.PingSlotInfoAns, 0);

    /// <summary>PingSlotChannelReq (Class B): frequency in Hz (0 = regional default) and data rate (0–15).</summary>
    public static MacCommand PingSlotChannelReq(uint frequencyHz, byte dataRate) =>
        new(MacCommandKind.PingSlotChannelReq, Frequency(frequencyHz, nameof(frequencyHz)) | ((ulong)Nibble(dataRate, nameof(dataRate)) << 24));

    /// <summary>BeaconTimingAns (deprecated, LoRaWAN 1.0.2 Class B): delay in 30 ms steps and beacon channel.</summary>
    public static MacCommand BeaconTimingAns(ushort beaconDelay, byte beaconChannel) =>
        new(MacCommandKind.BeaconTimingAns, beaconDelay | ((ulong)beaconChannel << 16));

    /// <summary>BeaconFreqReq (Class B): beacon frequency in Hz (0 = regional default).</summary>
    public static MacCommand BeaconFreqReq(uint frequencyHz) =>
        new(MacCommandKind.BeaconFreqReq, Frequency(frequencyHz, nameof(frequencyHz)));

    /// <summary>DeviceModeConf (1.1 Class C MAC commands): echoes the class the network accepted.</summary>
    public static MacCommand DeviceModeConf(DeviceModeClass deviceClass) => new(MacCommandKind.DeviceModeConf, (byte)deviceClass);

    private static ulong Bits(bool value, int bit) => value ? 1UL << bit : 0;

    private static uint Nibble(byte value, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, (byte)0x0F, paramName);
        return value;
    }

    private static uint ThreeBits(byte value, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, (byte)0x07, paramName);
        return value;
    }

    private static ulong Frequency(uint frequencyHz, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frequencyHz, MaxFrequencyHz, paramName);
        if (frequencyHz % FrequencyStepHz != 0)
        {
            throw new ArgumentException($"A MAC command frequency is a multiple of {FrequencyStepHz} Hz; got {frequencyHz} Hz.", paramName);
        }

        return frequencyHz / FrequencyStepHz;
    }
}
