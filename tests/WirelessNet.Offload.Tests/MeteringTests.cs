using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Metering;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Offload.Tests;

public sealed class MeteringTests : IDisposable
{
    private static readonly DateTimeOffset Hour0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly OffloadFixture _fixture = new();
    private readonly UsageMeter _meter = new(new InMemoryUsageCounterStore());

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData(0, 0, 0)] // no billed record: nothing owed
    [InlineData(1, 0, 1)] // a session that moved nothing still costs the minimum
    [InlineData(1, 1, 1)]
    [InlineData(1, 100_000, 1)]
    [InlineData(1, 100_001, 2)]
    [InlineData(3, 250_000, 3)]
    [InlineData(1, 1_000_000_000, 10_000)] // 1 GB = 10,000 DC = $0.10 at $0.00001/DC
    [InlineData(1, long.MaxValue, (long.MaxValue / 100_000) + 1)]
    public void Data_credits_are_ceil_of_bytes_with_a_minimum_of_one(long billedRecords, long bytes, long expected) =>
        Assert.Equal(expected, DataCredits.ForBucket(billedRecords, bytes, DataCredits.DefaultBytesPerDataCredit));

    [Fact]
    public void Credits_are_computed_per_hotspot_payer_bucket_not_per_record()
    {
        // Two 30 kB sessions: per record 1 + 1 = 2 DC, per bucket ceil(60 kB / 100 kB) = 1 DC.
        Record("a", 30_000, hotspot: 0, payer: 0, Hour0);
        Record("b", 30_000, hotspot: 0, payer: 0, Hour0.AddMinutes(10));
        // Another payer on the same hotspot is its own bucket with its own minimum.
        Record("c", 10, hotspot: 0, payer: 1, Hour0.AddMinutes(20));

        Assert.Equal(2, _meter.HotspotDataCredits(MeterGranularity.Hour, Hour0, OffloadFixture.CarrierId, Hotspot(0)));
        var byPayer = _meter.PayerDataCredits(MeterGranularity.Day, Hour0, OffloadFixture.CarrierId);
        Assert.Equal(1, byPayer[_fixture.Payers[0].PublicKey]);
        Assert.Equal(1, byPayer[_fixture.Payers[1].PublicKey]);
    }

    [Fact]
    public void Day_credits_are_their_own_burn_period_not_the_sum_of_hours()
    {
        Record("a", 60_000, hotspot: 0, payer: 0, Hour0);
        Record("b", 60_000, hotspot: 0, payer: 0, Hour0.AddHours(1));

        Assert.Equal(1, _meter.CarrierDataCredits(MeterGranularity.Hour, Hour0, OffloadFixture.CarrierId));
        Assert.Equal(1, _meter.CarrierDataCredits(MeterGranularity.Hour, Hour0.AddHours(1), OffloadFixture.CarrierId));
        Assert.Equal(2, _meter.CarrierDataCredits(MeterGranularity.Day, Hour0, OffloadFixture.CarrierId)); // ceil(120 kB / 100 kB)
    }

    [Fact]
    public void Counters_aggregate_per_hour_day_carrier_hotspot_and_hex()
    {
        Record("a", 1_000, hotspot: 0, payer: 0, Hour0);
        Record("b", 2_000, hotspot: 1, payer: 0, Hour0.AddMinutes(59));
        Record("c", 4_000, hotspot: 1, payer: 1, Hour0.AddHours(5));

        var hour = _meter.CarrierTotals(MeterGranularity.Hour, Hour0, OffloadFixture.CarrierId);
        Assert.Equal((2L, 3_000L), (hour.Records, hour.RewardableBytes));
        var day = _meter.CarrierTotals(MeterGranularity.Day, Hour0, OffloadFixture.CarrierId);
        Assert.Equal((3L, 3L, 7_000L), (day.Records, day.Sessions, day.RewardableBytes));
        Assert.Equal(6_000, _meter.HotspotTotals(MeterGranularity.Day, Hour0, OffloadFixture.CarrierId, Hotspot(1)).RewardableBytes);
        Assert.Equal(6_000, _meter.HexTotals(MeterGranularity.Day, Hour0, OffloadFixture.CarrierId, Hex(1)).RewardableBytes);
        Assert.Equal(0, _meter.CarrierTotals(MeterGranularity.Day, Hour0, "carrier-b").Records);
    }

    [Fact]
    public void Cancelled_rewards_are_counted_but_burn_nothing()
    {
        _meter.Record(Transfer("a", 50_000, 0, 0, Hour0) with { RewardableBytes = 0, RewardCancelled = true });
        var day = _meter.CarrierTotals(MeterGranularity.Day, Hour0, OffloadFixture.CarrierId);
        Assert.Equal((1L, 0L, 50_000L), (day.Records, day.BilledRecords, day.DownloadBytes));
        Assert.Equal(0, _meter.CarrierDataCredits(MeterGranularity.Day, Hour0, OffloadFixture.CarrierId));
    }

    private HeliumPublicKey Hotspot(int index) => _fixture.Hotspots[index].PublicKey;

    private static H3Index Hex(int index) => H3Grid.LatLngToCell(OffloadFixture.AssertedLocation(index), 8);

    private void Record(string eventId, long bytes, int hotspot, int payer, DateTimeOffset at) =>
        _meter.Record(Transfer(eventId, bytes, hotspot, payer, at));

    private AcceptedTransfer Transfer(string eventId, long bytes, int hotspot, int payer, DateTimeOffset at) =>
        new(OffloadFixture.CarrierId, eventId, Hotspot(hotspot), _fixture.Payers[payer].PublicKey, Hex(hotspot), at,
            RadioAccessTechnology.Eutran, 0, bytes, bytes, false, false, true);
}
