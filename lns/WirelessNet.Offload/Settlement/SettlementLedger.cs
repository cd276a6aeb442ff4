using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Metering;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Offload.Settlement;

/// <summary>Where an added transfer went.</summary>
public enum LedgerAdmission
{
    /// <summary>Into its still-open period.</summary>
    OpenPeriod = 0,

    /// <summary>Its period is closed: queued, flagged late, for the next adjustment statement.</summary>
    LateAdjustment = 1,

    /// <summary>The ledger already holds this carrier's event_id; ignored (deduplication normally stops this earlier).</summary>
    Duplicate = 2,
}

/// <summary>What became of a dispute's event_ids.</summary>
/// <param name="Credited">Ids queued for credit on the next adjustment statement.</param>
/// <param name="NotSettled">Ids not on any issued statement (unknown, or still open or pending).</param>
/// <param name="AlreadyDisputed">Ids disputed before.</param>
public sealed record DisputeResult(IReadOnlyList<string> Credited, IReadOnlyList<string> NotSettled, IReadOnlyList<string> AlreadyDisputed);

/// <summary>
/// Settles accepted transfers into signed, immutable carrier statements. A period closes only once the clock passes
/// its end plus the data-complete grace. What changes a closed period afterwards — late records, disputes — is queued
/// and issued as an adjustment statement with the next close, each line linked to the period and statement it
/// corrects. Adjustments are computed as "rate everything now settled minus what was settled before" for the hotspot,
/// so statement plus adjustments always equal rating the final record set once: rounding never accumulates.
/// </summary>
/// <remarks>
/// The books keep per-(hotspot, payer) tallies, not records: rating needs only sums. Records added one by one with
/// <see cref="Add"/> are also indexed by event_id so that <see cref="Dispute(string, IEnumerable{string})"/> can find
/// them; a server that persists the ledger (<see cref="ExportState"/>, <see cref="ImportState"/>) adds tallies with
/// <see cref="AddTally"/> and resolves disputed records itself.
/// </remarks>
public sealed class SettlementLedger
{
    private const decimal BytesPerGigabyte = 1_000_000_000m;

    private readonly RateCardBook _rateCards;
    private readonly SettlementOptions _options;
    private readonly HeliumKeyPair _serverKey;
    private readonly Func<HeliumPublicKey, SettlementPeriod, HotspotStanding> _standings;
    private readonly Dictionary<string, CarrierBook> _carriers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>A ledger signing with <paramref name="serverKey"/> (ed25519), rating hotspots by <paramref name="standings"/> (full rate when null).</summary>
    public SettlementLedger(
        RateCardBook rateCards,
        SettlementOptions options,
        HeliumKeyPair serverKey,
        Func<HeliumPublicKey, SettlementPeriod, HotspotStanding>? standings = null)
    {
        _rateCards = rateCards ?? throw new ArgumentNullException(nameof(rateCards));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _serverKey = serverKey ?? throw new ArgumentNullException(nameof(serverKey));
        if (serverKey.KeyType != HeliumKeyType.Ed25519)
        {
            throw new ArgumentException("statements are signed with an ed25519 key", nameof(serverKey));
        }

        _standings = standings ?? ((_, _) => HotspotStanding.Full);
    }

    /// <summary>The options in force.</summary>
    public SettlementOptions Options => _options;

    /// <summary>True once <paramref name="now"/> is past the period's end plus the data-complete grace.</summary>
    public bool IsDataComplete(SettlementPeriod period, DateTimeOffset now) => now >= period.End + _options.DataCompleteGrace;

    /// <summary>Adds one accepted transfer to its carrier's period.</summary>
    public LedgerAdmission Add(AcceptedTransfer transfer)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        lock (_gate)
        {
            var carrier = Carrier(transfer.CarrierId);
            if (!carrier.KnownEventIds.Add(transfer.EventId))
            {
                return LedgerAdmission.Duplicate;
            }

            var period = _options.PeriodOf(transfer.Timestamp);
            var book = carrier.Period(period);
            if (book.Closed)
            {
                carrier.Pending.Add(new PendingAdjustment(AdjustmentReason.LateRecords, period, transfer));
                return LedgerAdmission.LateAdjustment;
            }

            book.Hotspot(transfer.HotspotKey, transfer.Hex).Add(transfer.Payer, TransferTally.Of(transfer));
            book.Span(transfer.Timestamp, transfer.Timestamp);
            book.OpenRecords.Add(transfer);
            return LedgerAdmission.OpenPeriod;
        }
    }

    /// <summary>
    /// Adds the tally of records of an open period for one (hotspot, payer), with the span of their record times.
    /// Records of a closed period must come one by one through <see cref="Add"/> (they are late, listed by event_id).
    /// </summary>
    public void AddTally(
        string carrierId, SettlementPeriod period, HeliumPublicKey hotspot, HeliumPublicKey payer, H3Index hex, TransferTally tally, DateTimeOffset earliest, DateTimeOffset latest)
    {
        ArgumentException.ThrowIfNullOrEmpty(carrierId);
        ArgumentNullException.ThrowIfNull(hotspot);
        ArgumentNullException.ThrowIfNull(payer);
        lock (_gate)
        {
            var book = Carrier(carrierId).Period(period);
            if (book.Closed)
            {
                throw new InvalidOperationException($"period {period} of carrier '{carrierId}' is closed: add its records as late records");
            }

            book.Hotspot(hotspot, hex).Add(payer, tally);
            book.Span(earliest, latest);
        }
    }

    /// <summary>
    /// Closes the period: issues its regular statement and, when changes to closed periods are queued, an adjustment
    /// statement after it. Throws when the data is not complete yet, the period is already closed, or no rate card is
    /// in force at its start.
    /// </summary>
    public IReadOnlyList<SignedStatement> ClosePeriod(string carrierId, SettlementPeriod period, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(carrierId);
        if (!IsDataComplete(period, now))
        {
            throw new InvalidOperationException($"period {period} is not data-complete before {period.End + _options.DataCompleteGrace:O}");
        }

        var card = _rateCards.CardAt(carrierId, period.Start)
            ?? throw new InvalidOperationException($"carrier '{carrierId}' has no rate card in force at {period.Start:O}");
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());

        lock (_gate)
        {
            var carrier = Carrier(carrierId);
            var book = carrier.Period(period);
            if (book.Closed)
            {
                throw new InvalidOperationException($"period {period} of carrier '{carrierId}' is already closed");
            }

            book.Closed = true;
            book.Card = card;
            book.Sequence = carrier.NextSequence++;
            var lines = new List<StatementLine>(book.Hotspots.Count);
            foreach (var (hotspotKey, hotspot) in book.Hotspots)
            {
                var standing = _standings(hotspotKey, period);
                hotspot.Standing = standing;
                hotspot.Settled = Rate(hotspot, card, standing);
                lines.Add(ToLine(hotspotKey, hotspot.Hex, hotspot.Settled, AdjustmentReason.None, period, book.Sequence, []));
            }

            foreach (var record in book.OpenRecords)
            {
                carrier.Settled[record.EventId] = record;
            }

            book.OpenRecords.Clear();
            var issued = new List<SignedStatement>
            {
                Issue(carrier, new StatementDraft(carrierId, book.Sequence, StatementKind.Regular, period, issuedAt, card), lines, book.Earliest, book.Latest),
            };

            if (carrier.Pending.Count > 0)
            {
                issued.Add(IssueAdjustments(carrier, period, issuedAt, card));
            }

            return issued;
        }
    }

    /// <summary>
    /// Queues credits for disputed records. Only records on an issued statement can be disputed; nothing is edited:
    /// the credit appears as a negative adjustment line with the next close.
    /// </summary>
    public DisputeResult Dispute(string carrierId, IEnumerable<string> eventIds)
    {
        lock (_gate)
        {
            var carrier = Carrier(carrierId);
            return Dispute(carrierId, eventIds, eventId => carrier.Settled.GetValueOrDefault(eventId));
        }
    }

    /// <summary>
    /// Queues credits for disputed records, found by <paramref name="settledRecord"/>: the record when it is on an
    /// issued statement, else null. The record's period book must be held and closed, or the id is not settled.
    /// </summary>
    public DisputeResult Dispute(string carrierId, IEnumerable<string> eventIds, Func<string, AcceptedTransfer?> settledRecord)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        ArgumentNullException.ThrowIfNull(settledRecord);
        var credited = new List<string>();
        var notSettled = new List<string>();
        var alreadyDisputed = new List<string>();
        lock (_gate)
        {
            var carrier = Carrier(carrierId);
            foreach (var eventId in eventIds.Distinct(StringComparer.Ordinal))
            {
                if (carrier.Disputed.Contains(eventId))
                {
                    alreadyDisputed.Add(eventId);
                    continue;
                }

                var record = settledRecord(eventId);
                var period = record is null ? default : _options.PeriodOf(record.Timestamp);
                if (record is null || !carrier.Periods.TryGetValue(period, out var book) || !book.Closed)
                {
                    notSettled.Add(eventId);
                    continue;
                }

                carrier.Disputed.Add(eventId);
                carrier.Pending.Add(new PendingAdjustment(AdjustmentReason.DisputeCredit, period, record));
                credited.Add(eventId);
            }
        }

        return new DisputeResult(credited, notSettled, alreadyDisputed);
    }

    /// <summary>Every statement this ledger issued to the carrier, in sequence order.</summary>
    public IReadOnlyList<SignedStatement> Statements(string carrierId)
    {
        lock (_gate)
        {
            return _carriers.TryGetValue(carrierId, out var carrier) ? carrier.Issued.ToList() : [];
        }
    }

    /// <summary>The carrier's carried state: sequence, the period books held, queued adjustments, disputed ids.</summary>
    public CarrierLedgerState ExportState(string carrierId)
    {
        lock (_gate)
        {
            var carrier = Carrier(carrierId);
            var periods = carrier.Periods
                .OrderBy(pair => pair.Key.Start)
                .Select(pair => new PeriodLedgerState(
                    pair.Key,
                    pair.Value.Closed,
                    pair.Value.Sequence,
                    pair.Value.Card,
                    pair.Value.Earliest,
                    pair.Value.Latest,
                    pair.Value.Hotspots
                        .OrderBy(h => h.Key.ToAddress(), StringComparer.Ordinal)
                        .Select(h => new HotspotLedgerState(
                            h.Key,
                            h.Value.Hex,
                            h.Value.Standing,
                            h.Value.Settled,
                            h.Value.Payers.OrderBy(p => p.Key.ToAddress(), StringComparer.Ordinal).Select(p => new PayerTally(p.Key, p.Value)).ToList()))
                        .ToList()))
                .ToList();
            return new CarrierLedgerState(carrierId, carrier.NextSequence, periods, carrier.Pending.ToList(), carrier.Disputed.Order(StringComparer.Ordinal).ToList());
        }
    }

    /// <summary>Replaces the carrier's books with <paramref name="state"/> (statements issued before are not part of it).</summary>
    public void ImportState(CarrierLedgerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            var carrier = new CarrierBook(state.CarrierId) { NextSequence = state.NextSequence };
            foreach (var period in state.Periods)
            {
                var book = carrier.Period(period.Period);
                book.Closed = period.Closed;
                book.Sequence = period.Sequence;
                book.Card = period.Card;
                book.Earliest = period.EarliestRecord;
                book.Latest = period.LatestRecord;
                foreach (var hotspot in period.Hotspots)
                {
                    var held = book.Hotspot(hotspot.Hotspot, hotspot.Hex);
                    held.Standing = hotspot.Standing;
                    held.Settled = hotspot.Settled;
                    foreach (var payer in hotspot.Payers)
                    {
                        held.Add(payer.Payer, payer.Tally);
                    }
                }
            }

            carrier.Pending.AddRange(state.Pending);
            carrier.Disputed.UnionWith(state.Disputed);
            _carriers[state.CarrierId] = carrier;
        }
    }

    /// <summary>Rates one hotspot's records with a card (as a close would).</summary>
    internal SettledFigures Rate(IEnumerable<AcceptedTransfer> records, RateCard card, HotspotStanding standing)
    {
        var hotspot = new HotspotBook(H3Index.Null);
        foreach (var record in records)
        {
            hotspot.Add(record.Payer, TransferTally.Of(record));
        }

        return Rate(hotspot, card, standing);
    }

    /// <summary>Rates one hotspot's tallies with the period's card: bytes summed, DC per payer bucket, money rounded once.</summary>
    private SettledFigures Rate(HotspotBook hotspot, RateCard card, HotspotStanding standing)
    {
        var totals = hotspot.Totals;
        long credits = 0;
        foreach (var payer in hotspot.Payers.Values)
        {
            credits = checked(credits + DataCredits.ForBucket(payer.Billed, payer.RewardableBytes, _options.BytesPerDataCredit));
        }

        var rate = card.RateFor(standing);
        var amount = _options.RoundMoney(totals.RewardableBytes * rate / BytesPerGigabyte);
        var share = _options.RoundMoney(amount * card.OperatorRevenueShare);
        return new SettledFigures(totals.Records, totals.UploadBytes, totals.DownloadBytes, totals.RewardableBytes, credits, rate, amount, share);
    }

    private SignedStatement IssueAdjustments(CarrierBook carrier, SettlementPeriod period, DateTimeOffset issuedAt, RateCard card)
    {
        var sequence = carrier.NextSequence++;
        var lines = new List<StatementLine>();
        DateTimeOffset? earliest = null, latest = null;
        // Late additions before dispute credits, each group rated against what its hotspot had settled so far.
        var groups = carrier.Pending
            .GroupBy(change => (change.Reason, change.Period, change.Record.HotspotKey))
            .OrderBy(group => group.Key.Reason)
            .ThenBy(group => group.Key.Period.Start);
        foreach (var group in groups)
        {
            var (reason, originalPeriod, hotspotKey) = group.Key;
            var book = carrier.Periods.TryGetValue(originalPeriod, out var held) && held.Closed
                ? held
                : throw new InvalidOperationException($"the book of closed period {originalPeriod} is not loaded");
            var hotspot = book.Hotspot(hotspotKey, group.First().Record.Hex);
            foreach (var change in group)
            {
                var time = change.Record.Timestamp;
                earliest = earliest is null || time < earliest ? time : earliest;
                latest = latest is null || time > latest ? time : latest;
                var tally = TransferTally.Of(change.Record);
                if (reason == AdjustmentReason.LateRecords)
                {
                    hotspot.Add(change.Record.Payer, tally);
                    carrier.Settled[change.Record.EventId] = change.Record;
                }
                else
                {
                    hotspot.Add(change.Record.Payer, tally.Negate());
                    carrier.Settled.Remove(change.Record.EventId);
                }
            }

            // A hotspot first seen through late records gets its standing now, from the same source as at close.
            hotspot.Standing ??= _standings(hotspotKey, originalPeriod);
            var now = Rate(hotspot, book.Card!, hotspot.Standing.Value);
            var delta = now.Minus(hotspot.Settled);
            hotspot.Settled = now;
            var eventIds = group.Select(change => change.Record.EventId).Order(StringComparer.Ordinal).ToList();
            lines.Add(ToLine(hotspotKey, hotspot.Hex, delta, reason, originalPeriod, book.Sequence, eventIds));
        }

        carrier.Pending.Clear();
        return Issue(carrier, new StatementDraft(carrier.CarrierId, sequence, StatementKind.Adjustment, period, issuedAt, card), lines, earliest, latest);
    }

    private SignedStatement Issue(CarrierBook carrier, StatementDraft draft, List<StatementLine> lines, DateTimeOffset? earliest, DateTimeOffset? latest)
    {
        lines.Sort(CompareLines);
        var hexLines = lines
            .GroupBy(line => line.Hex)
            .OrderBy(group => group.Key)
            .Select(group => new HexLine(
                group.Key,
                group.Select(line => line.Hotspot).Distinct().Count(),
                group.Sum(line => line.Records),
                group.Sum(line => line.UploadBytes),
                group.Sum(line => line.DownloadBytes),
                group.Sum(line => line.RewardableBytes),
                group.Sum(line => line.DataCredits),
                group.Sum(line => line.Amount),
                group.Sum(line => line.OperatorShare)))
            .ToList();
        var totals = new ControlTotals(
            lines.Sum(line => line.Records),
            lines.Sum(line => line.UploadBytes),
            lines.Sum(line => line.DownloadBytes),
            lines.Sum(line => line.RewardableBytes),
            lines.Sum(line => line.DataCredits),
            lines.Sum(line => line.Amount),
            lines.Sum(line => line.OperatorShare),
            earliest,
            latest);
        var statement = new CarrierStatement(
            draft.CarrierId, draft.Sequence, draft.Kind, draft.Period, draft.IssuedAt, draft.Card, lines, hexLines, totals);
        var signed = StatementSigning.Sign(statement, _serverKey);
        carrier.Issued.Add(signed);
        return signed;
    }

    private static StatementLine ToLine(
        HeliumPublicKey hotspot, H3Index hex, SettledFigures figures, AdjustmentReason reason, SettlementPeriod period, long sequence, IReadOnlyList<string> eventIds) =>
        new(hotspot, hex, figures.Records, figures.UploadBytes, figures.DownloadBytes, figures.RewardableBytes, figures.DataCredits, figures.RatePerGigabyte, figures.Amount, figures.OperatorShare)
        {
            Adjustment = reason,
            OriginalPeriod = period,
            OriginalSequence = sequence,
            EventIds = eventIds,
        };

    private static int CompareLines(StatementLine a, StatementLine b)
    {
        var byKey = a.Hotspot.AsSpan().SequenceCompareTo(b.Hotspot.AsSpan());
        if (byKey != 0)
        {
            return byKey;
        }

        var byPeriod = a.OriginalPeriod.Start.CompareTo(b.OriginalPeriod.Start);
        return byPeriod != 0 ? byPeriod : a.Adjustment.CompareTo(b.Adjustment);
    }

    private CarrierBook Carrier(string carrierId)
    {
        if (!_carriers.TryGetValue(carrierId, out var carrier))
        {
            carrier = new CarrierBook(carrierId);
            _carriers[carrierId] = carrier;
        }

        return carrier;
    }

    private readonly record struct StatementDraft(string CarrierId, long Sequence, StatementKind Kind, SettlementPeriod Period, DateTimeOffset IssuedAt, RateCard Card);

    private sealed class CarrierBook(string carrierId)
    {
        public string CarrierId { get; } = carrierId;

        public long NextSequence { get; set; } = 1;

        public Dictionary<SettlementPeriod, PeriodBook> Periods { get; } = [];

        public HashSet<string> KnownEventIds { get; } = new(StringComparer.Ordinal);

        /// <summary>Records added one by one that are on issued statements, by event_id (for disputes).</summary>
        public Dictionary<string, AcceptedTransfer> Settled { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Disputed { get; } = new(StringComparer.Ordinal);

        public List<PendingAdjustment> Pending { get; } = [];

        public List<SignedStatement> Issued { get; } = [];

        public PeriodBook Period(SettlementPeriod period)
        {
            if (!Periods.TryGetValue(period, out var book))
            {
                book = new PeriodBook();
                Periods[period] = book;
            }

            return book;
        }
    }

    private sealed class PeriodBook
    {
        public bool Closed { get; set; }

        public long Sequence { get; set; }

        public RateCard? Card { get; set; }

        public DateTimeOffset? Earliest { get; set; }

        public DateTimeOffset? Latest { get; set; }

        public Dictionary<HeliumPublicKey, HotspotBook> Hotspots { get; } = [];

        /// <summary>Records added one by one while open; indexed for disputes when the period closes.</summary>
        public List<AcceptedTransfer> OpenRecords { get; } = [];

        public HotspotBook Hotspot(HeliumPublicKey key, H3Index hex)
        {
            if (!Hotspots.TryGetValue(key, out var hotspot))
            {
                hotspot = new HotspotBook(hex);
                Hotspots[key] = hotspot;
            }

            return hotspot;
        }

        public void Span(DateTimeOffset earliest, DateTimeOffset latest)
        {
            Earliest = Earliest is null || earliest < Earliest ? earliest : Earliest;
            Latest = Latest is null || latest > Latest ? latest : Latest;
        }
    }

    private sealed class HotspotBook(H3Index hex)
    {
        public H3Index Hex { get; } = hex;

        public HotspotStanding? Standing { get; set; }

        public SettledFigures Settled { get; set; }

        public TransferTally Totals { get; private set; }

        public Dictionary<HeliumPublicKey, TransferTally> Payers { get; } = [];

        public void Add(HeliumPublicKey payer, TransferTally tally)
        {
            Totals = Totals.Plus(tally);
            Payers[payer] = Payers.GetValueOrDefault(payer).Plus(tally);
        }
    }
}
