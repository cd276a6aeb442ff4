using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Offload;
using WirelessNet.Offload.Metering;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Validation;
using WirelessNet.Testing;
using Xunit;

namespace WirelessNet.Lns.Tests.Offload;

/// <summary>
/// The semantics every <see cref="IOffloadStore"/> must have, run on memory and on Redis. On Redis, "two instances"
/// are two stores on two connections to the same server, as two server processes would be.
/// </summary>
public abstract class OffloadStoreContractTests
{
    private static readonly HeliumPublicKey Hotspot = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)9, 32).ToArray()).PublicKey;
    private static readonly HeliumPublicKey PayerKey = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)8, 32).ToArray()).PublicKey;
    private static readonly DateTimeOffset Time = new(2026, 11, 20, 10, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(45);

    /// <summary>Two stores sharing state (the same store twice in memory).</summary>
    protected abstract (IOffloadStore First, IOffloadStore Second) CreatePair();

    private static PendingTransfer Pending(string eventId, long up, long down, long rewardable, string fingerprint, AccountingRecordKind kind = AccountingRecordKind.Standalone, string? session = null, bool cancelled = false) =>
        new(
            new AcceptedTransfer("c1", eventId, Hotspot, PayerKey, new H3Index(0x88196a4c11fffff), Time, RadioAccessTechnology.Eutran, up, down, cancelled ? 0 : rewardable, false, cancelled, kind is AccountingRecordKind.Standalone or AccountingRecordKind.Start)
            {
                AccountingSessionId = session,
            },
            kind,
            new TransferCounters(up, down, rewardable),
            fingerprint);

    [Fact]
    public async Task A_retry_is_acknowledged_and_not_counted_and_another_record_under_the_id_is_a_duplicate()
    {
        var (store, _) = CreatePair();
        var outcomes = await store.CommitAsync("c1", [Pending("e1", 10, 20, 30, "f1"), Pending("e1", 10, 20, 30, "f1"), Pending("e1", 99, 99, 99, "f2")], Retention, default);
        Assert.Equal([CommitStatus.Accepted, CommitStatus.AlreadyAccepted, CommitStatus.Duplicate], outcomes.Select(o => o.Status));
        Assert.Equal(1, await store.CountRecordsAsync("c1", default));
        var day = await store.ReadUsageAsync(MeterGranularity.Day, new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), "c1", UsageScope.Carrier, default);
        Assert.Equal(new UsageCounters(1, 1, 1, 10, 20, 30), Assert.Single(day).Value);
    }

    [Fact]
    public async Task Radius_records_become_deltas_and_a_stale_interim_keeps_its_answer_on_retry()
    {
        var (store, _) = CreatePair();
        var records = new[]
        {
            Pending("s0", 0, 0, 0, "a", AccountingRecordKind.Start, "r1"),
            Pending("s1", 50, 50, 100, "b", AccountingRecordKind.Interim, "r1"),
            Pending("s2", 125, 125, 250, "c", AccountingRecordKind.Interim, "r1"),
            Pending("s3", 100, 100, 200, "d", AccountingRecordKind.Interim, "r1"),
            Pending("s4", 200, 200, 400, "e", AccountingRecordKind.Stop, "r1"),
            Pending("s5", 300, 300, 600, "f", AccountingRecordKind.Interim, "r1"),
            Pending("s3", 100, 100, 200, "d", AccountingRecordKind.Interim, "r1"),
        };
        var outcomes = await store.CommitAsync("c1", records, Retention, default);
        Assert.Equal(
            [CommitStatus.Accepted, CommitStatus.Accepted, CommitStatus.Accepted, CommitStatus.CounterWentBackwards, CommitStatus.Accepted, CommitStatus.SessionAlreadyStopped, CommitStatus.CounterWentBackwards],
            outcomes.Select(o => o.Status));
        Assert.Equal([0L, 100, 150, 150], outcomes.Where(o => o.Transfer is not null).Select(o => o.Transfer!.RewardableBytes));
        var stored = await store.ReadRecordsAsync("c1", 0, 100, default);
        Assert.Equal(400, stored.Sum(r => r.UploadBytes + r.DownloadBytes));
        Assert.Equal(["s0", "s1", "s2", "s4"], stored.Select(r => r.EventId));
    }

    [Fact]
    public async Task Concurrent_commits_of_one_record_on_two_instances_count_it_once()
    {
        var (first, second) = CreatePair();
        var tasks = Enumerable.Range(0, 40)
            .Select(i => (i % 2 == 0 ? first : second).CommitAsync("c1", [Pending("race", 1_000, 1_000, 2_000, "same")], Retention, default))
            .ToList();
        var outcomes = (await Task.WhenAll(tasks)).SelectMany(o => o).ToList();
        Assert.Equal(1, outcomes.Count(o => o.Status == CommitStatus.Accepted));
        Assert.Equal(39, outcomes.Count(o => o.Status == CommitStatus.AlreadyAccepted));
        var hour = await second.ReadUsageAsync(MeterGranularity.Hour, new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), "c1", UsageScope.HotspotPayer, default);
        Assert.Equal(2_000, Assert.Single(hour).Value.RewardableBytes);
    }

    [Fact]
    public async Task Heartbeats_count_once_per_hour_and_twelve_hours_make_a_day_rewardable()
    {
        var (first, second) = CreatePair();
        var day = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        for (var h = 0; h < 12; h++)
        {
            Assert.True(await first.CountHeartbeatAsync(Hotspot, day.AddHours(h).AddMinutes(5), h < 6 ? 1m : 0.25m, default));
            Assert.False(await second.CountHeartbeatAsync(Hotspot, day.AddHours(h).AddMinutes(40), 1m, default));
        }

        var summary = await second.GetHeartbeatDayAsync(Hotspot, DateOnly.FromDateTime(day.UtcDateTime), default);
        Assert.Equal(12, summary.CountedHours);
        Assert.Equal(0.625m, summary.MeanTrust);
        Assert.True(summary.Rewardable);
    }

    [Fact]
    public async Task Speed_tests_are_kept_newest_first_bounded_per_hotspot_and_a_resend_once()
    {
        var (first, second) = CreatePair();
        var start = Time.ToUnixTimeSeconds();
        for (var i = 0; i < 5; i++)
        {
            await first.AddSpeedtestAsync(new Speedtest(Hotspot, start + (i * 60), 1_000 + i, 2_000 + i, 20 + i), keep: 3, default);
        }

        await second.AddSpeedtestAsync(new Speedtest(Hotspot, start + (4 * 60), 1_004, 2_004, 24), keep: 3, default);
        var kept = await second.GetSpeedtestsAsync(Hotspot, DateTimeOffset.MaxValue, 10, default);
        Assert.Equal([start + 240, start + 180, start + 120], kept.Select(t => t.TimestampUnixSeconds));
        Assert.Equal((1_004L, 2_004L, 24), (kept[0].UploadBytesPerSecond, kept[0].DownloadBytesPerSecond, kept[0].LatencyMs));
        Assert.Equal([start + 180, start + 120], (await first.GetSpeedtestsAsync(Hotspot, Time.AddMinutes(4), 10, default)).Select(t => t.TimestampUnixSeconds));
        Assert.Empty(await first.GetSpeedtestsAsync(PayerKey, DateTimeOffset.MaxValue, 10, default));
    }

    [Fact]
    public async Task A_carrier_uses_a_hotspot_once_a_record_it_carried_is_accepted()
    {
        var (first, second) = CreatePair();
        Assert.False(await second.CarrierUsedHotspotAsync("c1", Hotspot, default));
        await first.CommitAsync("c1", [Pending("h1", 1, 1, 2, "h1")], Retention, default);
        Assert.True(await second.CarrierUsedHotspotAsync("c1", Hotspot, default));
        Assert.False(await second.CarrierUsedHotspotAsync("c2", Hotspot, default));
        Assert.False(await second.CarrierUsedHotspotAsync("c1", PayerKey, default));
    }

    [Fact]
    public async Task A_settlement_append_succeeds_only_against_the_expected_log_length()
    {
        var (first, second) = CreatePair();
        var entry = new SettlementLogEntry("close", 0, Time, Time, null);
        var statement = new StoredStatement(1, [1, 2, 3], [4, 5], "addr", "{}");
        Assert.True(await first.AppendSettlementAsync("c1", 0, entry, [statement], null, default));
        Assert.False(await second.AppendSettlementAsync("c1", 0, entry, [statement], null, default));
        Assert.Single(await second.GetStatementsAsync("c1", default));
        Assert.Equal([1, 2, 3], (await second.GetStatementsAsync("c1", default))[0].CanonicalBytes);

        var next = new SettlementLogEntry("close", 1, Time.AddDays(1), Time.AddDays(1), null);
        Assert.True(await second.AppendSettlementAsync("c1", 1, next, [statement with { Sequence = 2 }, statement with { Sequence = 3 }], null, default));
        Assert.Equal([2L, 3L], (await first.GetStatementsAsync("c1", 2, 10, default)).Select(s => s.Sequence));
        Assert.Equal([1L, 2L], (await first.GetStatementsAsync("c1", 1, 2, default)).Select(s => s.Sequence));
        Assert.Empty(await first.GetStatementsAsync("c1", 4, 10, default));
        Assert.Empty(await first.GetStatementsAsync("c1", 0, 10, default));
    }
}

public sealed class InMemoryOffloadStoreContractTests : OffloadStoreContractTests
{
    protected override (IOffloadStore First, IOffloadStore Second) CreatePair() => OffloadStorePairs.InMemory();
}

public sealed class RedisOffloadStoreContractTests(RedisServerFixture redis) : OffloadStoreContractTests, IClassFixture<RedisServerFixture>, IDisposable
{
    private readonly RedisOffloadStorePair _pair = new(redis);

    protected override (IOffloadStore First, IOffloadStore Second) CreatePair() => _pair.Create();

    public void Dispose() => _pair.Dispose();
}
