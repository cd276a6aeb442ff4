using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Heartbeats;
using WirelessNet.Offload.Metering;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Lns.Offload;

/// <summary>
/// Durable offload state: configuration, the per-record stateful step, usage counters, heartbeats, rejections and
/// the settlement log. In memory or Redis (<c>Store:Kind</c>); both have the same semantics, checked by one contract
/// test. Every method returns only once its writes are stored (for Redis: acknowledged by the server, which with
/// AOF persists them per its fsync policy).
/// </summary>
public interface IOffloadStore
{
    /// <summary>
    /// Runs the stateful step for each record of one carrier, in order and atomically per record: claim the
    /// event_id (a claim with the same fingerprint answers <see cref="CommitStatus.AlreadyAccepted"/> or the earlier
    /// rejection), advance the RADIUS session, append the record with its deltas, add it to the usage counters and
    /// to the current settlement epoch's tally of its (settlement period, hotspot, payer); a record whose period is
    /// marked closed is also kept one by one for the late adjustment.
    /// </summary>
    Task<IReadOnlyList<CommitOutcome>> CommitAsync(string carrierId, IReadOnlyList<PendingTransfer> records, TimeSpan retention, CancellationToken cancellationToken);

    /// <summary>Accepted records of a carrier in store order, from <paramref name="from"/> (0-based), at most <paramref name="count"/>.</summary>
    Task<IReadOnlyList<AcceptedTransfer>> ReadRecordsAsync(string carrierId, long from, int count, CancellationToken cancellationToken);

    /// <summary>Number of accepted records of a carrier.</summary>
    Task<long> CountRecordsAsync(string carrierId, CancellationToken cancellationToken);

    /// <summary>Every usage bucket of one scope in a carrier's period.</summary>
    Task<IReadOnlyList<KeyValuePair<UsageBucketKey, UsageCounters>>> ReadUsageAsync(MeterGranularity granularity, DateTimeOffset periodStart, string carrierId, UsageScope scope, CancellationToken cancellationToken);

    /// <summary>Keeps a rejection (newest first, at most <paramref name="keep"/> per carrier).</summary>
    Task AddRejectionsAsync(string carrierId, IReadOnlyList<RejectedRecord> rejections, int keep, CancellationToken cancellationToken);

    /// <summary>The carrier's most recent rejections, newest first.</summary>
    Task<IReadOnlyList<RejectedRecord>> GetRejectionsAsync(string carrierId, int offset, int count, CancellationToken cancellationToken);

    /// <summary>Counts a heartbeat for its UTC hour unless one already counted; false when the hour was taken.</summary>
    Task<bool> CountHeartbeatAsync(HeliumPublicKey hotspot, DateTimeOffset hour, decimal trust, CancellationToken cancellationToken);

    /// <summary>The hotspot's counted hours and mean trust for a UTC day.</summary>
    Task<HeartbeatDaySummary> GetHeartbeatDayAsync(HeliumPublicKey hotspot, DateOnly day, CancellationToken cancellationToken);

    /// <summary>Keeps a speed test of its hotspot (by test time; at most <paramref name="keep"/> newest per hotspot; a resend is kept once).</summary>
    Task AddSpeedtestAsync(Speedtest speedtest, int keep, CancellationToken cancellationToken);

    /// <summary>The hotspot's kept speed tests taken before <paramref name="before"/>, newest first, at most <paramref name="count"/>.</summary>
    Task<IReadOnlyList<Speedtest>> GetSpeedtestsAsync(HeliumPublicKey hotspot, DateTimeOffset before, int count, CancellationToken cancellationToken);

    /// <summary>True when the carrier has an accepted record carried by the hotspot (what makes it one of the carrier's hotspots).</summary>
    Task<bool> CarrierUsedHotspotAsync(string carrierId, HeliumPublicKey hotspot, CancellationToken cancellationToken);

    Task PutCarrierAsync(CarrierSettings carrier, CancellationToken cancellationToken);

    Task<IReadOnlyList<CarrierSettings>> GetCarriersAsync(CancellationToken cancellationToken);

    Task PutHotspotAsync(HotspotSettings hotspot, CancellationToken cancellationToken);

    Task<IReadOnlyList<HotspotSettings>> GetHotspotsAsync(CancellationToken cancellationToken);

    /// <summary>Adds or replaces (same effective instant) a rate card; stored as JSON of <see cref="WirelessNet.Offload.Settlement.RateCard"/>.</summary>
    Task PutRateCardAsync(string carrierId, DateTimeOffset effectiveFrom, string json, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> GetRateCardsAsync(CancellationToken cancellationToken);

    Task PutPartnerKeyAsync(PartnerKeyRecord key, CancellationToken cancellationToken);

    Task<PartnerKeyRecord?> GetPartnerKeyAsync(string keyId, CancellationToken cancellationToken);

    /// <summary>The carrier's settlement log, oldest first.</summary>
    Task<IReadOnlyList<SettlementLogEntry>> GetSettlementLogAsync(string carrierId, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a log entry, the statements it issued and (when given) the settlement checkpoint, only if the log
    /// still has <paramref name="expectedLogLength"/> entries (so two instances closing at once cannot both issue).
    /// False when another append came first.
    /// </summary>
    Task<bool> AppendSettlementAsync(string carrierId, long expectedLogLength, SettlementLogEntry entry, IReadOnlyList<StoredStatement> statements, SettlementCheckpointWrite? checkpoint, CancellationToken cancellationToken);

    /// <summary>The settlement log's length and the checkpoint stored with its last entry, read together.</summary>
    Task<StoredSettlementCheckpoint> GetSettlementCheckpointAsync(string carrierId, CancellationToken cancellationToken);

    /// <summary>Stored period books (period start in Unix s → JSON); periods without a book are left out.</summary>
    Task<IReadOnlyDictionary<long, string>> GetSettlementBooksAsync(string carrierId, IReadOnlyCollection<long> periodStarts, CancellationToken cancellationToken);

    /// <summary>
    /// Starts closing a period, atomically: if the log still has <paramref name="expectedLogLength"/> entries, marks
    /// the period closed for ingest (its records committed from now on are also kept one by one as late candidates)
    /// and starts a new settlement epoch. Returns the epoch that ended (every epoch up to it is complete and no
    /// longer written), or null when the log changed.
    /// </summary>
    Task<long?> CutSettlementEpochAsync(string carrierId, long expectedLogLength, DateTimeOffset periodStart, CancellationToken cancellationToken);

    /// <summary>The tallies and late candidates committed in one ended settlement epoch.</summary>
    Task<SettlementEpoch> ReadSettlementEpochAsync(string carrierId, long epoch, CancellationToken cancellationToken);

    /// <summary>An accepted record by event_id, with its settlement epoch, while its claim is kept; null otherwise.</summary>
    Task<LocatedRecord?> FindRecordAsync(string carrierId, string eventId, CancellationToken cancellationToken);

    /// <summary>The carrier's statements in sequence order.</summary>
    Task<IReadOnlyList<StoredStatement>> GetStatementsAsync(string carrierId, CancellationToken cancellationToken);

    /// <summary>
    /// The carrier's statements from sequence <paramref name="fromSequence"/> (1-based; sequences have no gaps), at
    /// most <paramref name="count"/>, in sequence order: a page read without loading the others.
    /// </summary>
    Task<IReadOnlyList<StoredStatement>> GetStatementsAsync(string carrierId, long fromSequence, int count, CancellationToken cancellationToken);

    /// <summary>The carrier's statement with <paramref name="sequence"/>, or null.</summary>
    async Task<StoredStatement?> GetStatementAsync(string carrierId, long sequence, CancellationToken cancellationToken) =>
        (await GetStatementsAsync(carrierId, sequence, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Sequence == sequence);
}
