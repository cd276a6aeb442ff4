using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Offload;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Settlement;
using WirelessNet.Offload.Validation;
using WirelessNet.Testing;
using Xunit;

namespace WirelessNet.Lns.Tests.Offload;

/// <summary>
/// The incremental close (tallies per settlement epoch, checkpoint per close) against the core ledger fed record by
/// record: over three days with late records, disputes and a lost close race, every statement is byte-identical.
/// </summary>
public abstract class OffloadSettlementTests
{
    private const string Carrier = "c1";
    private static readonly DateTimeOffset Day1 = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(45);
    private static readonly List<HeliumPublicKey> Hotspots = Enumerable.Range(1, 6).Select(Key).ToList();
    private static readonly List<HeliumPublicKey> Payers = Enumerable.Range(50, 2).Select(Key).ToList();

    private readonly OffloadOptions _options = new()
    {
        Enabled = true,
        StatementKeySeed = Convert.ToHexString(Enumerable.Repeat((byte)7, 32).ToArray()),
        RequireHeartbeats = false,
    };

    /// <summary>Two stores sharing state (two server instances).</summary>
    protected abstract (IOffloadStore First, IOffloadStore Second) CreatePair();

    [Fact]
    public async Task Closes_from_tallies_and_checkpoints_issue_exactly_the_statements_of_the_record_by_record_ledger()
    {
        var (store, other) = CreatePair();
        var settlement = await SettlementAsync(store);
        var rival = await SettlementAsync(other);
        var key = new StatementSigningKey(Options.Create(_options)).KeyPair;
        var cards = new RateCardBook();
        cards.Add(Card());
        var reference = new SettlementLedger(cards, settlement.Options, key);
        var random = new Random(20261126);
        var counter = 0;

        async Task CommitAsync(DateTimeOffset day, int count)
        {
            var batch = Enumerable.Range(0, count).Select(_ => Record($"e{counter++}", day.AddSeconds(random.Next(86_400)), random)).ToList();
            foreach (var chunk in batch.Chunk(37))
            {
                foreach (var outcome in await store.CommitAsync(Carrier, chunk.Select(t => new PendingTransfer(t, AccountingRecordKind.Standalone, new TransferCounters(t.UploadBytes, t.DownloadBytes, t.RewardableBytes), t.EventId)).ToList(), Retention, default))
                {
                    Assert.Equal(CommitStatus.Accepted, outcome.Status);
                    reference.Add(outcome.Transfer!);
                }
            }
        }

        var issued = new List<SignedStatement>();

        // Day 1 and some of day 2 before day 1 closes.
        await CommitAsync(Day1, 400);
        await CommitAsync(Day1.AddDays(1), 50);
        var close1 = Day1.AddDays(1).AddHours(7);
        issued.AddRange(await settlement.CloseAsync(Carrier, Day1, close1, default));
        var expected = reference.ClosePeriod(Carrier, settlement.Options.PeriodOf(Day1), close1).ToList();

        // Late records for day 1, more of day 2, some of day 3; disputes: settled, unknown, and a late one not yet settled.
        await CommitAsync(Day1, 30);
        await CommitAsync(Day1.AddDays(1), 300);
        await CommitAsync(Day1.AddDays(2), 40);
        string[] disputed = ["e3", "e17", "e401", "never", "e455"];
        var result = await settlement.DisputeAsync(Carrier, disputed, close1, default);
        var referenceResult = reference.Dispute(Carrier, disputed);
        Assert.Equal(referenceResult.Credited, result.Credited);
        Assert.Equal(referenceResult.NotSettled, result.NotSettled);
        Assert.Equal(["e3"], (await settlement.DisputeAsync(Carrier, ["e3"], close1, default)).AlreadyDisputed);

        // Day 2 closed by two instances at once: one issues, the other is refused and changes nothing.
        var close2 = Day1.AddDays(2).AddHours(7);
        var race = await Task.WhenAll(
            Attempt(() => settlement.CloseAsync(Carrier, Day1.AddDays(1), close2, default)),
            Attempt(() => rival.CloseAsync(Carrier, Day1.AddDays(1), close2, default)));
        var winner = Assert.Single(race, r => r is not null)!;
        issued.AddRange(winner);
        expected.AddRange(reference.ClosePeriod(Carrier, settlement.Options.PeriodOf(Day1.AddDays(1)), close2));

        // Late records for days 1 and 2, then day 3 closes with one adjustment for both.
        await CommitAsync(Day1, 10);
        await CommitAsync(Day1.AddDays(1), 20);
        await CommitAsync(Day1.AddDays(2), 200);
        var close3 = Day1.AddDays(3).AddHours(7);
        issued.AddRange(await rival.CloseAsync(Carrier, Day1.AddDays(2), close3, default));
        expected.AddRange(reference.ClosePeriod(Carrier, settlement.Options.PeriodOf(Day1.AddDays(2)), close3));

        Assert.Equal(5, expected.Count);
        Assert.Equal(expected.Select(s => Convert.ToHexString(s.CanonicalBytes.Span)), issued.Select(s => Convert.ToHexString(s.CanonicalBytes.Span)));
        Assert.Equal(expected.Select(s => s.Statement.Sequence), (await store.GetStatementsAsync(Carrier, default)).Select(s => s.Sequence));
        Assert.All(issued, s => Assert.True(StatementSigning.Verify(s, key.PublicKey)));

        // Totals reconcile to the accepted records: every record committed, less the credited ones, is on a statement.
        var stored = await store.ReadRecordsAsync(Carrier, 0, 10_000, default);
        var credited = result.Credited.ToHashSet();
        Assert.Equal(
            stored.Where(r => !credited.Contains(r.EventId)).Sum(r => r.RewardableBytes),
            issued.Sum(s => s.Statement.Totals.RewardableBytes));
        Assert.Equal(stored.Count - credited.Count, issued.Sum(s => s.Statement.Totals.Records));
        Assert.Equal(issued.Sum(s => s.Statement.Totals.Amount), issued.Sum(s => s.Statement.Lines.Sum(l => l.Amount)));
    }

    [Fact]
    public async Task A_closed_period_is_refused_again_and_records_after_the_cut_become_late()
    {
        var (store, _) = CreatePair();
        var settlement = await SettlementAsync(store);
        var random = new Random(7);
        await store.CommitAsync(Carrier, [Pending(Record("a", Day1.AddHours(1), random))], Retention, default);
        var now = Day1.AddDays(1).AddHours(7);
        Assert.Single(await settlement.CloseAsync(Carrier, Day1, now, default));
        await Assert.ThrowsAsync<SettlementRefusedException>(() => settlement.CloseAsync(Carrier, Day1, now, default));
        await Assert.ThrowsAsync<SettlementRefusedException>(() => settlement.CloseAsync(Carrier, Day1.AddDays(1), now, default));

        var late = Record("late", Day1.AddHours(2), random);
        await store.CommitAsync(Carrier, [Pending(late)], Retention, default);
        var issued = await settlement.CloseAsync(Carrier, Day1.AddDays(1), Day1.AddDays(2).AddHours(7), default);
        Assert.Equal([StatementKind.Regular, StatementKind.Adjustment], issued.Select(s => s.Statement.Kind));
        var line = Assert.Single(issued[1].Statement.Lines);
        Assert.Equal((AdjustmentReason.LateRecords, 1L, late.RewardableBytes), (line.Adjustment, line.Records, line.RewardableBytes));
        Assert.Equal(["late"], line.EventIds);
    }

    private async Task<OffloadSettlement> SettlementAsync(IOffloadStore store)
    {
        var card = Card();
        await store.PutRateCardAsync(Carrier, card.EffectiveFrom, JsonSerializer.Serialize(card, OffloadDirectory.Json), default);
        var options = Options.Create(_options);
        return new OffloadSettlement(store, new OffloadDirectory(store), new OffloadMetrics(), new StatementSigningKey(options), options, NullLogger<OffloadSettlement>.Instance);
    }

    private static async Task<IReadOnlyList<SignedStatement>?> Attempt(Func<Task<IReadOnlyList<SignedStatement>>> close)
    {
        try
        {
            return await close();
        }
        catch (SettlementRefusedException)
        {
            return null;
        }
    }

    private static RateCard Card() => new(Carrier, Day1.AddDays(-10), 0.5m, "USD", 0.6m);

    private static PendingTransfer Pending(AcceptedTransfer t) =>
        new(t, AccountingRecordKind.Standalone, new TransferCounters(t.UploadBytes, t.DownloadBytes, t.RewardableBytes), t.EventId);

    private static AcceptedTransfer Record(string eventId, DateTimeOffset at, Random random)
    {
        var hotspot = random.Next(Hotspots.Count);
        var up = random.NextInt64(0, 400_000_000);
        var down = random.NextInt64(0, 400_000_000);
        var cancelled = random.Next(20) == 0;
        return new AcceptedTransfer(
            Carrier, eventId, Hotspots[hotspot], Payers[random.Next(Payers.Count)], new H3Index(0x88196a4c11fffff + ((ulong)hotspot << 12)),
            at, RadioAccessTechnology.Eutran, up, down, cancelled ? 0 : random.NextInt64(0, up + down + 1), false, cancelled, true);
    }

    private static HeliumPublicKey Key(int seed) =>
        HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)seed, 32).ToArray()).PublicKey;
}

public sealed class InMemoryOffloadSettlementTests : OffloadSettlementTests
{
    protected override (IOffloadStore First, IOffloadStore Second) CreatePair() => OffloadStorePairs.InMemory();
}

public sealed class RedisOffloadSettlementTests(RedisServerFixture redis) : OffloadSettlementTests, IClassFixture<RedisServerFixture>, IDisposable
{
    private readonly RedisOffloadStorePair _pair = new(redis);

    protected override (IOffloadStore First, IOffloadStore Second) CreatePair() => _pair.Create();

    public void Dispose() => _pair.Dispose();
}
