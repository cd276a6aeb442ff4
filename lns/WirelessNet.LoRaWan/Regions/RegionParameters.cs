using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace WirelessNet.LoRaWan.Regions;

/// <summary>
/// The regional parameters (RP002-1.0.4) of one region, loaded from a data file so that adding a region
/// means adding a JSON file rather than code. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Validation policy: the plain methods throw <see cref="ArgumentOutOfRangeException"/> naming the region and
/// the valid range when given a value the region does not define; each has a Try… variant that returns false
/// instead, for paths that handle untrusted input (gateway metadata, MAC command fields).
/// </remarks>
public sealed class RegionParameters
{
    // DataRate and TXPower are 4-bit fields on the wire; indices 0..15 cover every region.
    internal const int MaxIndexCount = 16;

    /// <summary>Destination size that always suffices for <see cref="WriteLinkAdrChannelMasks"/>.</summary>
    public const int MaxLinkAdrChannelMasks = LinkAdrChannelMaskRules.MaxPairs;

    private readonly DataRate?[] _dataRates;
    private readonly int[]?[] _rx1DataRates;
    private readonly UplinkChannel[] _defaultChannels;
    private readonly ChannelBlock[] _uplinkChannelBlocks;
    private readonly ChannelBlock? _downlinkChannelBlock;
    private readonly int[] _txPowerOffsetsDb;
    private readonly DownlinkTxPowerRange[] _downlinkTxPowerRanges;
    private readonly int _downlinkTxPowerEirpDbm;

    internal RegionParameters(
        string id,
        string name,
        string regionalParametersRevision,
        DataRate?[] dataRates,
        int[]?[] rx1DataRates,
        Rx1FrequencyRule rx1FrequencyRule,
        UplinkChannel[] defaultChannels,
        ChannelBlock[] uplinkChannelBlocks,
        ChannelBlock? downlinkChannelBlock,
        int maxUplinkChannels,
        ChannelMaskLayout channelMaskLayout,
        CFListType cfListType,
        ulong rx2Frequency,
        int rx2DataRate,
        TimeSpan receiveDelay1,
        TimeSpan receiveDelay2,
        TimeSpan joinAcceptDelay1,
        TimeSpan joinAcceptDelay2,
        int maxFCntGap,
        int adrAckLimit,
        int adrAckDelay,
        int defaultMaxEirpDbm,
        int[] txPowerOffsetsDb,
        int downlinkTxPowerEirpDbm,
        DownlinkTxPowerRange[] downlinkTxPowerRanges)
    {
        Id = id;
        Name = name;
        RegionalParametersRevision = regionalParametersRevision;
        _dataRates = dataRates;
        _rx1DataRates = rx1DataRates;
        Rx1FrequencyRule = rx1FrequencyRule;
        _defaultChannels = defaultChannels;
        DefaultChannels = Array.AsReadOnly(defaultChannels);
        _uplinkChannelBlocks = uplinkChannelBlocks;
        _downlinkChannelBlock = downlinkChannelBlock;
        MaxUplinkChannels = maxUplinkChannels;
        ChannelMaskLayout = channelMaskLayout;
        CFListType = cfListType;
        Rx2Frequency = rx2Frequency;
        Rx2DataRate = rx2DataRate;
        ReceiveDelay1 = receiveDelay1;
        ReceiveDelay2 = receiveDelay2;
        JoinAcceptDelay1 = joinAcceptDelay1;
        JoinAcceptDelay2 = joinAcceptDelay2;
        MaxFCntGap = maxFCntGap;
        AdrAckLimit = adrAckLimit;
        AdrAckDelay = adrAckDelay;
        DefaultMaxEirpDbm = defaultMaxEirpDbm;
        _txPowerOffsetsDb = txPowerOffsetsDb;
        _downlinkTxPowerEirpDbm = downlinkTxPowerEirpDbm;
        _downlinkTxPowerRanges = downlinkTxPowerRanges;

        DataRates = Array.AsReadOnly(dataRates.OfType<DataRate>().ToArray());
        MaxRx1DrOffset = rx1DataRates.Where(row => row is not null).Select(row => row!.Length - 1).DefaultIfEmpty(-1).Min();
        MaxAdrDataRate = DataRates
            .Where(dr => dr.IsUplink && dr.IsLoRa && dr.BandwidthHz == 125_000)
            .Select(dr => dr.Index)
            .DefaultIfEmpty(0)
            .Max();
        DefaultChannelMask = defaultChannels.Aggregate(ChannelMask.None, (mask, channel) => mask.With(channel.Index, true));
    }

    /// <summary>Lower-case identifier used by <see cref="Region.Get"/>, e.g. "eu868".</summary>
    public string Id { get; }

    /// <summary>Common name, e.g. "EU868".</summary>
    public string Name { get; }

    /// <summary>The regional parameters document the data follows, e.g. "RP002-1.0.4".</summary>
    public string RegionalParametersRevision { get; }

    /// <summary>The defined data rates in index order (RFU indices are absent).</summary>
    public IReadOnlyList<DataRate> DataRates { get; }

    /// <summary>Highest uplink data rate that is LoRa at 125 kHz: the ceiling the default ADR algorithm works up to.</summary>
    public int MaxAdrDataRate { get; }

    /// <summary>Highest RX1DROffset the region defines (EU868: 5, US915: 3).</summary>
    public int MaxRx1DrOffset { get; }

    public Rx1FrequencyRule Rx1FrequencyRule { get; }

    /// <summary>Channels every device knows after join (EU868: 868.1/868.3/868.5 MHz; US915: all 72 uplink channels).</summary>
    public IReadOnlyList<UplinkChannel> DefaultChannels { get; }

    /// <summary><see cref="DefaultChannels"/> as a channel mask.</summary>
    public ChannelMask DefaultChannelMask { get; }

    public int MaxUplinkChannels { get; }

    public ChannelMaskLayout ChannelMaskLayout { get; }

    public CFListType CFListType { get; }

    /// <summary>Default RX2 frequency in Hz.</summary>
    public ulong Rx2Frequency { get; }

    /// <summary>Default RX2 data rate.</summary>
    public int Rx2DataRate { get; }

    public TimeSpan ReceiveDelay1 { get; }

    public TimeSpan ReceiveDelay2 { get; }

    public TimeSpan JoinAcceptDelay1 { get; }

    public TimeSpan JoinAcceptDelay2 { get; }

    public int MaxFCntGap { get; }

    public int AdrAckLimit { get; }

    public int AdrAckDelay { get; }

    /// <summary>Default maximum uplink EIRP in dBm, the power of TXPower index 0.</summary>
    public int DefaultMaxEirpDbm { get; }

    /// <summary>Highest TXPower index the region defines (EU868: 7, US915: 14).</summary>
    public int MaxTxPowerIndex => _txPowerOffsetsDb.Length - 1;

    /// <summary>Reads region data from a JSON document shaped like the embedded Regions/Data files.</summary>
    /// <exception cref="InvalidDataException">The document is malformed or inconsistent.</exception>
    public static RegionParameters FromJson(ReadOnlySpan<byte> utf8Json) => RegionDataReader.Read(utf8Json, "JSON document");

    public DataRate GetDataRate(int dataRate)
    {
        if (!TryGetDataRate(dataRate, out var result))
        {
            throw UndefinedDataRate(nameof(dataRate), dataRate);
        }

        return result;
    }

    public bool TryGetDataRate(int dataRate, [NotNullWhen(true)] out DataRate? result)
    {
        result = (uint)dataRate < (uint)_dataRates.Length ? _dataRates[dataRate] : null;
        return result is not null;
    }

    /// <summary>
    /// Finds the data-rate index of a LoRa modulation. The direction matters where one SF/BW pair has two
    /// indices (US915 SF8/500 kHz is DR4 uplink and DR12 downlink).
    /// </summary>
    public bool TryGetLoRaDataRate(int spreadingFactor, int bandwidthHz, bool uplink, out int dataRate)
    {
        // The array, not DataRates: these run per uplink and must not allocate an enumerator.
        foreach (var dr in _dataRates)
        {
            if (dr is not null
                && dr.IsLoRa && dr.SpreadingFactor == spreadingFactor && dr.BandwidthHz == bandwidthHz && (uplink ? dr.IsUplink : dr.IsDownlink))
            {
                dataRate = dr.Index;
                return true;
            }
        }

        dataRate = -1;
        return false;
    }

    public bool TryGetFskDataRate(int bitRate, bool uplink, out int dataRate)
    {
        foreach (var dr in _dataRates)
        {
            if (dr is not null
                && dr.Modulation == Modulation.Fsk && dr.BitRate == bitRate && (uplink ? dr.IsUplink : dr.IsDownlink))
            {
                dataRate = dr.Index;
                return true;
            }
        }

        dataRate = -1;
        return false;
    }

    /// <summary>
    /// Finds the data-rate index of an LR-FHSS uplink. The coding rate is compared as a fraction, so the
    /// "2/6"/"4/6" spelling some gateways report matches the "1/3"/"2/3" of the regional parameters.
    /// </summary>
    public bool TryGetLrFhssDataRate(string codingRate, int occupiedChannelWidthHz, out int dataRate)
    {
        ArgumentNullException.ThrowIfNull(codingRate);
        foreach (var dr in _dataRates)
        {
            if (dr is not null
                && dr.Modulation == Modulation.LrFhss
                && dr.OccupiedChannelWidthHz == occupiedChannelWidthHz
                && dr.CodingRate is not null
                && SameFraction(dr.CodingRate, codingRate))
            {
                dataRate = dr.Index;
                return true;
            }
        }

        dataRate = -1;
        return false;
    }

    /// <summary>Maximum MACPayload size M for a data rate (no repeater).</summary>
    public int MaxMacPayloadSize(int dataRate, bool dwellTimeLimited = false) => GetDataRate(dataRate).MaxMacPayload(dwellTimeLimited);

    /// <summary>Maximum application payload size N = M − 8 for a data rate (no repeater, FOpts absent).</summary>
    public int MaxApplicationPayloadSize(int dataRate, bool dwellTimeLimited = false) =>
        DataRate.ApplicationPayloadFromMac(MaxMacPayloadSize(dataRate, dwellTimeLimited));

    /// <summary>The RX1 downlink data rate for an uplink data rate and RX1DROffset.</summary>
    public int Rx1DataRate(int uplinkDataRate, int rx1DrOffset)
    {
        if (!TryGetRx1Row(uplinkDataRate, out var row))
        {
            throw new ArgumentOutOfRangeException(
                nameof(uplinkDataRate),
                uplinkDataRate,
                string.Create(CultureInfo.InvariantCulture, $"{Name} defines no RX1 data rate for uplink data rate {uplinkDataRate}."));
        }

        if ((uint)rx1DrOffset >= (uint)row.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rx1DrOffset),
                rx1DrOffset,
                string.Create(CultureInfo.InvariantCulture, $"{Name} RX1DROffset ranges from 0 to {row.Length - 1}."));
        }

        return row[rx1DrOffset];
    }

    public bool TryGetRx1DataRate(int uplinkDataRate, int rx1DrOffset, out int dataRate)
    {
        if (TryGetRx1Row(uplinkDataRate, out var row) && (uint)rx1DrOffset < (uint)row.Length)
        {
            dataRate = row[rx1DrOffset];
            return true;
        }

        dataRate = -1;
        return false;
    }

    /// <summary>The RX1 downlink frequency in Hz for an uplink received on <paramref name="uplinkFrequencyHz"/>.</summary>
    public ulong Rx1Frequency(ulong uplinkFrequencyHz)
    {
        if (!TryGetRx1Frequency(uplinkFrequencyHz, out var frequency))
        {
            throw new ArgumentOutOfRangeException(
                nameof(uplinkFrequencyHz),
                uplinkFrequencyHz,
                string.Create(CultureInfo.InvariantCulture, $"{uplinkFrequencyHz} Hz is not a {Name} uplink channel frequency."));
        }

        return frequency;
    }

    public bool TryGetRx1Frequency(ulong uplinkFrequencyHz, out ulong downlinkFrequencyHz)
    {
        switch (Rx1FrequencyRule)
        {
            case Rx1FrequencyRule.SameAsUplink:
                downlinkFrequencyHz = uplinkFrequencyHz;
                return true;

            case Rx1FrequencyRule.UplinkChannelModulo when _downlinkChannelBlock is { } downlink:
                if (TryGetUplinkChannel(uplinkFrequencyHz, out var channel))
                {
                    downlinkFrequencyHz = downlink.FrequencyOf(channel % downlink.Count);
                    return true;
                }

                break;
        }

        downlinkFrequencyHz = 0;
        return false;
    }

    /// <summary>
    /// The channel number of an uplink frequency: any channel of a fixed plan (US915: 0–63 at 125 kHz, 64–71 at
    /// 500 kHz), or a default channel of a dynamic plan (channels added by CFList/NewChannelReq are device state
    /// this type does not know).
    /// </summary>
    public bool TryGetUplinkChannel(ulong frequencyHz, out int channel)
    {
        foreach (var block in _uplinkChannelBlocks)
        {
            if (block.TryGetOffset(frequencyHz, out var offset))
            {
                channel = block.FirstChannel + offset;
                return true;
            }
        }

        foreach (var defaultChannel in _defaultChannels)
        {
            if (defaultChannel.FrequencyHz == frequencyHz)
            {
                channel = defaultChannel.Index;
                return true;
            }
        }

        channel = -1;
        return false;
    }

    /// <summary>Uplink EIRP in dBm for a TXPower index, relative to <see cref="DefaultMaxEirpDbm"/>.</summary>
    public int TxPowerDbm(int txPowerIndex) => TxPowerDbm(txPowerIndex, DefaultMaxEirpDbm);

    /// <summary>Uplink EIRP in dBm for a TXPower index, relative to a device's own max EIRP (e.g. from TxParamSetupReq).</summary>
    public int TxPowerDbm(int txPowerIndex, int maxEirpDbm)
    {
        if ((uint)txPowerIndex >= (uint)_txPowerOffsetsDb.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(txPowerIndex),
                txPowerIndex,
                string.Create(CultureInfo.InvariantCulture, $"{Name} TXPower index ranges from 0 to {MaxTxPowerIndex}."));
        }

        return maxEirpDbm + _txPowerOffsetsDb[txPowerIndex];
    }

    /// <summary>
    /// Default gateway downlink EIRP in dBm for a frequency (EU868: 16 dBm, 29 dBm in 869.4–869.65 MHz, i.e. the
    /// 14/27 dBm ERP limits + 2.15 dB). A network-server default, not an RP002 value.
    /// </summary>
    public int DownlinkTxPowerDbm(ulong frequencyHz)
    {
        foreach (var range in _downlinkTxPowerRanges)
        {
            if (frequencyHz >= range.MinFrequencyHz && frequencyHz < range.MaxFrequencyHz)
            {
                return range.EirpDbm;
            }
        }

        return _downlinkTxPowerEirpDbm;
    }

    /// <summary>
    /// Applies one LinkADRReq ChMaskCntl/ChMask pair to a channel mask the way a device of this region does.
    /// Returns false when ChMaskCntl is RFU for the region or the result enables a channel outside
    /// <paramref name="definedChannels"/>. An empty result is not rejected here because the spec judges a block of
    /// contiguous LinkADRReqs as a whole: check the final mask.
    /// </summary>
    public bool TryApplyLinkAdrChannelMask(ChannelMask current, ChannelMask definedChannels, int chMaskCntl, ushort chMask, out ChannelMask result) =>
        LinkAdrChannelMaskRules.TryApply(ChannelMaskLayout, current, definedChannels, chMaskCntl, chMask, out result);

    /// <summary>
    /// Writes the shortest sequence of LinkADRReq ChMaskCntl/ChMask pairs that turns any device mask into
    /// <paramref name="desired"/> and returns how many were written (at most
    /// <see cref="MaxLinkAdrChannelMasks"/>). ChMaskCntl 5 is used only when
    /// <paramref name="allowChMaskCntl5"/> is set, as devices implementing regional parameters older than
    /// RP002 reject it.
    /// </summary>
    public int WriteLinkAdrChannelMasks(ChannelMask desired, bool allowChMaskCntl5, Span<LinkAdrChannelMask> destination) =>
        LinkAdrChannelMaskRules.Write(ChannelMaskLayout, desired, allowChMaskCntl5, destination);

    public override string ToString() => Name;

    private bool TryGetRx1Row(int uplinkDataRate, [NotNullWhen(true)] out int[]? row)
    {
        row = (uint)uplinkDataRate < (uint)_rx1DataRates.Length ? _rx1DataRates[uplinkDataRate] : null;
        return row is not null;
    }

    private ArgumentOutOfRangeException UndefinedDataRate(string parameterName, int dataRate) =>
        new(
            parameterName,
            dataRate,
            string.Create(CultureInfo.InvariantCulture, $"{Name} does not define data rate {dataRate} (defined: {string.Join(", ", DataRates.Select(dr => dr.Index))})."));

    private static bool SameFraction(string a, string b) =>
        TryParseFraction(a, out var an, out var ad) && TryParseFraction(b, out var bn, out var bd) && an * bd == bn * ad;

    private static bool TryParseFraction(string text, out int numerator, out int denominator)
    {
        numerator = 0;
        denominator = 0;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        return int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out numerator)
            && int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out denominator)
            && denominator > 0;
    }
}
