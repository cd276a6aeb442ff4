using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Settlement;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Offload.Tests;

public sealed class SettlementTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day2 = Day1.AddDays(1);
    private static readonly DateTimeOffset Day3 = Day1.AddDays(2);
    private readonly OffloadFixture _fixture = new();
    private readonly HeliumKeyPair _serverKey = OffloadFixture.NewKey();
    private readonly RateCardBook _rateCards = new();
    private readonly SettlementLedger _ledger;

    public SettlementTests()
    {
        _rateCards.Add(new RateCard(OffloadFixture.CarrierId, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), 0.50m, "USD", 0.6m));
        _ledger = new SettlementLedger(_rateCards, new SettlementOptions(), _serverKey);
    }

    public void Dispose()
    {
        _serverKey.Dispose();
        _fixture.Dispose();
    }

    [Fact]
    public void Hand_computed_line_item()
    {
        // 1,234,567,890 B × $0.50/GB = $0.617283945 → $0.62; operator 60 % = $0.372 → $0.37;
        // DC = ceil(1,234,567,890 / 100,000) = 12,346.
        _ledger.Add(Transfer("e1", 1_234_567_890, at: Day1.AddHours(3)));
        var statement = Close(Day1).Single().Statement;

        var line = Assert.Single(statement.Lines);
        Assert.Equal((1L, 1_234_567_890L, 12_346L), (line.Records, line.RewardableBytes, line.DataCredits));
        Assert.Equal(0.50m, line.RatePerGigabyte);
        Assert.Equal(0.62m, line.Amount);
        Assert.Equal(0.37m, line.OperatorShare);
        Assert.Equal((1L, 0.62m, 0.37m), (statement.Totals.Records, statement.Totals.Amount, statement.Totals.OperatorShare));
        Assert.Equal(Day1.AddHours(3), statement.Totals.EarliestRecord);
        Assert.Equal(StatementKind.Regular, statement.Kind);
        Assert.Equal(1, statement.Sequence);
    }

    [Theory]
    [InlineData(5_000_000, "0.00")] // $0.005 → even 0.00
    [InlineData(15_000_000, "0.02")] // $0.015 → even 0.02
    [InlineData(25_000_000, "0.02")] // $0.025 → even 0.02 (away-from-zero would give 0.03)
    [InlineData(25_000_001, "0.03")] // just past the midpoint
    [InlineData(1_000_000_000, "1.00")]
    public void Money_rounds_half_to_even_at_cents(long rewardableBytes, string expected)
    {
        var card = new RateCard(OffloadFixture.CarrierId, Day1, 1.00m, "USD", 0.5m);
        var figures = _ledger.Rate([Transfer("e1", rewardableBytes)], card, HotspotStanding.Full);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), figures.Amount);
    }

    [Fact]
    public void Operator_share_rounds_half_to_even()
    {
        // $0.25 × 50 % = $0.125 → $0.12.
        var card = new RateCard(OffloadFixture.CarrierId, Day1, 1.00m, "USD", 0.5m);
        var figures = _ledger.Rate([Transfer("e1", 250_000_000)], card, HotspotStanding.Full);
        Assert.Equal((0.25m, 0.12m), (figures.Amount, figures.OperatorShare));
    }

    [Fact]
    public void Floor_and_ceiling_bound_the_per_hotspot_rate_and_ineligible_hotspots_earn_nothing()
    {
        var card = new RateCard(OffloadFixture.CarrierId, Day1, 2.00m, "EUR", 0.5m, FloorMultiplier: 0.5m, CeilingMultiplier: 0.8m);
        Assert.Equal(1.00m, card.RateFor(new HotspotStanding(true, 0.25m)));
        Assert.Equal(1.20m, card.RateFor(new HotspotStanding(true, 0.6m)));
        Assert.Equal(1.60m, card.RateFor(new HotspotStanding(true, 1m)));
        Assert.Equal(0m, card.RateFor(new HotspotStanding(false, 1m)));
    }

    [Fact]
    public void Rate_card_in_force_at_the_period_start_applies()
    {
        _rateCards.Add(new RateCard(OffloadFixture.CarrierId, Day2, 0.75m, "USD", 0.6m));
        _ledger.Add(Transfer("e1", 1_000_000_000, at: Day1.AddHours(1)));
        _ledger.Add(Transfer("e2", 1_000_000_000, at: Day2.AddHours(1)));

        Assert.Equal(0.50m, Close(Day1).Single().Statement.Totals.Amount);
        Assert.Equal(0.75m, Close(Day2).Single().Statement.Totals.Amount);
    }

    [Fact]
    public void Period_closes_only_after_the_data_complete_watermark_and_only_once()
    {
        var period = _ledger.Options.PeriodOf(Day1);
        var grace = _ledger.Options.DataCompleteGrace;
        Assert.Throws<InvalidOperationException>(() => _ledger.ClosePeriod(OffloadFixture.CarrierId, period, period.End + grace - TimeSpan.FromSeconds(1)));
        _ledger.ClosePeriod(OffloadFixture.CarrierId, period, period.End + grace);
        Assert.Throws<InvalidOperationException>(() => _ledger.ClosePeriod(OffloadFixture.CarrierId, period, period.End + grace));
        Assert.Throws<InvalidOperationException>(() => _ledger.ClosePeriod("carrier-without-card", period, period.End + grace));
    }

    [Fact]
    public void Statement_signature_verifies_and_fails_on_any_changed_byte()
    {
        _ledger.Add(Transfer("e1", 123_456_789, hotspot: 0, at: Day1.AddHours(1)));
        _ledger.Add(Transfer("e2", 987_654_321, hotspot: 1, payer: 1, at: Day1.AddHours(2)));
        var signed = Close(Day1).Single();

        Assert.True(StatementSigning.Verify(signed, _serverKey.PublicKey));
        var bytes = signed.CanonicalBytes.ToArray();
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] ^= 0x01;
            Assert.False(StatementSigning.Verify(bytes, signed.Signature.Span, _serverKey.PublicKey), $"byte {i} changed but still verifies");
            bytes[i] ^= 0x01;
        }

        Assert.True(StatementSigning.Verify(bytes, signed.Signature.Span, _serverKey.PublicKey));
        Assert.False(StatementSigning.Verify(signed with { Statement = signed.Statement with { Sequence = 2 } }, _serverKey.PublicKey));
        Assert.False(StatementSigning.Verify(signed, _fixture.Router.PublicKey));
    }

    [Fact]
    public void Canonical_bytes_do_not_depend_on_decimal_scale()
    {
        _ledger.Add(Transfer("e1", 1_000_000_000, at: Day1.AddHours(1)));
        var statement = Close(Day1).Single().Statement;
        var rescaled = statement with { RateCard = statement.RateCard with { PricePerGigabyte = 0.5000m } };
        Assert.Equal(StatementSigning.Serialize(statement), StatementSigning.Serialize(rescaled));
    }

    [Fact]
    public void Late_record_goes_to_an_adjustment_statement_linked_to_its_period()
    {
        _ledger.Add(Transfer("e1", 1_000_000_000, at: Day1.AddHours(1)));
        var day1 = Close(Day1).Single().Statement;

        Assert.Equal(LedgerAdmission.LateAdjustment, _ledger.Add(Transfer("late-1", 500_000_000, at: Day1.AddHours(23))));
        _ledger.Add(Transfer("e2", 2_000_000_000, at: Day2.AddHours(1)));
        var issued = Close(Day2);

        Assert.Equal([2L, 3L], issued.Select(s => s.Statement.Sequence));
        var regular = issued[0].Statement;
        Assert.Equal((StatementKind.Regular, 2_000_000_000L), (regular.Kind, regular.Totals.RewardableBytes));

        var adjustment = issued[1].Statement;
        Assert.Equal(StatementKind.Adjustment, adjustment.Kind);
        Assert.Equal(_ledger.Options.PeriodOf(Day2), adjustment.Period);
        var line = Assert.Single(adjustment.Lines);
        Assert.Equal(AdjustmentReason.LateRecords, line.Adjustment);
        Assert.Equal(day1.Period, line.OriginalPeriod);
        Assert.Equal(day1.Sequence, line.OriginalSequence);
        Assert.Equal(["late-1"], line.EventIds);
        Assert.Equal((1L, 500_000_000L, 0.25m), (line.Records, line.RewardableBytes, line.Amount));
        // DC of the bucket: ceil(1.5 GB) = 15,000 now, 10,000 settled → +5,000.
        Assert.Equal(5_000, line.DataCredits);
        Assert.True(StatementSigning.Verify(issued[1], _serverKey.PublicKey));
    }

    [Fact]
    public void Dispute_is_credited_by_adjustment_and_nothing_is_edited()
    {
        _ledger.Add(Transfer("keep", 1_000_000_000, at: Day1.AddHours(1)));
        _ledger.Add(Transfer("disputed", 333_333_333, at: Day1.AddHours(2)));
        var day1 = Close(Day1).Single();
        var day1Bytes = day1.CanonicalBytes.ToArray();
        Assert.Equal(0.67m, day1.Statement.Totals.Amount); // 1.333333333 GB × $0.50 = $0.6666… → $0.67

        var dispute = _ledger.Dispute(OffloadFixture.CarrierId, ["disputed", "never-seen"]);
        Assert.Equal(["disputed"], dispute.Credited);
        Assert.Equal(["never-seen"], dispute.NotSettled);
        Assert.Equal(["disputed"], _ledger.Dispute(OffloadFixture.CarrierId, ["disputed"]).AlreadyDisputed);

        var adjustment = Close(Day2)[1].Statement;
        var credit = Assert.Single(adjustment.Lines);
        Assert.Equal(AdjustmentReason.DisputeCredit, credit.Adjustment);
        Assert.Equal(day1.Statement.Sequence, credit.OriginalSequence);
        Assert.Equal((-1L, -333_333_333L), (credit.Records, credit.RewardableBytes));
        // Re-rated: $0.50 for the remaining GB, so the credit is 0.50 − 0.67.
        Assert.Equal(-0.17m, credit.Amount);
        Assert.Equal(0.50m, day1.Statement.Totals.Amount + credit.Amount);
        Assert.Equal(-3_334, credit.DataCredits); // 10,000 − ceil(13,333.33333)

        // The closed statement is unchanged and still verifies.
        Assert.Equal(day1Bytes, _ledger.Statements(OffloadFixture.CarrierId)[0].CanonicalBytes.ToArray());
        Assert.True(StatementSigning.Verify(_ledger.Statements(OffloadFixture.CarrierId)[0], _serverKey.PublicKey));
    }

    [Fact]
    public void Ineligible_hotspot_is_settled_at_zero_from_heartbeats()
    {
        var heartbeats = new Heartbeats.HeartbeatLedger(_fixture.Directory, TimeSpan.FromMinutes(5));
        for (var hour = 0; hour < 12; hour++)
        {
            var position = OffloadFixture.AssertedLocation(0);
            heartbeats.Record(
                new Heartbeat(_fixture.Hotspots[0].PublicKey, HeartbeatRadioKind.Wifi, Day1.AddHours(hour).ToUnixTimeSeconds(), position.Lat, position.Lng, true, HeartbeatLocationSource.WifiPositioning, null),
                Day2);
        }

        var ledger = new SettlementLedger(_rateCards, new SettlementOptions(), _serverKey, HotspotStanding.FromHeartbeats(heartbeats));
        ledger.Add(Transfer("e1", 1_000_000_000, hotspot: 0, at: Day1.AddHours(1)));
        ledger.Add(Transfer("e2", 1_000_000_000, hotspot: 1, at: Day1.AddHours(1)));
        var period = ledger.Options.PeriodOf(Day1);
        var lines = ledger.ClosePeriod(OffloadFixture.CarrierId, period, Day3).Single().Statement.Lines;

        Assert.Equal(0.50m, lines.Single(line => line.Hotspot == _fixture.Hotspots[0].PublicKey).Amount);
        var idle = lines.Single(line => line.Hotspot == _fixture.Hotspots[1].PublicKey);
        Assert.Equal((0m, 1_000_000_000L), (idle.Amount, idle.RewardableBytes));
    }

    [Fact]
    public void Payouts_are_derived_from_statements_including_adjustments()
    {
        _ledger.Add(Transfer("e1", 2_000_000_000, hotspot: 0, at: Day1.AddHours(1)));
        Close(Day1);
        _ledger.Add(Transfer("late", 2_000_000_000, hotspot: 0, at: Day1.AddHours(2)));
        Close(Day2);

        var payout = Assert.Single(HotspotPayouts.FromStatements(_ledger.Statements(OffloadFixture.CarrierId).Select(s => s.Statement)));
        Assert.Equal(_ledger.Options.PeriodOf(Day1), payout.Period);
        Assert.Equal((2.00m, 1.20m, "USD"), (payout.CarrierAmount, payout.OperatorPayout, payout.Currency));
    }

    private List<SignedStatement> Close(DateTimeOffset day)
    {
        var period = _ledger.Options.PeriodOf(day);
        return _ledger.ClosePeriod(OffloadFixture.CarrierId, period, period.End + _ledger.Options.DataCompleteGrace).ToList();
    }

    private AcceptedTransfer Transfer(string eventId, long rewardableBytes, int hotspot = 0, int payer = 0, DateTimeOffset? at = null) =>
        new(OffloadFixture.CarrierId, eventId, _fixture.Hotspots[hotspot].PublicKey, _fixture.Payers[payer].PublicKey,
            H3Grid.LatLngToCell(OffloadFixture.AssertedLocation(hotspot), 8), at ?? Day1,
            RadioAccessTechnology.Eutran, rewardableBytes / 2, rewardableBytes - (rewardableBytes / 2), rewardableBytes, false, false, true);
}
