using System.Globalization;
using System.Text.Json;

namespace WirelessNet.LoRaWan.Regions;

// Turns a region data file into a validated RegionParameters. Every inconsistency is reported with the
// source and field name so a broken data file fails at load, not at the first downlink.
internal static class RegionDataReader
{
    public static RegionParameters Read(ReadOnlySpan<byte> utf8Json, string source)
    {
        RegionDataFile? file;
        try
        {
            file = JsonSerializer.Deserialize(utf8Json, RegionDataJsonContext.Default.RegionDataFile);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: {ex.Message}", ex);
        }

        if (file is null)
        {
            throw new InvalidDataException($"{source}: the document is empty.");
        }

        return Build(file, source);
    }

    private static RegionParameters Build(RegionDataFile file, string source)
    {
        var errors = new ErrorSink(source);
        var id = Required(file.Id, "id", errors);
        var name = Required(file.Name, "name", errors);

        var dataRates = ReadDataRates(file.DataRates, errors);
        var rx1DataRates = ReadRx1DataRates(file.Rx1DataRates, dataRates, errors);
        var rx1FrequencyRule = Required(file.Rx1FrequencyRule, "rx1FrequencyRule", errors) switch
        {
            "sameAsUplink" => Rx1FrequencyRule.SameAsUplink,
            "uplinkChannelModulo" => Rx1FrequencyRule.UplinkChannelModulo,
            var other => errors.Fail<Rx1FrequencyRule>($"rx1FrequencyRule '{other}' is not 'sameAsUplink' or 'uplinkChannelModulo'"),
        };

        var uplinkBlocks = ReadUplinkBlocks(file.UplinkChannelBlocks, dataRates, errors);
        ChannelBlock? downlinkBlock = file.DownlinkChannelBlock is null
            ? null
            : ReadBlock(file.DownlinkChannelBlock, 0, "downlinkChannelBlock", dataRates, errors);
        if (rx1FrequencyRule == Rx1FrequencyRule.UplinkChannelModulo && (downlinkBlock is null || uplinkBlocks.Length == 0))
        {
            errors.Add("rx1FrequencyRule 'uplinkChannelModulo' needs uplinkChannelBlocks and downlinkChannelBlock");
        }

        var defaultChannels = ReadDefaultChannels(file.DefaultChannels, uplinkBlocks, dataRates, errors);
        var maxUplinkChannels = Required(file.MaxUplinkChannels, "maxUplinkChannels", errors);
        if (maxUplinkChannels is <= 0 or > ChannelMask.MaxChannels || defaultChannels.Length > maxUplinkChannels)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"maxUplinkChannels {maxUplinkChannels} must cover the {defaultChannels.Length} default channels and be at most {ChannelMask.MaxChannels}"));
        }

        var layout = Required(file.ChannelMaskLayout, "channelMaskLayout", errors) switch
        {
            "dynamic16" => ChannelMaskLayout.Dynamic16,
            "fixed64Plus8" => ChannelMaskLayout.Fixed64Plus8,
            var other => errors.Fail<ChannelMaskLayout>($"channelMaskLayout '{other}' is not 'dynamic16' or 'fixed64Plus8'"),
        };

        var cfListType = Required(file.CFListType, "cfListType", errors) switch
        {
            "frequencies" => CFListType.Frequencies,
            "channelMask" => CFListType.ChannelMask,
            var other => errors.Fail<CFListType>($"cfListType '{other}' is not 'frequencies' or 'channelMask'"),
        };

        var rx2Frequency = Required(file.Rx2FrequencyHz, "rx2FrequencyHz", errors);
        var rx2DataRate = Required(file.Rx2DataRate, "rx2DataRate", errors);
        if (!IsDefined(dataRates, rx2DataRate) || dataRates[rx2DataRate]!.IsDownlink is false)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"rx2DataRate {rx2DataRate} is not a defined downlink data rate"));
        }

        var txPowerOffsets = file.TxPowerOffsetsDb ?? [];
        if (txPowerOffsets.Length is 0 or > RegionParameters.MaxIndexCount - 1 || txPowerOffsets[0] != 0)
        {
            errors.Add("txPowerOffsetsDb needs 1 to 15 entries starting with 0 (index 0 is the max EIRP)");
        }

        var downlinkRanges = (file.DownlinkTxPowerRanges ?? []).Select((range, i) => new DownlinkTxPowerRange(
            Required(range.MinFrequencyHz, $"downlinkTxPowerRanges[{i}].minFrequencyHz", errors),
            Required(range.MaxFrequencyHz, $"downlinkTxPowerRanges[{i}].maxFrequencyHz", errors),
            Required(range.EirpDbm, $"downlinkTxPowerRanges[{i}].eirpDbm", errors))).ToArray();

        var receiveDelay1 = Seconds(file.ReceiveDelay1Seconds, "receiveDelay1Seconds", errors);
        var receiveDelay2 = Seconds(file.ReceiveDelay2Seconds, "receiveDelay2Seconds", errors);
        var joinAcceptDelay1 = Seconds(file.JoinAcceptDelay1Seconds, "joinAcceptDelay1Seconds", errors);
        var joinAcceptDelay2 = Seconds(file.JoinAcceptDelay2Seconds, "joinAcceptDelay2Seconds", errors);
        var maxFCntGap = Required(file.MaxFCntGap, "maxFCntGap", errors);
        var adrAckLimit = Required(file.AdrAckLimit, "adrAckLimit", errors);
        var adrAckDelay = Required(file.AdrAckDelay, "adrAckDelay", errors);
        var defaultMaxEirp = Required(file.DefaultMaxEirpDbm, "defaultMaxEirpDbm", errors);
        var downlinkTxPower = Required(file.DownlinkTxPowerEirpDbm, "downlinkTxPowerEirpDbm", errors);

        errors.ThrowIfAny();
        return new RegionParameters(
            id.ToLowerInvariant(),
            name,
            file.RegionalParametersRevision ?? "unspecified",
            dataRates,
            rx1DataRates,
            rx1FrequencyRule,
            defaultChannels,
            uplinkBlocks,
            downlinkBlock,
            maxUplinkChannels,
            layout,
            cfListType,
            rx2Frequency,
            rx2DataRate,
            receiveDelay1,
            receiveDelay2,
            joinAcceptDelay1,
            joinAcceptDelay2,
            maxFCntGap,
            adrAckLimit,
            adrAckDelay,
            defaultMaxEirp,
            txPowerOffsets,
            downlinkTxPower,
            downlinkRanges);
    }

    private static DataRate?[] ReadDataRates(DataRateEntry[]? entries, ErrorSink errors)
    {
        var table = new DataRate?[RegionParameters.MaxIndexCount];
        if (entries is null || entries.Length == 0)
        {
            errors.Add("dataRates is missing or empty");
            return table;
        }

        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"dataRates[{i}]");
            var index = Required(entry.Index, $"{at}.index", errors);

            // 15 is not a data rate: LinkADRReq uses it for "keep the current one".
            if (index is < 0 or >= RegionParameters.MaxIndexCount - 1 || table[index] is not null)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}.index {index} is out of 0..14 or duplicated"));
                continue;
            }

            var modulation = Required(entry.Modulation, $"{at}.modulation", errors) switch
            {
                "lora" => Modulation.LoRa,
                "fsk" => Modulation.Fsk,
                "lrFhss" => Modulation.LrFhss,
                var other => errors.Fail<Modulation>($"{at}.modulation '{other}' is not 'lora', 'fsk' or 'lrFhss'"),
            };

            var spreadingFactor = 0;
            var bandwidth = 0;
            var occupiedWidth = 0;
            switch (modulation)
            {
                case Modulation.LoRa:
                    spreadingFactor = Required(entry.SpreadingFactor, $"{at}.spreadingFactor", errors);
                    bandwidth = Required(entry.BandwidthHz, $"{at}.bandwidthHz", errors);
                    if (spreadingFactor is < 5 or > 12 || bandwidth <= 0)
                    {
                        errors.Add($"{at} has an invalid LoRa spreading factor or bandwidth");
                    }

                    break;
                case Modulation.LrFhss:
                    occupiedWidth = Required(entry.OccupiedChannelWidthHz, $"{at}.occupiedChannelWidthHz", errors);
                    _ = Required(entry.CodingRate, $"{at}.codingRate", errors);
                    break;
            }

            var maxMacPayload = Required(entry.MaxMacPayloadSize, $"{at}.maxMacPayloadSize", errors);
            var dwellLimited = entry.MaxMacPayloadSizeDwellLimited ?? maxMacPayload;
            if (maxMacPayload is < 8 or > 255 || dwellLimited is < 8 or > 255)
            {
                errors.Add($"{at} maximum payload sizes must be 8..255 bytes");
            }

            var uplink = entry.Uplink ?? false;
            var downlink = entry.Downlink ?? false;
            if (!uplink && !downlink)
            {
                errors.Add($"{at} is neither uplink nor downlink");
            }

            table[index] = new DataRate(
                index,
                modulation,
                spreadingFactor,
                bandwidth,
                entry.CodingRate,
                occupiedWidth,
                Required(entry.BitRate, $"{at}.bitRate", errors),
                uplink,
                downlink,
                maxMacPayload,
                dwellLimited);
        }

        return table;
    }

    private static int[]?[] ReadRx1DataRates(Rx1DataRateEntry[]? entries, DataRate?[] dataRates, ErrorSink errors)
    {
        var table = new int[]?[RegionParameters.MaxIndexCount];
        if (entries is null || entries.Length == 0)
        {
            errors.Add("rx1DataRates is missing or empty");
            return table;
        }

        int? offsets = null;
        for (var i = 0; i < entries.Length; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"rx1DataRates[{i}]");
            var uplink = Required(entries[i].UplinkDataRate, $"{at}.uplinkDataRate", errors);
            var row = entries[i].ByOffset;
            if (!IsDefined(dataRates, uplink) || !dataRates[uplink]!.IsUplink || table[uplink] is not null)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}.uplinkDataRate {uplink} is not a defined uplink data rate or is duplicated"));
                continue;
            }

            if (row is null || row.Length == 0 || (offsets is { } expected && row.Length != expected))
            {
                errors.Add($"{at}.byOffset must be non-empty and as long as the other rows");
                continue;
            }

            offsets = row.Length;
            foreach (var downlink in row)
            {
                if (!IsDefined(dataRates, downlink) || !dataRates[downlink]!.IsDownlink)
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}.byOffset names {downlink}, not a defined downlink data rate"));
                }
            }

            table[uplink] = row.ToArray();
        }

        return table;
    }

    private static ChannelBlock[] ReadUplinkBlocks(ChannelBlockEntry[]? entries, DataRate?[] dataRates, ErrorSink errors)
    {
        if (entries is null)
        {
            return [];
        }

        var blocks = new ChannelBlock[entries.Length];
        var firstChannel = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            blocks[i] = ReadBlock(entries[i], firstChannel, string.Create(CultureInfo.InvariantCulture, $"uplinkChannelBlocks[{i}]"), dataRates, errors);
            firstChannel += blocks[i].Count;
        }

        return blocks;
    }

    private static ChannelBlock ReadBlock(ChannelBlockEntry entry, int firstChannel, string at, DataRate?[] dataRates, ErrorSink errors)
    {
        var block = new ChannelBlock(
            firstChannel,
            Required(entry.FirstFrequencyHz, $"{at}.firstFrequencyHz", errors),
            Required(entry.StepHz, $"{at}.stepHz", errors),
            Required(entry.Count, $"{at}.count", errors),
            Required(entry.BandwidthHz, $"{at}.bandwidthHz", errors),
            Required(entry.MinDataRate, $"{at}.minDataRate", errors),
            Required(entry.MaxDataRate, $"{at}.maxDataRate", errors));
        if (block.StepHz == 0 || block.Count <= 0 || firstChannel + block.Count > ChannelMask.MaxChannels)
        {
            errors.Add($"{at} needs a non-zero step and 1..{ChannelMask.MaxChannels} channels");
        }

        if (!IsDefined(dataRates, block.MinDataRate) || !IsDefined(dataRates, block.MaxDataRate) || block.MinDataRate > block.MaxDataRate)
        {
            errors.Add($"{at} data-rate range is not defined");
        }

        return block;
    }

    private static UplinkChannel[] ReadDefaultChannels(ChannelEntry[]? entries, ChannelBlock[] uplinkBlocks, DataRate?[] dataRates, ErrorSink errors)
    {
        // Fixed plans list their channels as blocks: every channel of every block is a default channel.
        if (uplinkBlocks.Length > 0)
        {
            if (entries is { Length: > 0 })
            {
                errors.Add("give either defaultChannels or uplinkChannelBlocks, not both");
            }

            return uplinkBlocks
                .SelectMany(block => Enumerable.Range(0, Math.Max(block.Count, 0)).Select(offset => new UplinkChannel(
                    block.FirstChannel + offset,
                    block.FrequencyOf(offset),
                    block.BandwidthHz,
                    block.MinDataRate,
                    block.MaxDataRate)))
                .ToArray();
        }

        if (entries is null || entries.Length == 0)
        {
            errors.Add("defaultChannels is missing or empty");
            return [];
        }

        var channels = new UplinkChannel[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"defaultChannels[{i}]");
            channels[i] = new UplinkChannel(
                i,
                Required(entries[i].FrequencyHz, $"{at}.frequencyHz", errors),
                Required(entries[i].BandwidthHz, $"{at}.bandwidthHz", errors),
                Required(entries[i].MinDataRate, $"{at}.minDataRate", errors),
                Required(entries[i].MaxDataRate, $"{at}.maxDataRate", errors));
            if (!IsDefined(dataRates, channels[i].MinDataRate) || !IsDefined(dataRates, channels[i].MaxDataRate))
            {
                errors.Add($"{at} data-rate range is not defined");
            }
        }

        return channels;
    }

    private static TimeSpan Seconds(double? value, string field, ErrorSink errors)
    {
        var seconds = Required(value, field, errors);
        if (seconds is < 0 or > 60)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{field} {seconds} is outside 0..60 s"));
            return TimeSpan.Zero;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static bool IsDefined(DataRate?[] dataRates, int index) => (uint)index < (uint)dataRates.Length && dataRates[index] is not null;

    private static T Required<T>(T? value, string field, ErrorSink errors)
        where T : struct
    {
        if (value is { } present)
        {
            return present;
        }

        errors.Add($"{field} is missing");
        return default;
    }

    private static string Required(string? value, string field, ErrorSink errors)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        errors.Add($"{field} is missing");
        return string.Empty;
    }

    // Collects every problem so one load reports them all instead of one per edit-run cycle.
    private sealed class ErrorSink(string source)
    {
        private readonly List<string> _errors = [];

        public void Add(string error) => _errors.Add(error);

        public T Fail<T>(string error)
        {
            _errors.Add(error);
            return default!;
        }

        public void ThrowIfAny()
        {
            if (_errors.Count > 0)
            {
                throw new InvalidDataException($"{source}: {string.Join("; ", _errors)}.");
            }
        }
    }
}
