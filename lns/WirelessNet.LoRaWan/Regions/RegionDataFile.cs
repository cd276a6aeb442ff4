namespace WirelessNet.LoRaWan.Regions;

// The on-disk shape of Regions/Data/*.json. Kept separate from RegionParameters so the public
// type stays immutable and validated while the file format can stay forgiving (all optional,
// checked once at load with messages that name the offending field).

internal sealed class RegionDataFile
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? RegionalParametersRevision { get; set; }
    public DataRateEntry[]? DataRates { get; set; }
    public Rx1DataRateEntry[]? Rx1DataRates { get; set; }
    public string? Rx1FrequencyRule { get; set; }
    public ChannelEntry[]? DefaultChannels { get; set; }
    public ChannelBlockEntry[]? UplinkChannelBlocks { get; set; }
    public ChannelBlockEntry? DownlinkChannelBlock { get; set; }
    public int? MaxUplinkChannels { get; set; }
    public string? ChannelMaskLayout { get; set; }
    [System.Text.Json.Serialization.JsonPropertyName("cfListType")]
    public string? CFListType { get; set; }
    public ulong? Rx2FrequencyHz { get; set; }
    public int? Rx2DataRate { get; set; }
    public double? ReceiveDelay1Seconds { get; set; }
    public double? ReceiveDelay2Seconds { get; set; }
    public double? JoinAcceptDelay1Seconds { get; set; }
    public double? JoinAcceptDelay2Seconds { get; set; }
    public int? MaxFCntGap { get; set; }
    public int? AdrAckLimit { get; set; }
    public int? AdrAckDelay { get; set; }
    public int? DefaultMaxEirpDbm { get; set; }
    public int[]? TxPowerOffsetsDb { get; set; }
    public int? DownlinkTxPowerEirpDbm { get; set; }
    public DownlinkTxPowerRangeEntry[]? DownlinkTxPowerRanges { get; set; }
}

internal sealed class DataRateEntry
{
    public int? Index { get; set; }
    public string? Modulation { get; set; }
    public int? SpreadingFactor { get; set; }
    public int? BandwidthHz { get; set; }
    public string? CodingRate { get; set; }
    public int? OccupiedChannelWidthHz { get; set; }
    public int? BitRate { get; set; }
    public bool? Uplink { get; set; }
    public bool? Downlink { get; set; }
    public int? MaxMacPayloadSize { get; set; }
    public int? MaxMacPayloadSizeDwellLimited { get; set; }
}

internal sealed class Rx1DataRateEntry
{
    public int? UplinkDataRate { get; set; }
    public int[]? ByOffset { get; set; }
}

internal sealed class ChannelEntry
{
    public ulong? FrequencyHz { get; set; }
    public int? BandwidthHz { get; set; }
    public int? MinDataRate { get; set; }
    public int? MaxDataRate { get; set; }
}

internal sealed class ChannelBlockEntry
{
    public ulong? FirstFrequencyHz { get; set; }
    public ulong? StepHz { get; set; }
    public int? Count { get; set; }
    public int? BandwidthHz { get; set; }
    public int? MinDataRate { get; set; }
    public int? MaxDataRate { get; set; }
}

internal sealed class DownlinkTxPowerRangeEntry
{
    public ulong? MinFrequencyHz { get; set; }
    public ulong? MaxFrequencyHz { get; set; }
    public int? EirpDbm { get; set; }
}
