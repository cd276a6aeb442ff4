using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;

namespace WirelessNet.Offload.Metering;

/// <summary>Length of a metering bucket.</summary>
public enum MeterGranularity
{
    /// <summary>A UTC hour.</summary>
    Hour = 0,

    /// <summary>A UTC day.</summary>
    Day = 1,
}

/// <summary>What a bucket aggregates over, within a carrier and period.</summary>
public enum UsageScope
{
    /// <summary>All of the carrier's traffic.</summary>
    Carrier = 0,

    /// <summary>One hotspot's traffic.</summary>
    Hotspot = 1,

    /// <summary>Traffic of hotspots asserted in one res-8 hex.</summary>
    Hex = 2,

    /// <summary>One hotspot's traffic paid by one payer: the data-credit burn bucket.</summary>
    HotspotPayer = 3,
}

/// <summary>
/// Identity of one counter bucket. In Redis it is one hash key (fields as in <see cref="UsageCounters"/>), listed
/// in a set per (granularity, period, carrier, scope) so a period can be read back without SCAN.
/// </summary>
/// <param name="Granularity">Hour or day.</param>
/// <param name="PeriodStart">Start of the UTC hour or day.</param>
/// <param name="CarrierId">Carrier.</param>
/// <param name="Scope">What the bucket aggregates over.</param>
/// <param name="Hotspot">Hotspot for hotspot and hotspot-payer scopes.</param>
/// <param name="Payer">Payer for the hotspot-payer scope.</param>
/// <param name="Hex">Hex for the hex scope, and the hotspot's hex for hotspot-payer buckets (so DC can be summed by hex).</param>
public readonly record struct UsageBucketKey(
    MeterGranularity Granularity,
    DateTimeOffset PeriodStart,
    string CarrierId,
    UsageScope Scope,
    HeliumPublicKey? Hotspot,
    HeliumPublicKey? Payer,
    H3Index Hex);

/// <summary>Counters of one bucket; each field is one HINCRBY-able integer.</summary>
/// <param name="Records">Accepted records.</param>
/// <param name="Sessions">Records that opened a session.</param>
/// <param name="BilledRecords">Records whose reward was not cancelled (they make a bucket owe DC).</param>
/// <param name="UploadBytes">Upload bytes.</param>
/// <param name="DownloadBytes">Download bytes.</param>
/// <param name="RewardableBytes">Rewardable bytes.</param>
public readonly record struct UsageCounters(
    long Records,
    long Sessions,
    long BilledRecords,
    long UploadBytes,
    long DownloadBytes,
    long RewardableBytes)
{
    /// <summary>Field-wise sum, checked: a counter overflow is a bug, not a wrap.</summary>
    public UsageCounters Plus(UsageCounters other) => new(
        checked(Records + other.Records),
        checked(Sessions + other.Sessions),
        checked(BilledRecords + other.BilledRecords),
        checked(UploadBytes + other.UploadBytes),
        checked(DownloadBytes + other.DownloadBytes),
        checked(RewardableBytes + other.RewardableBytes));
}

/// <summary>
/// Atomic counter storage. Every operation maps to Redis: <see cref="Increment"/> to one MULTI of HINCRBY per field
/// plus SADD of the key to its period index, <see cref="Read"/> to HGETALL, <see cref="ReadPeriod"/> to SMEMBERS
/// then HGETALL per member. Increments commute, so concurrent ingest workers need no coordination.
/// </summary>
public interface IUsageCounterStore
{
    /// <summary>Adds <paramref name="delta"/> to the bucket, creating it at zero.</summary>
    void Increment(UsageBucketKey key, UsageCounters delta);

    /// <summary>The bucket's counters (zero when it does not exist).</summary>
    UsageCounters Read(UsageBucketKey key);

    /// <summary>Every bucket of one scope in one carrier's period.</summary>
    IReadOnlyList<KeyValuePair<UsageBucketKey, UsageCounters>> ReadPeriod(MeterGranularity granularity, DateTimeOffset periodStart, string carrierId, UsageScope scope);
}

/// <summary>In-memory <see cref="IUsageCounterStore"/> with the same semantics as the Redis one.</summary>
public sealed class InMemoryUsageCounterStore : IUsageCounterStore
{
    private readonly Dictionary<UsageBucketKey, UsageCounters> _buckets = [];
    private readonly Dictionary<(MeterGranularity, DateTimeOffset, string, UsageScope), HashSet<UsageBucketKey>> _index = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public void Increment(UsageBucketKey key, UsageCounters delta)
    {
        lock (_gate)
        {
            _buckets[key] = _buckets.TryGetValue(key, out var current) ? current.Plus(delta) : delta;
            var indexKey = (key.Granularity, key.PeriodStart, key.CarrierId, key.Scope);
            if (!_index.TryGetValue(indexKey, out var members))
            {
                members = [];
                _index[indexKey] = members;
            }

            members.Add(key);
        }
    }

    /// <inheritdoc />
    public UsageCounters Read(UsageBucketKey key)
    {
        lock (_gate)
        {
            return _buckets.TryGetValue(key, out var counters) ? counters : default;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<UsageBucketKey, UsageCounters>> ReadPeriod(MeterGranularity granularity, DateTimeOffset periodStart, string carrierId, UsageScope scope)
    {
        lock (_gate)
        {
            if (!_index.TryGetValue((granularity, periodStart, carrierId, scope), out var members))
            {
                return [];
            }

            return members.Select(key => new KeyValuePair<UsageBucketKey, UsageCounters>(key, _buckets[key])).ToList();
        }
    }
}
