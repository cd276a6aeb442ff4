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
                carrier.Pending.Add(new PendingChange(AdjustmentReason.LateRecords, period, transfer));
                return LedgerAdmission.LateAdjustment;
            }

            book.Hotspot(transfer).Records[transfer.EventId] = transfer;
            return LedgerAdmission.OpenPeriod;
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
            var lines = new List<StatementLine>();
            var times = new List<DateTimeOffset>();
            foreach (var (hotspotKey, hotspot) in book.Hotspots)
            {
                var standing = _standings(hotspotKey, period);
                hotspot.Standing = standing;
                hotspot.Settled = Rate(hotspot.Records.Values, card, standing);
                foreach (var record in hotspot.Records.Values)
                {
                    carrier.Settled[record.EventId] = (period, hotspotKey);
                    times.Add(record.Timestamp);
                }

                lines.Add(ToLine(hotspotKey, hotspot.Hex, hotspot.Settled, AdjustmentReason.None, period, book.Sequence, []));
            }

            var issued = new List<SignedStatement>
            {
                Issue(carrier, new StatementDraft(carrierId, book.Sequence, StatementKind.Regular, period, issuedAt, card), lines, times),
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
        ArgumentNullException.ThrowIfNull(eventIds);
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
                }
                else if (!carrier.Settled.TryGetValue(eventId, out var place))
                {
                    notSettled.Add(eventId);
                }
                else
                {
                    carrier.Disputed.Add(eventId);
                    var record = carrier.Periods[place.Period].Hotspots[place.Hotspot].Records[eventId];
                    carrier.Pending.Add(new PendingChange(AdjustmentReason.DisputeCredit, place.Period, record));
                    credited.Add(eventId);
                }
            }
        }

        return new DisputeResult(credited, notSettled, alreadyDisputed);
    }

    /// <summary>Every statement issued to the carrier, in sequence order.</summary>
    public IReadOnlyList<SignedStatement> Statements(string carrierId)
    {
        lock (_gate)
        {
            return _carriers.TryGetValue(carrierId, out var carrier) ? carrier.Issued.ToList() : [];
        }
    }

    /// <summary>Rates one hotspot's records with the period's card: bytes summed, DC per payer bucket, money rounded once.</summary>
    internal LineFigures Rate(IEnumerable<AcceptedTransfer> records, RateCard card, HotspotStanding standing)
    {
        long count = 0, upload = 0, download = 0, rewardable = 0;
        var payers = new Dictionary<HeliumPublicKey, (long Billed, long Rewardable)>();
        foreach (var record in records)
        {
            count++;
            upload = checked(upload + record.UploadBytes);
            download = checked(download + record.DownloadBytes);
            rewardable = checked(rewardable + record.RewardableBytes);
            var bucket = payers.GetValueOrDefault(record.Payer);
            payers[record.Payer] = (bucket.Billed + (record.IsBilled ? 1 : 0), bucket.Rewardable + record.RewardableBytes);
        }

        var credits = payers.Values.Sum(bucket => DataCredits.ForBucket(bucket.Billed, bucket.Rewardable, _options.BytesPerDataCredit));
        var rate = card.RateFor(standing);
        var amount = _options.RoundMoney(rewardable * rate / BytesPerGigabyte);
        var share = _options.RoundMoney(amount * card.OperatorRevenueShare);
        return new LineFigures(count, upload, download, rewardable, credits, rate, amount, share);
    }

    private SignedStatement IssueAdjustments(CarrierBook carrier, SettlementPeriod period, DateTimeOffset issuedAt, RateCard card)
    {
        var sequence = carrier.NextSequence++;
        var lines = new List<StatementLine>();
        var times = new List<DateTimeOffset>();
        // Late additions before dispute credits, each group rated against what its hotspot had settled so far.
        var groups = carrier.Pending
            .GroupBy(change => (change.Reason, change.Period, change.Record.HotspotKey))
            .OrderBy(group => group.Key.Reason)
            .ThenBy(group => group.Key.Period.Start);
        foreach (var group in groups)
        {
            var (reason, originalPeriod, hotspotKey) = group.Key;
            var book = carrier.Periods[originalPeriod];
            var hotspot = book.Hotspot(group.First().Record);
            foreach (var change in group)
            {
                times.Add(change.Record.Timestamp);
                if (reason == AdjustmentReason.LateRecords)
                {
                    hotspot.Records[change.Record.EventId] = change.Record;
                    carrier.Settled[change.Record.EventId] = (originalPeriod, hotspotKey);
                }
                else
                {
                    hotspot.Records.Remove(change.Record.EventId);
                    carrier.Settled.Remove(change.Record.EventId);
                }
            }

            // A hotspot first seen through late records gets its standing now, from the same source as at close.
            hotspot.Standing ??= _standings(hotspotKey, originalPeriod);
            var now = Rate(hotspot.Records.Values, book.Card!, hotspot.Standing.Value);
            var delta = now.Minus(hotspot.Settled);
            hotspot.Settled = now;
            var eventIds = group.Select(change => change.Record.EventId).Order(StringComparer.Ordinal).ToList();
            lines.Add(ToLine(hotspotKey, hotspot.Hex, delta, reason, originalPeriod, book.Sequence, eventIds));
        }

        carrier.Pending.Clear();
        return Issue(carrier, new StatementDraft(carrier.CarrierId, sequence, StatementKind.Adjustment, period, issuedAt, card), lines, times);
    }

    private SignedStatement Issue(CarrierBook carrier, StatementDraft draft, List<StatementLine> lines, List<DateTimeOffset> times)
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
            times.Count == 0 ? null : times.Min(),
            times.Count == 0 ? null : times.Max());
        var statement = new CarrierStatement(
            draft.CarrierId, draft.Sequence, draft.Kind, draft.Period, draft.IssuedAt, draft.Card, lines, hexLines, totals);
        var signed = StatementSigning.Sign(statement, _serverKey);
        carrier.Issued.Add(signed);
        return signed;
    }

    private static StatementLine ToLine(
        HeliumPublicKey hotspot, H3Index hex, LineFigures figures, AdjustmentReason reason, SettlementPeriod period, long sequence, IReadOnlyList<string> eventIds) =>
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

    /// <summary>One hotspot's rated figures for a period, or the change between two ratings.</summary>
    internal readonly record struct LineFigures(
        long Records, long UploadBytes, long DownloadBytes, long RewardableBytes, long DataCredits, decimal RatePerGigabyte, decimal Amount, decimal OperatorShare)
    {
        public LineFigures Minus(LineFigures settled) => new(
            Records - settled.Records,
            UploadBytes - settled.UploadBytes,
            DownloadBytes - settled.DownloadBytes,
            RewardableBytes - settled.RewardableBytes,
            DataCredits - settled.DataCredits,
            RatePerGigabyte,
            Amount - settled.Amount,
            OperatorShare - settled.OperatorShare);
    }

    private readonly record struct StatementDraft(string CarrierId, long Sequence, StatementKind Kind, SettlementPeriod Period, DateTimeOffset IssuedAt, RateCard Card);

    private readonly record struct PendingChange(AdjustmentReason Reason, SettlementPeriod Period, AcceptedTransfer Record);

    private sealed class CarrierBook(string carrierId)
    {
        public string CarrierId { get; } = carrierId;

        public long NextSequence { get; set; } = 1;

        public Dictionary<SettlementPeriod, PeriodBook> Periods { get; } = [];

        public HashSet<string> KnownEventIds { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, (SettlementPeriod Period, HeliumPublicKey Hotspot)> Settled { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Disputed { get; } = new(StringComparer.Ordinal);

        public List<PendingChange> Pending { get; } = [];

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

        public Dictionary<HeliumPublicKey, HotspotBook> Hotspots { get; } = [];

        public HotspotBook Hotspot(AcceptedTransfer transfer)
        {
            if (!Hotspots.TryGetValue(transfer.HotspotKey, out var hotspot))
            {
                hotspot = new HotspotBook(transfer.Hex);
                Hotspots[transfer.HotspotKey] = hotspot;
            }

            return hotspot;
        }
    }

    private sealed class HotspotBook(H3Index hex)
    {
        public H3Index Hex { get; } = hex;

        public HotspotStanding? Standing { get; set; }

        public LineFigures Settled { get; set; }

        public Dictionary<string, AcceptedTransfer> Records { get; } = new(StringComparer.Ordinal);
    }
}
