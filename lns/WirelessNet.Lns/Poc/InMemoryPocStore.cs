using System.Collections.Concurrent;
using WirelessNet.Poc.Entropy;

namespace WirelessNet.Lns.Poc;

/// <summary>
/// <see cref="IPocStore"/> in process memory, for the zero-configuration run and tests: lost when the server stops,
/// and not shared between instances. Bounded by <see cref="PocOptions.Retention"/> only in that old epochs are never
/// read again; a long-running in-memory server should use Redis instead.
/// </summary>
public sealed class InMemoryPocStore(TimeProvider time) : IPocStore
{
    private readonly ConcurrentDictionary<string, byte[]> _values = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, EntropyReport> _entropy = [];
    private readonly Lock _entropyLock = new();
    private readonly ConcurrentDictionary<string, PocParticipant> _participants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _claims = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Round> _rounds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _pending = new(StringComparer.Ordinal);
    private readonly Lock _pendingLock = new();
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<string, byte[]>> _epochs = new();
    private readonly ConcurrentDictionary<string, long> _activity = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _deniedKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, string), byte> _deniedEdges = new();
    private readonly ConcurrentDictionary<(long, string), byte[]> _documents = new();

    public ValueTask<byte[]> GetOrCreateValueAsync(string name, byte[] candidate, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_values.GetOrAdd(name, candidate));

    public ValueTask AddEntropyAsync(IReadOnlyList<EntropyReport> reports, CancellationToken cancellationToken)
    {
        lock (_entropyLock)
        {
            foreach (var report in reports)
            {
                _entropy.TryAdd(report.Timestamp, report);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<EntropyReport>> GetEntropyAsync(long fromUnixSeconds, long toUnixSeconds, int max, CancellationToken cancellationToken)
    {
        lock (_entropyLock)
        {
            IReadOnlyList<EntropyReport> found = _entropy.Values.Where(e => e.Timestamp >= fromUnixSeconds && e.Timestamp <= toUnixSeconds).Take(max).ToList();
            return ValueTask.FromResult(found);
        }
    }

    public ValueTask TouchParticipantAsync(PocParticipant participant, CancellationToken cancellationToken)
    {
        _participants.AddOrUpdate(
            participant.Address,
            participant,
            (_, existing) => participant with { LastActive = participant.LastActive > existing.LastActive ? participant.LastActive : existing.LastActive });
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<PocParticipant>> GetParticipantsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<PocParticipant>>([.. _participants.Values]);

    public ValueTask<bool> TryClaimAsync(string claim, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        while (true)
        {
            if (_claims.TryAdd(claim, now + lifetime))
            {
                return ValueTask.FromResult(true);
            }

            if (_claims.TryGetValue(claim, out var expires) && expires > now)
            {
                return ValueTask.FromResult(false);
            }

            // Expired: whoever swaps it out first owns it.
            if (_claims.TryUpdate(claim, now + lifetime, expires))
            {
                return ValueTask.FromResult(true);
            }
        }
    }

    public ValueTask<bool> AddReportAsync(string roundId, bool beacon, string reportId, byte[] ingestReport, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var round = _rounds.GetOrAdd(roundId, _ => new Round());
        bool added;
        lock (round)
        {
            added = (beacon ? round.Beacons : round.Witnesses).TryAdd(reportId, ingestReport);
        }

        if (added)
        {
            lock (_pendingLock)
            {
                _pending.TryAdd(roundId, receivedAt.ToUnixTimeMilliseconds());
            }
        }

        return ValueTask.FromResult(added);
    }

    public ValueTask<IReadOnlyList<string>> ClaimDueRoundsAsync(DateTimeOffset dueBefore, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        var due = dueBefore.ToUnixTimeMilliseconds();
        var leased = (now + lease).ToUnixTimeMilliseconds();
        var claimed = new List<string>();
        lock (_pendingLock)
        {
            foreach (var (id, at) in _pending.OrderBy(p => p.Value))
            {
                if (at > due || claimed.Count >= max)
                {
                    break;
                }

                claimed.Add(id);
            }

            foreach (var id in claimed)
            {
                _pending[id] = leased;
            }
        }

        return ValueTask.FromResult<IReadOnlyList<string>>(claimed);
    }

    public ValueTask<PocRoundReports> GetRoundReportsAsync(string roundId, CancellationToken cancellationToken)
    {
        if (!_rounds.TryGetValue(roundId, out var round))
        {
            return ValueTask.FromResult(new PocRoundReports([], []));
        }

        lock (round)
        {
            return ValueTask.FromResult(new PocRoundReports([.. round.Beacons.Values], [.. round.Witnesses.Values]));
        }
    }

    public ValueTask<bool> CompleteRoundAsync(string roundId, long epochIndex, byte[]? record, CancellationToken cancellationToken)
    {
        var stored = record is null
            || _epochs.GetOrAdd(epochIndex, _ => new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal)).TryAdd(roundId, record);

        lock (_pendingLock)
        {
            _pending.Remove(roundId);
        }

        _rounds.TryRemove(roundId, out _);
        return ValueTask.FromResult(stored);
    }

    public ValueTask<byte[]?> GetRoundAsync(long epochIndex, string roundId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_epochs.TryGetValue(epochIndex, out var rounds) ? rounds.GetValueOrDefault(roundId) : null);

    public ValueTask<IReadOnlyList<byte[]>> GetEpochRoundsAsync(long epochIndex, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<byte[]>>(_epochs.TryGetValue(epochIndex, out var rounds) ? [.. rounds.Values] : []);

    public ValueTask<IReadOnlyList<(long? Beacon, long? Witness)>> GetActivityAsync(IReadOnlyList<string> addresses, CancellationToken cancellationToken)
    {
        var marks = new (long?, long?)[addresses.Count];
        for (var i = 0; i < marks.Length; i++)
        {
            marks[i] = (
                _activity.TryGetValue("b:" + addresses[i], out var b) ? b : null,
                _activity.TryGetValue("w:" + addresses[i], out var w) ? w : null);
        }

        return ValueTask.FromResult<IReadOnlyList<(long?, long?)>>(marks);
    }

    public ValueTask RecordActivityAsync(IReadOnlyList<(string Address, bool Beacon, long UnixMs)> marks, CancellationToken cancellationToken)
    {
        foreach (var (address, beacon, at) in marks)
        {
            _activity.AddOrUpdate((beacon ? "b:" : "w:") + address, at, (_, existing) => Math.Max(existing, at));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<(IReadOnlyList<string> Keys, IReadOnlyList<(string Beaconer, string Witness)> Edges)> GetDenylistAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<(IReadOnlyList<string>, IReadOnlyList<(string, string)>)>(([.. _deniedKeys.Keys], [.. _deniedEdges.Keys]));

    public ValueTask SetDeniedKeyAsync(string address, bool denied, CancellationToken cancellationToken)
    {
        _ = denied ? _deniedKeys.TryAdd(address, 0) : _deniedKeys.TryRemove(address, out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask SetDeniedEdgeAsync(string beaconer, string witness, bool denied, CancellationToken cancellationToken)
    {
        _ = denied ? _deniedEdges.TryAdd((beaconer, witness), 0) : _deniedEdges.TryRemove((beaconer, witness), out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask<byte[]?> GetEpochDocumentAsync(long epochIndex, string kind, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_documents.GetValueOrDefault((epochIndex, kind)));

    public ValueTask<byte[]> GetOrCreateEpochDocumentAsync(long epochIndex, string kind, byte[] candidate, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_documents.GetOrAdd((epochIndex, kind), candidate));

    private sealed class Round
    {
        public Dictionary<string, byte[]> Beacons { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, byte[]> Witnesses { get; } = new(StringComparer.Ordinal);
    }
}
