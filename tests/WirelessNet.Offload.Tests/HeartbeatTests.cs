using WirelessNet.Coverage.H3;
using WirelessNet.Offload.Heartbeats;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Offload.Tests;

public sealed class HeartbeatTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private readonly OffloadFixture _fixture = new();
    private readonly HeartbeatLedger _ledger;

    public HeartbeatTests() => _ledger = new HeartbeatLedger(_fixture.Directory, TimeSpan.FromMinutes(5));

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(299, 1.0)]
    [InlineData(300, 1.0)]
    [InlineData(301, 0.25)]
    [InlineData(400, 0.25)]
    [InlineData(401, 0.0)]
    [InlineData(5_000, 0.0)]
    public void Wifi_trust_follows_distance_to_the_asserted_location(double metersNorth, double expected)
    {
        var asserted = OffloadFixture.AssertedLocation(0);
        var position = NorthOf(asserted, metersNorth);
        // The offset really is that far by the same great-circle measure (within a centimetre).
        Assert.Equal(metersNorth, H3Grid.GreatCircleDistanceM(asserted, position), 0.01);

        var heartbeat = Heartbeat(HeartbeatRadioKind.Wifi, Day, position, HeartbeatLocationSource.WifiPositioning);
        Assert.Equal((decimal)expected, LocationTrust.For(heartbeat, asserted));
    }

    [Fact]
    public void Cbrs_with_sas_or_gps_location_is_trusted_fully_wherever_it_is()
    {
        var far = NorthOf(OffloadFixture.AssertedLocation(0), 10_000);
        Assert.Equal(1m, LocationTrust.For(Heartbeat(HeartbeatRadioKind.Cbrs, Day, far, HeartbeatLocationSource.Sas), OffloadFixture.AssertedLocation(0)));
        Assert.Equal(1m, LocationTrust.For(Heartbeat(HeartbeatRadioKind.Cbrs, Day, far, HeartbeatLocationSource.Gps), null));
        Assert.Equal(0m, LocationTrust.For(Heartbeat(HeartbeatRadioKind.Cbrs, Day, far, HeartbeatLocationSource.Asserted), OffloadFixture.AssertedLocation(0)));
    }

    [Fact]
    public void Eleven_hours_are_not_enough_and_twelve_are()
    {
        for (var hour = 0; hour < 11; hour++)
        {
            Assert.True(Record(Day.AddHours(hour)).Counted);
        }

        Assert.False(Summary().Rewardable);
        Assert.Equal(11, Summary().CountedHours);

        Assert.True(Record(Day.AddHours(11)).Counted);
        Assert.True(Summary().Rewardable);
    }

    [Fact]
    public void Only_one_heartbeat_per_hour_counts()
    {
        for (var minute = 0; minute < 24 * 60; minute += 5)
        {
            Record(Day.AddMinutes(minute % 60)); // every five minutes, all in hour 0
        }

        Assert.Equal(1, Summary().CountedHours);
        Assert.Equal(HeartbeatRejectionReason.HourAlreadyCounted, Record(Day.AddMinutes(30)).Reason);
    }

    [Fact]
    public void Hours_of_the_next_utc_day_do_not_count_toward_this_one()
    {
        for (var hour = 0; hour < 12; hour++)
        {
            Record(Day.AddHours(18 + hour)); // 18:00 through 05:00 next day
        }

        Assert.Equal(6, Summary().CountedHours);
        Assert.False(Summary().Rewardable);
    }

    [Fact]
    public void Mean_trust_is_over_counted_hours()
    {
        Record(Day, metersAway: 0);
        Record(Day.AddHours(1), metersAway: 350);
        Assert.Equal(0.625m, Summary().MeanTrust);
    }

    [Fact]
    public void Untrusted_inactive_banned_and_future_heartbeats_do_not_count()
    {
        Assert.Equal(HeartbeatRejectionReason.LocationUntrusted, Record(Day, metersAway: 1_000).Reason);
        var inactive = Heartbeat(HeartbeatRadioKind.Wifi, Day, OffloadFixture.AssertedLocation(0), HeartbeatLocationSource.Asserted) with { OperationModeActive = false };
        Assert.Equal(HeartbeatRejectionReason.NotOperating, _ledger.Record(inactive, Day.AddDays(1)).Reason);
        Assert.Equal(HeartbeatRejectionReason.TimestampInFuture, _ledger.Record(Heartbeat(HeartbeatRadioKind.Wifi, Day.AddDays(2), OffloadFixture.AssertedLocation(0), HeartbeatLocationSource.Asserted), Day.AddDays(1)).Reason);
        _fixture.Directory.Upsert(new HotspotRegistration(_fixture.Hotspots[0].PublicKey, true, OffloadFixture.AssertedLocation(0)));
        Assert.Equal(HeartbeatRejectionReason.HotspotBanned, Record(Day.AddHours(2)).Reason);
        Assert.Equal(0, Summary().CountedHours);
    }

    [Theory]
    [InlineData(37_500_000, 37_500_000, SpeedtestRejectionReason.None)]
    [InlineData(37_500_001, 1, SpeedtestRejectionReason.SpeedTooHigh)]
    [InlineData(1, 37_500_001, SpeedtestRejectionReason.SpeedTooHigh)]
    [InlineData(-1, 1, SpeedtestRejectionReason.NegativeValue)]
    public void Speedtests_above_300_mbps_are_rejected(long upload, long download, SpeedtestRejectionReason expected)
    {
        var test = new Speedtest(_fixture.Hotspots[0].PublicKey, Day.ToUnixTimeSeconds(), upload, download, 20);
        Assert.Equal(expected, SpeedtestValidator.Validate(test));
    }

    private static LatLng NorthOf(LatLng origin, double meters) =>
        new(origin.Lat + (meters / 1000.0 / H3Grid.GreatCircleDistanceKm(new LatLng(0, 0), new LatLng(1, 0))), origin.Lng);

    private Heartbeat Heartbeat(HeartbeatRadioKind kind, DateTimeOffset at, LatLng position, HeartbeatLocationSource source) =>
        new(_fixture.Hotspots[0].PublicKey, kind, at.ToUnixTimeSeconds(), position.Lat, position.Lng, true, source, null);

    private HeartbeatResult Record(DateTimeOffset at, double metersAway = 0) =>
        _ledger.Record(
            Heartbeat(HeartbeatRadioKind.Wifi, at, NorthOf(OffloadFixture.AssertedLocation(0), metersAway), HeartbeatLocationSource.WifiPositioning),
            Day.AddDays(3));

    private HeartbeatDaySummary Summary() => _ledger.Summarize(_fixture.Hotspots[0].PublicKey, DateOnly.FromDateTime(Day.UtcDateTime));
}
