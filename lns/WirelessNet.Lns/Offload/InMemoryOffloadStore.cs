using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Heartbeats;
using WirelessNet.Offload.Metering;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Settlement;
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
    private readonly SettlementOptions _periods;
    private readonly Dictionary<string, long> _epochs = new(StringComparer.Ordinal);
    private readonly HashSet<(string Carrier, long Period)> _closedMarks = [];
    private readonly Dictionary<(string Carrier, long Epoch), Dictionary<(long Period, string Member), (TransferTally Tally, long Earliest, long Latest)>> _tallies = [];
    private readonly Dictionary<(string Carrier, long Epoch), List<string>> _markedLate = [];
    private readonly Dictionary<string, string> _checkpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Carrier, long Period), string> _books = [];
    private readonly Dictionary<HeliumPublicKey, SortedSet<(long At, long Up, long Down, int Latency)>> _speedtests = [];
    private readonly HashSet<(string Carrier, HeliumPublicKey Hotspot)> _carrierHotspots = [];

    /// <summary>A store reading expiry against <paramref name="time"/>, tallying settlement per <paramref name="settlementPeriod"/> (default a day).</summary>
    public InMemoryOffloadStore(TimeProvider? time = null, TimeSpan? settlementPeriod = null)
    {
        _time = time ?? TimeProvider.System;
        _periods = new SettlementOptions { PeriodLength = settlementPeriod ?? TimeSpan.FromDays(1) };
    }

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
                ? new CommitOutcome(Again(claim.Value.Substring(separator + 1, 1)), null)
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

        if (status != "A")
        {
            _claims[claimKey] = (pending.Fingerprint + "|" + status, expiry);
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

        var encoded = OffloadRecordCodec.Encode(stored.UploadBytes, stored.DownloadBytes, stored.RewardableBytes, OffloadRecordCodec.Body(stored));
        log.Add(encoded);
        var epoch = _epochs.GetValueOrDefault(carrierId);
        _claims[claimKey] = (FormattableString.Invariant($"{pending.Fingerprint}|A|{log.Count - 1}|{epoch}"), expiry);
        Tally(carrierId, epoch, stored, encoded);
        _carrierHotspots.Add((carrierId, stored.HotspotKey));
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

    private void Tally(string carrierId, long epoch, AcceptedTransfer stored, string encoded)
    {
        var period = _periods.PeriodOf(stored.Timestamp).Start.ToUnixTimeSeconds();
        if (_closedMarks.Contains((carrierId, period)))
        {
            if (!_markedLate.TryGetValue((carrierId, epoch), out var late))
            {
                late = [];
                _markedLate[(carrierId, epoch)] = late;
            }

            late.Add(encoded);
        }

        if (!_tallies.TryGetValue((carrierId, epoch), out var tallies))
        {
            tallies = [];
            _tallies[(carrierId, epoch)] = tallies;
        }

        var key = (period, OffloadRecordCodec.SettlementMember(stored));
        var time = stored.Timestamp.ToUnixTimeSeconds();
        tallies[key] = tallies.TryGetValue(key, out var prior)
            ? (prior.Tally.Plus(TransferTally.Of(stored)), Math.Min(prior.Earliest, time), Math.Max(prior.Latest, time))
            : (TransferTally.Of(stored), time, time);
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

    public Task AddSpeedtestAsync(Speedtest speedtest, int keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(speedtest);
        lock (_gate)
        {
            if (!_speedtests.TryGetValue(speedtest.HotspotKey, out var tests))
            {
                tests = [];
                _speedtests[speedtest.HotspotKey] = tests;
            }

            tests.Add((speedtest.TimestampUnixSeconds, speedtest.UploadBytesPerSecond, speedtest.DownloadBytesPerSecond, speedtest.LatencyMs));
            while (tests.Count > keep)
            {
                tests.Remove(tests.Min);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Speedtest>> GetSpeedtestsAsync(HeliumPublicKey hotspot, DateTimeOffset before, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var limit = before.ToUnixTimeSeconds();
            return Task.FromResult<IReadOnlyList<Speedtest>>(_speedtests.TryGetValue(hotspot, out var tests)
                ? tests.Reverse().Where(t => t.At < limit).Take(count).Select(t => new Speedtest(hotspot, t.At, t.Up, t.Down, t.Latency)).ToList()
                : []);
        }
    }

    public Task<bool> CarrierUsedHotspotAsync(string carrierId, HeliumPublicKey hotspot, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_carrierHotspots.Contains((carrierId, hotspot)));
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

    public Task<bool> AppendSettlementAsync(string carrierId, long expectedLogLength, SettlementLogEntry entry, IReadOnlyList<StoredStatement> statements, SettlementCheckpointWrite? checkpoint, CancellationToken cancellationToken)
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
            if (checkpoint is not null)
            {
                _checkpoints[carrierId] = checkpoint.State;
                foreach (var (period, book) in checkpoint.Books)
                {
                    _books[(carrierId, period)] = book;
                }

                for (var epoch = checkpoint.DropEpochsFrom; epoch <= checkpoint.DropEpochsThrough; epoch++)
                {
                    _tallies.Remove((carrierId, epoch));
                    _markedLate.Remove((carrierId, epoch));
                }
            }

            return Task.FromResult(true);
        }
    }

    public Task<StoredSettlementCheckpoint> GetSettlementCheckpointAsync(string carrierId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new StoredSettlementCheckpoint(
                _log.TryGetValue(carrierId, out var log) ? log.Count : 0,
                _checkpoints.GetValueOrDefault(carrierId)));
        }
    }

    public Task<IReadOnlyDictionary<long, string>> GetSettlementBooksAsync(string carrierId, IReadOnlyCollection<long> periodStarts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(periodStarts);
        lock (_gate)
        {
            var books = new Dictionary<long, string>();
            foreach (var period in periodStarts)
            {
                if (_books.TryGetValue((carrierId, period), out var book))
                {
                    books[period] = book;
                }
            }

            return Task.FromResult<IReadOnlyDictionary<long, string>>(books);
        }
    }

    public Task<long?> CutSettlementEpochAsync(string carrierId, long expectedLogLength, DateTimeOffset periodStart, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if ((_log.TryGetValue(carrierId, out var log) ? log.Count : 0) != expectedLogLength)
            {
                return Task.FromResult<long?>(null);
            }

            _closedMarks.Add((carrierId, periodStart.ToUnixTimeSeconds()));
            var ended = _epochs.GetValueOrDefault(carrierId);
            _epochs[carrierId] = ended + 1;
            return Task.FromResult<long?>(ended);
        }
    }

    public Task<SettlementEpoch> ReadSettlementEpochAsync(string carrierId, long epoch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var buckets = _tallies.TryGetValue((carrierId, epoch), out var tallies)
                ? tallies
                    .OrderBy(pair => pair.Key.Period)
                    .ThenBy(pair => pair.Key.Member, StringComparer.Ordinal)
                    .Select(pair => new SettlementBucket(DateTimeOffset.FromUnixTimeSeconds(pair.Key.Period), pair.Key.Member, pair.Value.Tally, pair.Value.Earliest, pair.Value.Latest))
                    .ToList()
                : [];
            var late = _markedLate.TryGetValue((carrierId, epoch), out var marked)
                ? marked.ConvertAll(stored => OffloadRecordCodec.Decode(carrierId, stored))
                : [];
            return Task.FromResult(new SettlementEpoch(buckets, late));
        }
    }

    public Task<LocatedRecord?> FindRecordAsync(string carrierId, string eventId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_claims.TryGetValue((carrierId, eventId), out var claim) || claim.Expiry <= _time.GetUtcNow())
            {
                return Task.FromResult<LocatedRecord?>(null);
            }

            var parts = claim.Value.Split('|');
            if (parts.Length < 4 || parts[1] != "A")
            {
                return Task.FromResult<LocatedRecord?>(null);
            }

            var index = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
            var epoch = long.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture);
            return Task.FromResult<LocatedRecord?>(new LocatedRecord(OffloadRecordCodec.Decode(carrierId, _records[carrierId][index]), epoch));
        }
    }

    public Task<IReadOnlyList<StoredStatement>> GetStatementsAsync(string carrierId, long fromSequence, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StoredStatement>>(_statements.TryGetValue(carrierId, out var issued) && fromSequence >= 1 && count > 0
                ? issued.Skip((int)Math.Min(fromSequence - 1, int.MaxValue)).Take(count).ToList()
                : []);
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
