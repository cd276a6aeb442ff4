using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Offload.Metering;

/// <summary>
/// Meters accepted transfers per UTC hour and day, per carrier, hotspot, res-8 hex and (hotspot, payer). Data credits
/// are derived on read from the (hotspot, payer) buckets, with the bucket's own granularity as the burn period, so an
/// hour's DC and its day's DC are each exact for their period (the day is not the sum of its hours: ceil and the
/// 1-DC minimum apply once per bucket).
/// </summary>
public sealed class UsageMeter
{
    private readonly IUsageCounterStore _store;

    /// <summary>A meter over <paramref name="store"/>.</summary>
    public UsageMeter(IUsageCounterStore store, long bytesPerDataCredit = DataCredits.DefaultBytesPerDataCredit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerDataCredit);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        BytesPerDataCredit = bytesPerDataCredit;
    }

    /// <summary>Bytes one data credit pays for.</summary>
    public long BytesPerDataCredit { get; }

    /// <summary>Start of the UTC hour or day containing <paramref name="time"/>.</summary>
    public static DateTimeOffset PeriodStart(MeterGranularity granularity, DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return granularity == MeterGranularity.Hour
            ? new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Adds one accepted transfer to every bucket it belongs to.</summary>
    public void Record(AcceptedTransfer transfer)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        var delta = new UsageCounters(
            1,
            transfer.OpensSession ? 1 : 0,
            transfer.IsBilled ? 1 : 0,
            transfer.UploadBytes,
            transfer.DownloadBytes,
            transfer.RewardableBytes);

        foreach (var granularity in (ReadOnlySpan<MeterGranularity>)[MeterGranularity.Hour, MeterGranularity.Day])
        {
            var start = PeriodStart(granularity, transfer.Timestamp);
            var carrier = transfer.CarrierId;
            _store.Increment(new(granularity, start, carrier, UsageScope.Carrier, null, null, H3Index.Null), delta);
            _store.Increment(new(granularity, start, carrier, UsageScope.Hotspot, transfer.HotspotKey, null, H3Index.Null), delta);
            _store.Increment(new(granularity, start, carrier, UsageScope.Hex, null, null, transfer.Hex), delta);
            _store.Increment(new(granularity, start, carrier, UsageScope.HotspotPayer, transfer.HotspotKey, transfer.Payer, transfer.Hex), delta);
        }
    }

    /// <summary>The carrier's totals for the period containing <paramref name="time"/>.</summary>
    public UsageCounters CarrierTotals(MeterGranularity granularity, DateTimeOffset time, string carrierId) =>
        _store.Read(new(granularity, PeriodStart(granularity, time), carrierId, UsageScope.Carrier, null, null, H3Index.Null));

    /// <summary>One hotspot's totals for the period.</summary>
    public UsageCounters HotspotTotals(MeterGranularity granularity, DateTimeOffset time, string carrierId, HeliumPublicKey hotspot) =>
        _store.Read(new(granularity, PeriodStart(granularity, time), carrierId, UsageScope.Hotspot, hotspot, null, H3Index.Null));

    /// <summary>One hex's totals for the period.</summary>
    public UsageCounters HexTotals(MeterGranularity granularity, DateTimeOffset time, string carrierId, H3Index hex) =>
        _store.Read(new(granularity, PeriodStart(granularity, time), carrierId, UsageScope.Hex, null, null, hex));

    /// <summary>The carrier's data credits for the period: the sum over its (hotspot, payer) burn buckets.</summary>
    public long CarrierDataCredits(MeterGranularity granularity, DateTimeOffset time, string carrierId) =>
        BurnBuckets(granularity, time, carrierId).Sum(bucket => BucketCredits(bucket.Value));

    /// <summary>One hotspot's data credits for the period.</summary>
    public long HotspotDataCredits(MeterGranularity granularity, DateTimeOffset time, string carrierId, HeliumPublicKey hotspot) =>
        BurnBuckets(granularity, time, carrierId).Where(bucket => bucket.Key.Hotspot == hotspot).Sum(bucket => BucketCredits(bucket.Value));

    /// <summary>Data credits of the hotspots in one hex for the period.</summary>
    public long HexDataCredits(MeterGranularity granularity, DateTimeOffset time, string carrierId, H3Index hex) =>
        BurnBuckets(granularity, time, carrierId).Where(bucket => bucket.Key.Hex == hex).Sum(bucket => BucketCredits(bucket.Value));

    /// <summary>Data credits each payer owes for the period, for the burn step.</summary>
    public IReadOnlyDictionary<HeliumPublicKey, long> PayerDataCredits(MeterGranularity granularity, DateTimeOffset time, string carrierId) =>
        BurnBuckets(granularity, time, carrierId)
            .GroupBy(bucket => bucket.Key.Payer!)
            .ToDictionary(group => group.Key, group => group.Sum(bucket => BucketCredits(bucket.Value)));

    private IReadOnlyList<KeyValuePair<UsageBucketKey, UsageCounters>> BurnBuckets(MeterGranularity granularity, DateTimeOffset time, string carrierId) =>
        _store.ReadPeriod(granularity, PeriodStart(granularity, time), carrierId, UsageScope.HotspotPayer);

    private long BucketCredits(UsageCounters counters) =>
        DataCredits.ForBucket(counters.BilledRecords, counters.RewardableBytes, BytesPerDataCredit);
}
