using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Heartbeats;
using WirelessNet.Offload.Metering;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Lns.Offload;

/// <summary>
/// <see cref="IOffloadStore"/> in process memory (<c>Store:Kind=InMemory</c>): one lock makes each record's
/// stateful step atomic, as the Redis script does. Lost on restart; for development and single-node tests.
/// </summary>
public sealed class InMemoryOffloadStore : IOffloadStore
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<(string Carrier, string EventId), (string Value, DateTimeOffset Expiry)> _claims = [];
    private readonly Dictionary<(string Carrier, string Session), (TransferCounters Mark, bool Stopped)> _sessions = [];
    private readonly Dictionary<string, List<string>> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Carrier, string Index), Dictionary<string, UsageCounters>> _usage = [];
    private readonly Dictionary<string, LinkedList<RejectedRecord>> _rejections = new(StringComparer.Ordinal);
    private readonly Dictionary<(HeliumPublicKey Hotspot, DateOnly Day), SortedDictionary<int, decimal>> _heartbeats = [];
    private readonly Dictionary<string, CarrierSettings> _carriers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HotspotSettings> _hotspots = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Carrier, long From), string> _rateCards = [];
    private readonly Dictionary<string, PartnerKeyRecord> _partnerKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SettlementLogEntry>> _log = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StoredStatement>> _statements = new(StringComparer.Ordinal);

    public InMemoryOffloadStore(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public Task<IReadOnlyList<CommitOutcome>> CommitAsync(string carrierId, IReadOnlyList<PendingTransfer> records, TimeSpan retention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var outcomes = new CommitOutcome[records.Count];
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            for (var i = 0; i < records.Count; i++)
            {
                outcomes[i] = Commit(carrierId, records[i], retention, now);
            }
        }

        return Task.FromResult<IReadOnlyList<CommitOutcome>>(outcomes);
    }

    private CommitOutcome Commit(string carrierId, PendingTransfer pending, TimeSpan retention, DateTimeOffset now)
    {
        var draft = pending.Draft;
        var claimKey = (carrierId, draft.EventId);
        if (_claims.TryGetValue(claimKey, out var claim) && claim.Expiry > now)
        {
            var separator = claim.Value.IndexOf('|', StringComparison.Ordinal);
            return claim.Value.AsSpan(0, separator).SequenceEqual(pending.Fingerprint)
                ? new CommitOutcome(Again(claim.Value[(separator + 1)..]), null)
                : new CommitOutcome(CommitStatus.Duplicate, null);
        }

        var expiry = draft.Timestamp + retention;
        var delta = pending.Reported;
        var status = "A";
        if (pending.Kind != AccountingRecordKind.Standalone)
        {
            var sessionKey = (carrierId, draft.AccountingSessionId!);
            var (mark, stopped) = _sessions.TryGetValue(sessionKey, out var known) ? known : (TransferCounters.Zero, false);
            if (!pending.Reported.IsAtLeast(mark))
            {
                status = "B";
            }
            else if (stopped && pending.Reported != mark)
            {
                status = "S";
            }
            else
            {
                delta = pending.Reported.Minus(mark);
                _sessions[sessionKey] = (pending.Reported, stopped || pending.Kind == AccountingRecordKind.Stop);
            }
        }

        _claims[claimKey] = (pending.Fingerprint + "|" + status, expiry);
        if (status != "A")
        {
            return new CommitOutcome(status == "B" ? CommitStatus.CounterWentBackwards : CommitStatus.SessionAlreadyStopped, null);
        }

        var stored = draft with
        {
            UploadBytes = delta.UploadBytes,
            DownloadBytes = delta.DownloadBytes,
            RewardableBytes = draft.RewardCancelled ? 0 : delta.RewardableBytes,
        };
        if (!_records.TryGetValue(carrierId, out var log))
        {
            log = [];
            _records[carrierId] = log;
        }

        log.Add(OffloadRecordCodec.Encode(stored.UploadBytes, stored.DownloadBytes, stored.RewardableBytes, OffloadRecordCodec.Body(stored)));
        var counters = new UsageCounters(1, stored.OpensSession ? 1 : 0, stored.IsBilled ? 1 : 0, stored.UploadBytes, stored.DownloadBytes, stored.RewardableBytes);
        foreach (var (index, member) in OffloadRecordCodec.Buckets(stored))
        {
            if (!_usage.TryGetValue((carrierId, index), out var buckets))
            {
                buckets = new Dictionary<string, UsageCounters>(StringComparer.Ordinal);
                _usage[(carrierId, index)] = buckets;
            }

            buckets[member] = buckets.TryGetValue(member, out var current) ? current.Plus(counters) : counters;
        }

        return new CommitOutcome(CommitStatus.Accepted, stored);
    }

    internal static CommitStatus Again(string status) => status switch
    {
        "A" => CommitStatus.AlreadyAccepted,
        "B" => CommitStatus.CounterWentBackwards,
        _ => CommitStatus.SessionAlreadyStopped,
    };

    public Task<IReadOnlyList<AcceptedTransfer>> ReadRecordsAsync(string carrierId, long from, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_records.TryGetValue(carrierId, out var log) || from >= log.Count || count <= 0)
            {
                return Task.FromResult<IReadOnlyList<AcceptedTransfer>>([]);
            }

            var take = (int)Math.Min(count, log.Count - from);
            return Task.FromResult<IReadOnlyList<AcceptedTransfer>>(
                log.GetRange((int)from, take).ConvertAll(stored => OffloadRecordCodec.Decode(carrierId, stored)));
        }
    }

    public Task<long> CountRecordsAsync(string carrierId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_records.TryGetValue(carrierId, out var log) ? (long)log.Count : 0L);
        }
    }

    public Task<IReadOnlyList<KeyValuePair<UsageBucketKey, UsageCounters>>> ReadUsageAsync(MeterGranularity granularity, DateTimeOffset periodStart, string carrierId, UsageScope scope, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_usage.TryGetValue((carrierId, OffloadRecordCodec.Index(granularity, periodStart, scope)), out var buckets))
            {
                return Task.FromResult<IReadOnlyList<KeyValuePair<UsageBucketKey, UsageCounters>>>([]);
            }

            return Task.FromResult<IReadOnlyList<KeyValuePair<UsageBucketKey, UsageCounters>>>(buckets
                .OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => KeyValuePair.Create(OffloadRecordCodec.BucketKey(granularity, periodStart, carrierId, scope, pair.Key), pair.Value))
                .ToList());
        }
    }

    public Task AddRejectionsAsync(string carrierId, IReadOnlyList<RejectedRecord> rejections, int keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejections);
        lock (_gate)
        {
            if (!_rejections.TryGetValue(carrierId, out var list))
            {
                list = new LinkedList<RejectedRecord>();
                _rejections[carrierId] = list;
            }

            foreach (var rejection in rejections)
            {
                list.AddFirst(rejection);
            }

            while (list.Count > keep)
            {
                list.RemoveLast();
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RejectedRecord>> GetRejectionsAsync(string carrierId, int offset, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RejectedRecord>>(_rejections.TryGetValue(carrierId, out var list)
                ? list.Skip(offset).Take(count).ToList()
                : []);
        }
    }

    public Task<bool> CountHeartbeatAsync(HeliumPublicKey hotspot, DateTimeOffset hour, decimal trust, CancellationToken cancellationToken)
    {
        var utc = hour.UtcDateTime;
        var key = (hotspot, DateOnly.FromDateTime(utc));
        lock (_gate)
        {
            if (!_heartbeats.TryGetValue(key, out var hours))
            {
                hours = [];
                _heartbeats[key] = hours;
            }

            return Task.FromResult(hours.TryAdd(utc.Hour, trust));
        }
    }

    public Task<HeartbeatDaySummary> GetHeartbeatDayAsync(HeliumPublicKey hotspot, DateOnly day, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_heartbeats.TryGetValue((hotspot, day), out var hours)
                ? OffloadHeartbeats.Summarize(hours.Values)
                : new HeartbeatDaySummary(0, 0m, false));
        }
    }

    public Task PutCarrierAsync(CarrierSettings carrier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        lock (_gate)
        {
            _carriers[carrier.CarrierId] = carrier;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CarrierSettings>> GetCarriersAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<CarrierSettings>>(_carriers.Values.ToList());
        }
    }

    public Task PutHotspotAsync(HotspotSettings hotspot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hotspot);
        lock (_gate)
        {
            _hotspots[hotspot.HotspotKey] = hotspot;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<HotspotSettings>> GetHotspotsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<HotspotSettings>>(_hotspots.Values.ToList());
        }
    }

    public Task PutRateCardAsync(string carrierId, DateTimeOffset effectiveFrom, string json, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _rateCards[(carrierId, effectiveFrom.ToUnixTimeSeconds())] = json;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> GetRateCardsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>(_rateCards.Values.ToList());
        }
    }

    public Task PutPartnerKeyAsync(PartnerKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            _partnerKeys[key.KeyId] = key;
        }

        return Task.CompletedTask;
    }

    public Task<PartnerKeyRecord?> GetPartnerKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_partnerKeys.GetValueOrDefault(keyId));
        }
    }

    public Task<IReadOnlyList<SettlementLogEntry>> GetSettlementLogAsync(string carrierId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<SettlementLogEntry>>(_log.TryGetValue(carrierId, out var log) ? log.ToList() : []);
        }
    }

    public Task<bool> AppendSettlementAsync(string carrierId, long expectedLogLength, SettlementLogEntry entry, IReadOnlyList<StoredStatement> statements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statements);
        lock (_gate)
        {
            if (!_log.TryGetValue(carrierId, out var log))
            {
                log = [];
                _log[carrierId] = log;
            }

            if (log.Count != expectedLogLength)
            {
                return Task.FromResult(false);
            }

            log.Add(entry);
            if (!_statements.TryGetValue(carrierId, out var issued))
            {
                issued = [];
                _statements[carrierId] = issued;
            }

            issued.AddRange(statements);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<StoredStatement>> GetStatementsAsync(string carrierId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StoredStatement>>(_statements.TryGetValue(carrierId, out var issued) ? issued.ToList() : []);
        }
    }
}
