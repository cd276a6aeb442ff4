using WirelessNet.Offload.Records;
using WirelessNet.Offload.Settlement;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Lns.Offload;

/// <summary>
/// A record that passed every stateless check, waiting for the stateful step (event_id claim, RADIUS counter
/// advance, storage and metering) that the store runs atomically.
/// </summary>
/// <param name="Draft">The transfer as the validator built it; its byte counts are the reported counters.</param>
/// <param name="Kind">Accounting kind: standalone counters are taken as they are, the others are cumulative.</param>
/// <param name="Reported">Counters as reported (cumulative for accounting records, rewardable even when cancelled).</param>
/// <param name="Fingerprint">Hash of the signed content: the same event_id with the same fingerprint is a retry.</param>
public sealed record PendingTransfer(AcceptedTransfer Draft, AccountingRecordKind Kind, TransferCounters Reported, string Fingerprint);

/// <summary>What the stateful step made of a record.</summary>
public enum CommitStatus
{
    /// <summary>Stored and metered now.</summary>
    Accepted = 0,

    /// <summary>The same record was stored before: acknowledged again, not counted again.</summary>
    AlreadyAccepted = 1,

    /// <summary>The carrier already used this event_id for a different record.</summary>
    Duplicate = 2,

    /// <summary>A cumulative counter is below the session's mark.</summary>
    CounterWentBackwards = 3,

    /// <summary>The session was stopped at lower counters.</summary>
    SessionAlreadyStopped = 4,
}

/// <summary>Outcome of one record's stateful step.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Transfer">The stored transfer with its byte deltas, when accepted now.</param>
public readonly record struct CommitOutcome(CommitStatus Status, AcceptedTransfer? Transfer);

/// <summary>A rejected record as kept for the carrier's rejection report.</summary>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="Kind"><c>session</c>, <c>heartbeat</c> or <c>speedtest</c>.</param>
/// <param name="EventId">event_id of a session (empty otherwise).</param>
/// <param name="Hotspot">Hotspot address, when the record named a parseable one.</param>
/// <param name="Reason">Reason name (e.g. <c>DuplicateEvent</c>).</param>
/// <param name="Message">Detail.</param>
public sealed record RejectedRecord(DateTimeOffset ReceivedAt, string Kind, string EventId, string? Hotspot, string Reason, string Message);

/// <summary>A carrier as the operator configured it.</summary>
/// <param name="CarrierId">Carrier id (letters, digits, <c>-_.</c>).</param>
/// <param name="RouterKeys">Helium addresses of the carrier's router keys.</param>
/// <param name="AllowedTechnologies">Radio technologies the contract pays for.</param>
/// <param name="LateRecordLimit">Oldest record age accepted.</param>
/// <param name="HeliumCarrierId">The <c>carrier_id_v2</c> value its routers may put in Helium envelopes (0: any).</param>
public sealed record CarrierSettings(
    string CarrierId,
    IReadOnlyList<string> RouterKeys,
    IReadOnlyList<RadioAccessTechnology> AllowedTechnologies,
    TimeSpan LateRecordLimit,
    int HeliumCarrierId);

/// <summary>A hotspot as the operator configured it.</summary>
/// <param name="HotspotKey">Helium address.</param>
/// <param name="Banned">Banned hotspots' records are rejected.</param>
/// <param name="Latitude">Asserted latitude, if any.</param>
/// <param name="Longitude">Asserted longitude, if any.</param>
public sealed record HotspotSettings(string HotspotKey, bool Banned, double? Latitude, double? Longitude);

/// <summary>A stored partner API key: only the SHA-256 of the key is kept.</summary>
public sealed record PartnerKeyRecord(string KeyId, string CarrierId, byte[] KeyHash, DateTimeOffset CreatedAt);

/// <summary>
/// One entry of a carrier's settlement log. Appends compare the log's length, so two instances closing or crediting
/// at once cannot both write; the ledger's state itself is in the checkpoint written with the entry.
/// </summary>
/// <param name="Kind"><c>close</c> or <c>dispute</c>.</param>
/// <param name="RecordWatermark">The last settlement epoch whose tallies the entry's checkpoint includes.</param>
/// <param name="PeriodStart">Closed period's start (close).</param>
/// <param name="At">When it happened (a close's issue time).</param>
/// <param name="EventIds">Disputed ids that were credited (dispute).</param>
public sealed record SettlementLogEntry(
    string Kind,
    long RecordWatermark,
    DateTimeOffset PeriodStart,
    DateTimeOffset At,
    IReadOnlyList<string>? EventIds);

/// <summary>A statement as stored: its JSON view and the signed canonical bytes.</summary>
/// <param name="Sequence">Per-carrier sequence number.</param>
/// <param name="CanonicalBytes">Signed bytes.</param>
/// <param name="Signature">Ed25519 signature.</param>
/// <param name="SignerKey">Signing key address.</param>
/// <param name="Json">The statement as JSON (docs/offload.md).</param>
public sealed record StoredStatement(long Sequence, byte[] CanonicalBytes, byte[] Signature, string SignerKey, string Json);

/// <summary>
/// One (settlement period, hotspot, payer) tally of the records committed in one settlement epoch: what a close adds
/// to an open period's book instead of reading the records.
/// </summary>
/// <param name="PeriodStart">Settlement period start.</param>
/// <param name="Member">The bucket as <c>&lt;hotspot&gt;/&lt;payer&gt;/&lt;hex&gt;</c> (as in usage).</param>
/// <param name="Tally">Sums of the records.</param>
/// <param name="Earliest">Earliest record time (Unix s).</param>
/// <param name="Latest">Latest record time (Unix s).</param>
public sealed record SettlementBucket(DateTimeOffset PeriodStart, string Member, TransferTally Tally, long Earliest, long Latest);

/// <summary>
/// What was committed in one settlement epoch (the span between two cuts): tallies per bucket, and, individually,
/// the records whose period was already marked closed when they were committed (candidates for late adjustments).
/// </summary>
public sealed record SettlementEpoch(IReadOnlyList<SettlementBucket> Buckets, IReadOnlyList<AcceptedTransfer> MarkedLate);

/// <summary>The carrier's settlement checkpoint as stored with its last log entry.</summary>
/// <param name="LogLength">Entries in the settlement log when read.</param>
/// <param name="State">The checkpoint JSON (<see cref="SettlementCheckpointState"/>), null before the first entry.</param>
public sealed record StoredSettlementCheckpoint(long LogLength, string? State);

/// <summary>
/// Written with a settlement log entry: the carrier's checkpoint, the period books that changed (period start in
/// Unix s → JSON) and the settlement epochs it consumed, whose tallies the store may drop.
/// </summary>
public sealed record SettlementCheckpointWrite(string State, IReadOnlyDictionary<long, string> Books, long DropEpochsFrom, long DropEpochsThrough);

/// <summary>An accepted record found by its event_id, with the settlement epoch it was committed in.</summary>
public sealed record LocatedRecord(AcceptedTransfer Record, long Epoch);
