using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Metering;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Settlement;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Offload.Tests;

/// <summary>
/// Thousands of random records (fixed seed) through validation, metering and settlement with late arrivals,
/// duplicates, invalid records, RADIUS sessions and disputes: sum of line items = control totals = metered totals =
/// sum of accepted records, per period, with every statement verifying.
/// </summary>
public sealed class ReconciliationPropertyTests : IDisposable
{
    private const int Seed = 20_261_126;
    private const int RecordCount = 3_000;
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private readonly OffloadFixture _fixture = new(hotspotCount: 30, payerCount: 4);
    private readonly HeliumKeyPair _serverKey = OffloadFixture.NewKey();

    public void Dispose()
    {
        _serverKey.Dispose();
        _fixture.Dispose();
    }

    [Fact]
    public void Line_items_control_totals_meter_and_accepted_records_reconcile()
    {
        var rng = new Random(Seed);
        var rateCards = new RateCardBook();
        rateCards.Add(new RateCard(OffloadFixture.CarrierId, Start.AddYears(-1), 0.37m, "USD", 0.55m));
        var options = new SettlementOptions();
        var ledger = new SettlementLedger(rateCards, options, _serverKey);
        var meter = new UsageMeter(new InMemoryUsageCounterStore(), options.BytesPerDataCredit);

        var arrivals = Generate(rng).OrderBy(arrival => arrival.At).ToList();
        var accepted = new List<AcceptedTransfer>();
        var onTimeIds = new HashSet<string>(StringComparer.Ordinal);
        var rejections = new Dictionary<TransferRejectionReason, int>();
        var closed = new HashSet<SettlementPeriod>();
        var periods = Enumerable.Range(0, 7).Select(day => options.PeriodOf(Start.AddDays(day))).ToList();

        foreach (var arrival in arrivals)
        {
            CloseDue(arrival.At);
            var result = _fixture.Validator.Validate(arrival.Request, arrival.At);
            if (result.IsAccepted)
            {
                accepted.Add(result.Transfer!);
                meter.Record(result.Transfer!);
                var admission = ledger.Add(result.Transfer!);
                Assert.NotEqual(LedgerAdmission.Duplicate, admission);
                if (admission == LedgerAdmission.OpenPeriod)
                {
                    onTimeIds.Add(result.Transfer!.EventId);
                }
            }
            else
            {
                rejections[result.Reason] = rejections.GetValueOrDefault(result.Reason) + 1;
            }
        }

        CloseDue(periods[5].End + options.DataCompleteGrace);

        // Dispute a sample of settled records, then one more close issues the credits.
        var disputed = accepted.Where((_, index) => index % 97 == 0).Select(transfer => transfer.EventId).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(disputed.Count, ledger.Dispute(OffloadFixture.CarrierId, disputed).Credited.Count);
        CloseDue(periods[6].End + options.DataCompleteGrace);

        // The generator produced each kind of trouble, and the validator caught it.
        Assert.True(accepted.Count > RecordCount / 2);
        Assert.True(onTimeIds.Count < accepted.Count);
        Assert.True(rejections.GetValueOrDefault(TransferRejectionReason.DuplicateEvent) > 0);
        Assert.True(rejections.GetValueOrDefault(TransferRejectionReason.RewardableExceedsTransferred) > 0);
        Assert.True(rejections.GetValueOrDefault(TransferRejectionReason.CounterWentBackwards) > 0);

        var statements = ledger.Statements(OffloadFixture.CarrierId);
        Assert.Equal(Enumerable.Range(1, statements.Count).Select(n => (long)n), statements.Select(s => s.Statement.Sequence));
        Assert.Contains(statements, s => s.Statement.Kind == StatementKind.Adjustment && s.Statement.Lines.Any(line => line.Adjustment == AdjustmentReason.LateRecords));
        Assert.Contains(statements, s => s.Statement.Lines.Any(line => line.Adjustment == AdjustmentReason.DisputeCredit));

        foreach (var signed in statements)
        {
            Assert.True(StatementSigning.Verify(signed, _serverKey.PublicKey));
            AssertLinesMatchTotals(signed.Statement);
        }

        foreach (var period in periods)
        {
            var regular = statements.Single(s => s.Statement.Kind == StatementKind.Regular && s.Statement.Period == period).Statement;
            var onTime = accepted.Where(t => period.Contains(t.Timestamp) && onTimeIds.Contains(t.EventId)).ToList();
            Assert.Equal(onTime.Count, regular.Totals.Records);
            Assert.Equal(onTime.Sum(t => t.RewardableBytes), regular.Totals.RewardableBytes);
            Assert.Equal(ExpectedCredits(onTime, options), regular.Totals.DataCredits);
            if (regular.Totals.EarliestRecord is { } earliest)
            {
                Assert.True(period.Contains(earliest) && period.Contains(regular.Totals.LatestRecord!.Value));
            }

            // Regular plus every adjustment linked to the period = the final record set of the period, rated once.
            var lines = statements.SelectMany(s => s.Statement.Lines).Where(line => line.OriginalPeriod == period).ToList();
            var all = accepted.Where(t => period.Contains(t.Timestamp)).ToList();
            var final = all.Where(t => !disputed.Contains(t.EventId)).ToList();
            Assert.Equal(final.Count, lines.Sum(line => line.Records));
            Assert.Equal(final.Sum(t => t.UploadBytes), lines.Sum(line => line.UploadBytes));
            Assert.Equal(final.Sum(t => t.DownloadBytes), lines.Sum(line => line.DownloadBytes));
            Assert.Equal(final.Sum(t => t.RewardableBytes), lines.Sum(line => line.RewardableBytes));
            Assert.Equal(ExpectedCredits(final, options), lines.Sum(line => line.DataCredits));
            var expectedAmounts = final.GroupBy(t => t.HotspotKey).Select(group => options.RoundMoney(group.Sum(t => t.RewardableBytes) * 0.37m / 1_000_000_000m)).ToList();
            Assert.Equal(expectedAmounts.Sum(), lines.Sum(line => line.Amount));
            Assert.Equal(expectedAmounts.Sum(amount => options.RoundMoney(amount * 0.55m)), lines.Sum(line => line.OperatorShare));

            // The meter saw every accepted record of the day (disputes do not un-meter traffic).
            var metered = meter.CarrierTotals(MeterGranularity.Day, period.Start, OffloadFixture.CarrierId);
            Assert.Equal(all.Count, metered.Records);
            Assert.Equal(all.Sum(t => t.RewardableBytes), metered.RewardableBytes);
            Assert.Equal(all.Sum(t => t.UploadBytes + t.DownloadBytes), metered.UploadBytes + metered.DownloadBytes);
            Assert.Equal(ExpectedCredits(all, options), meter.CarrierDataCredits(MeterGranularity.Day, period.Start, OffloadFixture.CarrierId));
        }

        // RADIUS sessions: the accepted deltas add up to the highest cumulative counters accepted, never more.
        var reported = arrivals.DistinctBy(arrival => arrival.Request.Event.EventId, StringComparer.Ordinal).ToDictionary(arrival => arrival.Request.Event.EventId, arrival => arrival.Request, StringComparer.Ordinal);
        foreach (var session in accepted.Where(t => t.AccountingSessionId is not null).GroupBy(t => t.AccountingSessionId))
        {
            Assert.Equal(session.Max(t => reported[t.EventId].Event.DownloadBytes), session.Sum(t => t.DownloadBytes));
            Assert.Equal(session.Max(t => reported[t.EventId].RewardableBytes), session.Sum(t => t.RewardableBytes));
        }

        var payouts = HotspotPayouts.FromStatements(statements.Select(s => s.Statement));
        Assert.Equal(statements.Sum(s => s.Statement.Totals.OperatorShare), payouts.Sum(payout => payout.OperatorPayout));
        Assert.Equal(statements.Sum(s => s.Statement.Totals.Amount), payouts.Sum(payout => payout.CarrierAmount));

        void CloseDue(DateTimeOffset now)
        {
            foreach (var period in periods.Where(p => !closed.Contains(p) && ledger.IsDataComplete(p, now)))
            {
                ledger.ClosePeriod(OffloadFixture.CarrierId, period, now);
                closed.Add(period);
            }
        }
    }

    private static long ExpectedCredits(IEnumerable<AcceptedTransfer> transfers, SettlementOptions options) =>
        transfers
            .GroupBy(t => (t.HotspotKey, t.Payer))
            .Sum(bucket => DataCredits.ForBucket(bucket.Count(t => t.IsBilled), bucket.Sum(t => t.RewardableBytes), options.BytesPerDataCredit));

    private static void AssertLinesMatchTotals(CarrierStatement statement)
    {
        var totals = statement.Totals;
        Assert.Equal(totals.Records, statement.Lines.Sum(line => line.Records));
        Assert.Equal(totals.UploadBytes, statement.Lines.Sum(line => line.UploadBytes));
        Assert.Equal(totals.DownloadBytes, statement.Lines.Sum(line => line.DownloadBytes));
        Assert.Equal(totals.RewardableBytes, statement.Lines.Sum(line => line.RewardableBytes));
        Assert.Equal(totals.DataCredits, statement.Lines.Sum(line => line.DataCredits));
        Assert.Equal(totals.Amount, statement.Lines.Sum(line => line.Amount));
        Assert.Equal(totals.OperatorShare, statement.Lines.Sum(line => line.OperatorShare));
        Assert.Equal(totals.Records, statement.HexLines.Sum(hex => hex.Records));
        Assert.Equal(totals.RewardableBytes, statement.HexLines.Sum(hex => hex.RewardableBytes));
        Assert.Equal(totals.DataCredits, statement.HexLines.Sum(hex => hex.DataCredits));
        Assert.Equal(totals.Amount, statement.HexLines.Sum(hex => hex.Amount));
        Assert.Equal(totals.OperatorShare, statement.HexLines.Sum(hex => hex.OperatorShare));
    }

    private IEnumerable<Arrival> Generate(Random rng)
    {
        var sent = new List<Arrival>();
        var sessions = new (long Up, long Down, bool Started)[12];
        for (var i = 0; i < RecordCount; i++)
        {
            var recordTime = Start.AddSeconds(rng.NextInt64(3 * 86_400));
            // One in ten arrives well after its day closed (grace 6 h), inside the 3-day late limit.
            var delay = rng.Next(10) == 0 ? TimeSpan.FromHours(7 + rng.Next(40)) : TimeSpan.FromSeconds(rng.Next(1_800));
            var at = recordTime + delay;
            var roll = rng.Next(100);
            if (roll < 5 && sent.Count > 0)
            {
                var original = sent[rng.Next(sent.Count)];
                sent.Add(original with { At = original.At + TimeSpan.FromMinutes(rng.Next(1, 120)) });
                continue;
            }

            var hotspot = rng.Next(_fixture.Hotspots.Count);
            var payer = rng.Next(_fixture.Payers.Count);
            DataTransferSessionRequest request;
            if (roll < 20)
            {
                var session = rng.Next(sessions.Length);
                var (up, down, started) = sessions[session];
                var step = rng.Next(10);
                if (step >= 2)
                {
                    up += rng.NextInt64(5_000_000);
                    down += rng.NextInt64(50_000_000);
                }

                // Step 0 re-sends the same counters (a retry), step 1 reports stale ones (out of order).
                var stale = step == 1 && up > 0;
                var reportedUp = stale ? up / 2 : up;
                var reportedDown = stale ? down / 2 : down;
                sessions[session] = (up, down, true);
                var transferEvent = _fixture.Event($"acct-{i}", reportedUp, reportedDown, hotspot: session % 5, payer: 0, at: recordTime) with
                {
                    AccountingKind = started ? AccountingRecordKind.Interim : AccountingRecordKind.Start,
                    AccountingSessionId = $"radius-{session}",
                };
                request = _fixture.Request(transferEvent, rewardable: reportedUp + reportedDown);
            }
            else
            {
                var upload = rng.NextInt64(50_000_000);
                var download = rng.NextInt64(500_000_000);
                var invalid = roll < 23;
                var rewardable = invalid ? upload + download + 1 : rng.NextInt64(upload + download + 1);
                request = _fixture.Request(
                    _fixture.Event($"evt-{i}", upload, download, hotspot, payer, recordTime),
                    rewardable,
                    rewardCancelled: roll >= 97);
            }

            sent.Add(new Arrival(request, at));
        }

        return sent;
    }

    private sealed record Arrival(DataTransferSessionRequest Request, DateTimeOffset At);
}
