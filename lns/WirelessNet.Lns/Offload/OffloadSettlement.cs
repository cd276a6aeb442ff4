using System.Text.Json;
using Microsoft.Extensions.Options;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Settlement;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Lns.Offload;

/// <summary>A settlement operation the ledger refused (period not data-complete, already closed, no rate card).</summary>
public sealed class SettlementRefusedException(string message) : Exception(message);

/// <summary>
/// Closes periods and takes disputes over the stored records. The core's <see cref="SettlementLedger"/> is rebuilt
/// for the carrier by replaying its accepted records (store order) and its settlement log; statements are a
/// deterministic function of both (ed25519 signatures are deterministic too), so the replay re-issues exactly the
/// stored statements, which is checked. The new log entry is appended only if nobody appended first, so two
/// instances closing the same period at once issue it once.
/// </summary>
public sealed class OffloadSettlement
{
    private const int ReadChunk = 10_000;

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

    public SettlementOptions Options => _settlement;

    /// <summary>Closes the period containing <paramref name="periodStart"/>; returns the statements issued.</summary>
    public async Task<IReadOnlyList<SignedStatement>> CloseAsync(string carrierId, DateTimeOffset periodStart, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var period = _settlement.PeriodOf(periodStart);
        var (ledger, log, watermark, standings) = await ReplayAsync(carrierId, cancellationToken).ConfigureAwait(false);
        var current = await CurrentStandingsAsync(carrierId, period, watermark, cancellationToken).ConfigureAwait(false);
        standings.Clear();
        foreach (var (hotspot, standing) in current)
        {
            standings[hotspot] = standing;
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

        var entry = new SettlementLogEntry("close", watermark, period.Start, issued[0].Statement.IssuedAt, current, null);
        if (!await _store.AppendSettlementAsync(carrierId, log.Count, entry, issued.Select(ToStored).ToList(), cancellationToken).ConfigureAwait(false))
        {
            throw new SettlementRefusedException("another instance changed the carrier's settlement at the same time; retry");
        }

        foreach (var statement in issued)
        {
            _metrics.Statement(statement.Statement.Kind.ToString());
        }

        OffloadLog.StatementsIssued(_logger, carrierId, period.ToString(), issued.Count);
        return issued;
    }

    /// <summary>Queues credits for disputed records on issued statements; they appear on the next adjustment statement.</summary>
    public async Task<DisputeResult> DisputeAsync(string carrierId, IReadOnlyList<string> eventIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (ledger, log, watermark, _) = await ReplayAsync(carrierId, cancellationToken).ConfigureAwait(false);
        var result = ledger.Dispute(carrierId, eventIds);
        if (result.Credited.Count > 0)
        {
            var entry = new SettlementLogEntry("dispute", watermark, now, now, null, result.Credited);
            if (!await _store.AppendSettlementAsync(carrierId, log.Count, entry, [], cancellationToken).ConfigureAwait(false))
            {
                throw new SettlementRefusedException("another instance changed the carrier's settlement at the same time; retry");
            }
        }

        return result;
    }

    private async Task<(SettlementLedger Ledger, IReadOnlyList<SettlementLogEntry> Log, long Watermark, Dictionary<string, StandingEntry> Standings)> ReplayAsync(string carrierId, CancellationToken cancellationToken)
    {
        await _directory.ReloadAsync(cancellationToken).ConfigureAwait(false);
        var log = await _store.GetSettlementLogAsync(carrierId, cancellationToken).ConfigureAwait(false);
        var stored = await _store.GetStatementsAsync(carrierId, cancellationToken).ConfigureAwait(false);
        var standings = new Dictionary<string, StandingEntry>(StringComparer.Ordinal);
        var ledger = new SettlementLedger(_directory.RateCards, _settlement, _serverKey, (hotspot, _) =>
            standings.TryGetValue(hotspot.ToAddress(), out var s) ? new HotspotStanding(s.Rewardable, s.Multiplier) : HotspotStanding.Full);

        long position = 0;
        var reissued = new List<SignedStatement>();
        foreach (var entry in log)
        {
            position = await AddRecordsAsync(ledger, carrierId, position, entry.RecordWatermark, cancellationToken).ConfigureAwait(false);
            if (entry.Kind == "close")
            {
                standings.Clear();
                foreach (var (hotspot, standing) in entry.Standings ?? new Dictionary<string, StandingEntry>())
                {
                    standings[hotspot] = standing;
                }

                reissued.AddRange(ledger.ClosePeriod(carrierId, _settlement.PeriodOf(entry.PeriodStart), entry.At));
            }
            else
            {
                ledger.Dispute(carrierId, entry.EventIds ?? []);
            }
        }

        if (reissued.Count != stored.Count || !reissued.Zip(stored).All(pair => pair.First.CanonicalBytes.Span.SequenceEqual(pair.Second.CanonicalBytes)))
        {
            // A rate card edited after a close, or a changed option, would re-rate history; refuse rather than issue on a diverged ledger.
            throw new SettlementRefusedException("replaying the settlement log does not reproduce the issued statements (rate cards or settlement options changed after a close)");
        }

        var total = await _store.CountRecordsAsync(carrierId, cancellationToken).ConfigureAwait(false);
        position = await AddRecordsAsync(ledger, carrierId, position, total, cancellationToken).ConfigureAwait(false);
        return (ledger, log, position, standings);
    }

    private async Task<long> AddRecordsAsync(SettlementLedger ledger, string carrierId, long from, long to, CancellationToken cancellationToken)
    {
        while (from < to)
        {
            var chunk = await _store.ReadRecordsAsync(carrierId, from, (int)Math.Min(ReadChunk, to - from), cancellationToken).ConfigureAwait(false);
            if (chunk.Count == 0)
            {
                break;
            }

            foreach (var record in chunk)
            {
                ledger.Add(record);
            }

            from += chunk.Count;
        }

        return from;
    }

    private async Task<Dictionary<string, StandingEntry>> CurrentStandingsAsync(string carrierId, SettlementPeriod period, long watermark, CancellationToken cancellationToken)
    {
        var standings = new Dictionary<string, StandingEntry>(StringComparer.Ordinal);
        if (!_options.RequireHeartbeats)
        {
            return standings;
        }

        var hotspots = new HashSet<HeliumPublicKey>();
        for (long from = 0; from < watermark; from += ReadChunk)
        {
            foreach (var record in await _store.ReadRecordsAsync(carrierId, from, ReadChunk, cancellationToken).ConfigureAwait(false))
            {
                hotspots.Add(record.HotspotKey);
            }
        }

        var day = DateOnly.FromDateTime(period.Start.UtcDateTime);
        foreach (var hotspot in hotspots)
        {
            var summary = await _store.GetHeartbeatDayAsync(hotspot, day, cancellationToken).ConfigureAwait(false);
            standings[hotspot.ToAddress()] = new StandingEntry(summary.Rewardable, summary.MeanTrust);
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
