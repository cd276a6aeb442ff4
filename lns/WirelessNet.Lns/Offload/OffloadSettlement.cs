using System.Text.Json;
using Microsoft.Extensions.Options;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Heartbeats;
using WirelessNet.Offload.Settlement;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Lns.Offload;

/// <summary>A settlement operation the ledger refused (period not data-complete, already closed, no rate card).</summary>
public sealed class SettlementRefusedException(string message) : Exception(message);

/// <summary>
/// Closes periods and takes disputes over the stored records without reading the carrier's history. Ingest adds
/// every accepted record to a tally per (settlement period, hotspot, payer) of the current settlement epoch; a close
/// cuts the epoch (atomically with marking its period closed for ingest), adds the tallies of the epochs since the
/// last checkpoint to the open periods' books, takes the records of already-closed periods one by one as late
/// records, issues the statements with the core's <see cref="SettlementLedger"/>, and appends the log entry, the
/// statements and the new checkpoint only if nobody appended first, so two instances closing at once issue once.
/// Its cost grows with the hotspots and payers of the period, not with its records or the carrier's history.
/// </summary>
public sealed class OffloadSettlement
{
    private const int StandingReadsInFlight = 256;

    private readonly IOffloadStore _store;
    private readonly OffloadDirectory _directory;
    private readonly OffloadMetrics _metrics;
    private readonly HeliumKeyPair _serverKey;
    private readonly OffloadOptions _options;
    private readonly SettlementOptions _settlement;
    private readonly ILogger<OffloadSettlement> _logger;

    public OffloadSettlement(IOffloadStore store, OffloadDirectory directory, OffloadMetrics metrics, StatementSigningKey key, IOptions<OffloadOptions> options, ILogger<OffloadSettlement> logger)
    {
        _store = store;
        _directory = directory;
        _metrics = metrics;
        _serverKey = key.KeyPair;
        _options = options.Value;
        _settlement = new SettlementOptions
        {
            PeriodLength = _options.SettlementPeriod,
            DataCompleteGrace = _options.DataCompleteGrace,
            BytesPerDataCredit = _options.BytesPerDataCredit,
        };
        _logger = logger;
    }

    /// <summary>The server's statement key (what partners verify against).</summary>
    public HeliumPublicKey ServerKey => _serverKey.PublicKey;

    /// <summary>
    /// Checks a statement a partner holds: signed by this server, and byte for byte the one issued as
    /// <paramref name="sequence"/>. Null when the carrier has no such statement.
    /// </summary>
    public async Task<StatementCheck?> VerifyAsync(string carrierId, long sequence, ReadOnlyMemory<byte> canonicalBytes, ReadOnlyMemory<byte> signature, CancellationToken cancellationToken)
    {
        if (await _store.GetStatementAsync(carrierId, sequence, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return null;
        }

        var signatureValid = StatementSigning.Verify(canonicalBytes.Span, signature.Span, ServerKey);
        return new StatementCheck(signatureValid, canonicalBytes.Span.SequenceEqual(stored.CanonicalBytes) && signature.Span.SequenceEqual(stored.Signature));
    }

    public SettlementOptions Options => _settlement;

    /// <summary>Closes the period containing <paramref name="periodStart"/>; returns the statements issued.</summary>
    public async Task<IReadOnlyList<SignedStatement>> CloseAsync(string carrierId, DateTimeOffset periodStart, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var period = _settlement.PeriodOf(periodStart);
        var start = period.Start.ToUnixTimeSeconds();
        await _directory.ReloadAsync(cancellationToken).ConfigureAwait(false);
        var (logLength, state) = await LoadCheckpointAsync(carrierId, cancellationToken).ConfigureAwait(false);
        var closed = new HashSet<long>(state.ClosedPeriods);
        // Refusals before the cut, which marks the period closed for ingest.
        if (closed.Contains(start))
        {
            throw new SettlementRefusedException($"period {period} of carrier '{carrierId}' is already closed");
        }

        if (now < period.End + _settlement.DataCompleteGrace)
        {
            throw new SettlementRefusedException($"period {period} is not data-complete before {period.End + _settlement.DataCompleteGrace:O}");
        }

        if (_directory.RateCards.CardAt(carrierId, period.Start) is null)
        {
            throw new SettlementRefusedException($"carrier '{carrierId}' has no rate card in force at {period.Start:O}");
        }

        var cut = await _store.CutSettlementEpochAsync(carrierId, logLength, period.Start, cancellationToken).ConfigureAwait(false)
            ?? throw Conflict();

        // Tallies of open periods; records of closed periods one by one (every record committed after a period's
        // mark is listed, and a period is marked before its close consumes the epochs).
        var tallies = new List<SettlementBucket>();
        var late = new List<AcceptedTransfer>();
        for (var epoch = state.ConsumedEpoch + 1; epoch <= cut; epoch++)
        {
            var read = await _store.ReadSettlementEpochAsync(carrierId, epoch, cancellationToken).ConfigureAwait(false);
            tallies.AddRange(read.Buckets.Where(bucket => !closed.Contains(bucket.PeriodStart.ToUnixTimeSeconds())));
            late.AddRange(read.MarkedLate.Where(record => closed.Contains(PeriodStart(record))));
        }

        var touched = new HashSet<long> { start };
        touched.UnionWith(tallies.Select(bucket => bucket.PeriodStart.ToUnixTimeSeconds()));
        touched.UnionWith(late.Select(PeriodStart));
        touched.UnionWith(state.Ledger.Pending.Select(change => change.Period.Start.ToUnixTimeSeconds()));
        var books = await LoadBooksAsync(carrierId, touched, logLength, cancellationToken).ConfigureAwait(false);

        var parsed = tallies.ConvertAll(bucket => (Bucket: bucket, Names: OffloadRecordCodec.ParseSettlementMember(bucket.Member)));
        var rated = new HashSet<(HeliumPublicKey, SettlementPeriod)>(parsed
            .Where(t => t.Bucket.PeriodStart == period.Start)
            .Select(t => (t.Names.Hotspot, period)));
        foreach (var book in books.Where(book => book.Period == period))
        {
            rated.UnionWith(book.Hotspots.Select(h => (h.Hotspot, period)));
        }

        rated.UnionWith(late.Select(record => (record.HotspotKey, _settlement.PeriodOf(record.Timestamp))));
        var standings = await StandingsAsync(rated, cancellationToken).ConfigureAwait(false);

        var ledger = new SettlementLedger(_directory.RateCards, _settlement, _serverKey, (hotspot, p) => standings.GetValueOrDefault((hotspot, p), HotspotStanding.Full));
        ledger.ImportState(state.Ledger with { Periods = books });
        foreach (var (bucket, names) in parsed)
        {
            ledger.AddTally(
                carrierId,
                _settlement.PeriodOf(bucket.PeriodStart),
                names.Hotspot,
                names.Payer,
                names.Hex,
                bucket.Tally,
                DateTimeOffset.FromUnixTimeSeconds(bucket.Earliest),
                DateTimeOffset.FromUnixTimeSeconds(bucket.Latest));
        }

        foreach (var record in late)
        {
            ledger.Add(record);
        }

        IReadOnlyList<SignedStatement> issued;
        try
        {
            issued = ledger.ClosePeriod(carrierId, period, now);
        }
        catch (InvalidOperationException e)
        {
            throw new SettlementRefusedException(e.Message);
        }

        closed.Add(start);
        var exported = ledger.ExportState(carrierId);
        var checkpoint = new SettlementCheckpointWrite(
            JsonSerializer.Serialize(new SettlementCheckpointState(cut, closed.Order().ToList(), exported with { Periods = [] }), SettlementCheckpointState.Json),
            exported.Periods.ToDictionary(book => book.Period.Start.ToUnixTimeSeconds(), book => JsonSerializer.Serialize(book, SettlementCheckpointState.Json)),
            state.ConsumedEpoch + 1,
            cut);
        var entry = new SettlementLogEntry("close", cut, period.Start, issued[0].Statement.IssuedAt, null);
        if (!await _store.AppendSettlementAsync(carrierId, logLength, entry, issued.Select(ToStored).ToList(), checkpoint, cancellationToken).ConfigureAwait(false))
        {
            throw Conflict();
        }

        foreach (var statement in issued)
        {
            _metrics.Statement(statement.Statement.Kind.ToString());
        }

        OffloadLog.StatementsIssued(_logger, carrierId, period.ToString(), issued.Count);
        return issued;
    }

    /// <summary>
    /// Queues credits for disputed records on issued statements; they appear on the next adjustment statement. A
    /// record can be disputed while its event_id claim is kept (<see cref="OffloadOptions.DeduplicationRetention"/>).
    /// </summary>
    public async Task<DisputeResult> DisputeAsync(string carrierId, IReadOnlyList<string> eventIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        var (logLength, state) = await LoadCheckpointAsync(carrierId, cancellationToken).ConfigureAwait(false);
        var closed = new HashSet<long>(state.ClosedPeriods);
        var settled = new Dictionary<string, AcceptedTransfer>(StringComparer.Ordinal);
        foreach (var eventId in eventIds.Distinct(StringComparer.Ordinal))
        {
            // Settled: in a closed period and in an epoch already added to the books (else it is a pending late record).
            if (await _store.FindRecordAsync(carrierId, eventId, cancellationToken).ConfigureAwait(false) is { } found
                && found.Epoch <= state.ConsumedEpoch
                && closed.Contains(PeriodStart(found.Record)))
            {
                settled[eventId] = found.Record;
            }
        }

        var books = await LoadBooksAsync(carrierId, settled.Values.Select(PeriodStart).ToHashSet(), logLength, cancellationToken).ConfigureAwait(false);
        var ledger = new SettlementLedger(_directory.RateCards, _settlement, _serverKey);
        ledger.ImportState(state.Ledger with { Periods = books });
        var result = ledger.Dispute(carrierId, eventIds, eventId => settled.GetValueOrDefault(eventId));
        if (result.Credited.Count > 0)
        {
            var next = state with { Ledger = ledger.ExportState(carrierId) with { Periods = [] } };
            var checkpoint = new SettlementCheckpointWrite(JsonSerializer.Serialize(next, SettlementCheckpointState.Json), new Dictionary<long, string>(), 0, -1);
            var entry = new SettlementLogEntry("dispute", state.ConsumedEpoch, now, now, result.Credited);
            if (!await _store.AppendSettlementAsync(carrierId, logLength, entry, [], checkpoint, cancellationToken).ConfigureAwait(false))
            {
                throw Conflict();
            }
        }

        return result;
    }

    private static SettlementRefusedException Conflict() => new("another instance changed the carrier's settlement at the same time; retry");

    private long PeriodStart(AcceptedTransfer record) => _settlement.PeriodOf(record.Timestamp).Start.ToUnixTimeSeconds();

    private async Task<(long LogLength, SettlementCheckpointState State)> LoadCheckpointAsync(string carrierId, CancellationToken cancellationToken)
    {
        var stored = await _store.GetSettlementCheckpointAsync(carrierId, cancellationToken).ConfigureAwait(false);
        if (stored.State is null)
        {
            return stored.LogLength == 0
                ? (0, SettlementCheckpointState.Empty(carrierId))
                : throw new SettlementRefusedException($"carrier '{carrierId}' has a settlement log without a checkpoint");
        }

        return (stored.LogLength, JsonSerializer.Deserialize<SettlementCheckpointState>(stored.State, SettlementCheckpointState.Json)
            ?? throw new InvalidDataException("empty settlement checkpoint"));
    }

    /// <summary>
    /// The period books as of the checkpoint read at <paramref name="logLength"/>: an append (books and log entry in
    /// one step) between that read and this one would mix states, so the log length is checked again afterwards.
    /// </summary>
    private async Task<List<PeriodLedgerState>> LoadBooksAsync(string carrierId, IReadOnlyCollection<long> periods, long logLength, CancellationToken cancellationToken)
    {
        var books = (await _store.GetSettlementBooksAsync(carrierId, periods, cancellationToken).ConfigureAwait(false))
            .Values
            .Select(json => JsonSerializer.Deserialize<PeriodLedgerState>(json, SettlementCheckpointState.Json) ?? throw new InvalidDataException("empty settlement book"))
            .ToList();
        if ((await _store.GetSettlementCheckpointAsync(carrierId, cancellationToken).ConfigureAwait(false)).LogLength != logLength)
        {
            throw Conflict();
        }

        return books;
    }

    /// <summary>
    /// With <see cref="OffloadOptions.RequireHeartbeats"/>: rewardable with ≥ 12 counted hours on the period's start
    /// day, at the mean trust (× the speed-test multiplier with <see cref="OffloadOptions.RequireSpeedtests"/>). Read
    /// once at the close and kept in the period's book, so adjustments rate the same way.
    /// </summary>
    private async Task<Dictionary<(HeliumPublicKey, SettlementPeriod), HotspotStanding>> StandingsAsync(IReadOnlyCollection<(HeliumPublicKey Hotspot, SettlementPeriod Period)> hotspots, CancellationToken cancellationToken)
    {
        var standings = new Dictionary<(HeliumPublicKey, SettlementPeriod), HotspotStanding>();
        if (!_options.RequireHeartbeats)
        {
            return standings;
        }

        foreach (var chunk in hotspots.Chunk(StandingReadsInFlight))
        {
            var days = await Task.WhenAll(chunk.Select(h => _store.GetHeartbeatDayAsync(h.Hotspot, DateOnly.FromDateTime(h.Period.Start.UtcDateTime), cancellationToken))).ConfigureAwait(false);
            var tests = _options.RequireSpeedtests
                ? await Task.WhenAll(chunk.Select(h => _store.GetSpeedtestsAsync(h.Hotspot, h.Period.End, SpeedtestTiers.SamplesAveraged, cancellationToken))).ConfigureAwait(false)
                : null;
            for (var i = 0; i < chunk.Length; i++)
            {
                var speed = tests is null ? 1m : SpeedtestTiers.Multiplier(tests[i]);
                standings[(chunk[i].Hotspot, chunk[i].Period)] = new HotspotStanding(days[i].Rewardable && speed > 0, days[i].MeanTrust * speed);
            }
        }

        return standings;
    }

    internal static StoredStatement ToStored(SignedStatement signed) => new(
        signed.Statement.Sequence,
        signed.CanonicalBytes.ToArray(),
        signed.Signature.ToArray(),
        signed.SignerKey.ToAddress(),
        JsonSerializer.Serialize(StatementView.From(signed.Statement), OffloadDirectory.Json));
}

/// <summary>What <see cref="OffloadSettlement.VerifyAsync"/> found: valid only when signed by this server and as issued.</summary>
public sealed record StatementCheck(bool SignatureValid, bool MatchesIssued)
{
    public bool Valid => SignatureValid && MatchesIssued;
}

/// <summary>The server's ed25519 statement key (from <see cref="OffloadOptions.StatementKeySeed"/>).</summary>
public sealed class StatementSigningKey
{
    public StatementSigningKey(IOptions<OffloadOptions> options)
    {
        var seed = options.Value.StatementKeySeed;
        KeyPair = seed.Length == 0
            ? HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet)
            : HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Convert.FromHexString(seed));
    }

    public HeliumKeyPair KeyPair { get; }
}
