using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Offload;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Settlement;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Simulators.Cli.Offload;

/// <summary>
/// <c>offload-close-bench</c>: fills a Redis-backed offload store with N synthetic accepted records of one settlement
/// period (through the store's own commit step, as ingest stores them, not through HTTP), with 12 hourly heartbeats
/// per hotspot so every hotspot is rewardable, then times the period's close and checks that the statement
/// reconciles to the records. A second, smaller day with late records for the first is then closed too, to show the
/// next close does not depend on the history. Loopback Redis only; use a throwaway instance: the keys are left there.
/// </summary>
internal static class OffloadCloseBenchCommand
{
    private const string CarrierId = "bench";

    public static Command Create()
    {
        var records = new Option<long>("--records") { Description = "Accepted records in the period to close.", DefaultValueFactory = _ => 10_000_000 };
        var hotspots = new Option<int>("--hotspots") { Description = "Hotspots the records are spread over.", DefaultValueFactory = _ => 10_000 };
        var payers = new Option<int>("--payers") { Description = "Payer keys.", DefaultValueFactory = _ => 4 };
        var batch = new Option<int>("--batch") { Description = "Records per commit.", DefaultValueFactory = _ => 2_000 };
        var inFlight = new Option<int>("--in-flight") { Description = "Commits in flight while filling.", DefaultValueFactory = _ => 4 };
        var redis = new Option<string>("--redis") { Description = "Loopback Redis to fill (host:port); a throwaway one: the keys stay.", DefaultValueFactory = _ => "127.0.0.1:6379" };

        var command = new Command("offload-close-bench", "Fill a Redis offload store with N accepted records of one period and time the period's close.")
        {
            records, hotspots, payers, batch, inFlight, redis,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var endpoint = result.GetValue(redis)!;
            var host = endpoint.Split(':')[0];
            if (!(host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address))))
            {
                Console.Error.WriteLine("--redis must be a loopback address.");
                return 2;
            }

            var count = result.GetValue(records);
            var hotspotCount = result.GetValue(hotspots);
            var payerCount = result.GetValue(payers);
            var size = result.GetValue(batch);
            if (count is < 1 or > 20_000_000 || hotspotCount is < 1 or > 200_000 || payerCount is < 1 or > 100 || size is < 1 or > 5_000)
            {
                Console.Error.WriteLine("--records 1–20000000, --hotspots 1–200000, --payers 1–100, --batch 1–5000.");
                return 2;
            }

            await RunAsync(endpoint, count, hotspotCount, payerCount, size, Math.Clamp(result.GetValue(inFlight), 1, 64), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(string endpoint, long count, int hotspotCount, int payerCount, int batch, int inFlight, CancellationToken cancellationToken)
    {
        using var connection = await ConnectionMultiplexer.ConnectAsync($"{endpoint},allowAdmin=true,syncTimeout=120000,asyncTimeout=120000").ConfigureAwait(false);
        var prefix = "bench" + Guid.NewGuid().ToString("N")[..8];
        var period = TimeSpan.FromDays(1);
        var store = new RedisOffloadStore(connection, new RedisStoreOptions { KeyPrefix = prefix }, period);
        var day = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-2), TimeSpan.Zero);
        var options = new OffloadOptions
        {
            Enabled = true,
            StatementKeySeed = Convert.ToHexString(Enumerable.Repeat((byte)0x42, 32).ToArray()),
            RequireHeartbeats = true,
        };
        var card = new RateCard(CarrierId, day.AddDays(-30), 0.50m, "USD", 0.60m);
        await store.PutRateCardAsync(CarrierId, card.EffectiveFrom, JsonSerializer.Serialize(card, new JsonSerializerOptions(JsonSerializerDefaults.Web)), cancellationToken).ConfigureAwait(false);

        var hotspotKeys = Enumerable.Range(0, hotspotCount).Select(i => Key(i, 0x01)).ToArray();
        var payerKeys = Enumerable.Range(0, payerCount).Select(i => Key(i, 0x02)).ToArray();
        var hexes = Enumerable.Range(0, hotspotCount).Select(i => H3Grid.LatLngToCell(37.70 + (i % 100 * 0.002), -122.50 + (i / 100 * 0.002), 8)).ToArray();
        Console.WriteLine($"Redis {endpoint}, prefix {prefix}: {count:N0} records of {day:yyyy-MM-dd} over {hotspotCount:N0} hotspots and {payerCount} payers.");

        var heartbeats = Stopwatch.StartNew();
        foreach (var chunk in hotspotKeys.Chunk(500))
        {
            await Task.WhenAll(chunk.SelectMany(h => Enumerable.Range(0, 12).Select(hour => store.CountHeartbeatAsync(h, day.AddHours(hour), 1m, cancellationToken)))).ConfigureAwait(false);
        }

        Console.WriteLine($"Heartbeats: 12 per hotspot in {heartbeats.Elapsed.TotalSeconds:F1} s.");

        var expectedRewardable = 0L;
        var fill = Stopwatch.StartNew();
        var random = new Random(20261126);
        var pending = new List<Task<IReadOnlyList<CommitOutcome>>>();
        long accepted = 0, next = 0;
        while (next < count)
        {
            var size = (int)Math.Min(batch, count - next);
            var records = new List<PendingTransfer>(size);
            for (var i = 0; i < size; i++, next++)
            {
                var hotspot = (int)(next % hotspotCount);
                var up = random.NextInt64(1_000, 2_000_000);
                var down = random.NextInt64(1_000, 8_000_000);
                var rewardable = up + down;
                expectedRewardable += rewardable;
                records.Add(Pending(new AcceptedTransfer(
                    CarrierId, "b" + next.ToString(CultureInfo.InvariantCulture), hotspotKeys[hotspot], payerKeys[random.Next(payerCount)], hexes[hotspot],
                    day.AddSeconds(random.Next(86_400)), RadioAccessTechnology.Eutran, up, down, rewardable, false, false, true)));
            }

            pending.Add(store.CommitAsync(CarrierId, records, TimeSpan.FromDays(45), cancellationToken));
            if (pending.Count >= inFlight)
            {
                accepted += await CountAcceptedAsync(pending).ConfigureAwait(false);
            }

            if (next % 1_000_000 < batch)
            {
                Console.WriteLine($"  {next:N0} committed, {next / fill.Elapsed.TotalSeconds:N0} records/s");
            }
        }

        accepted += await CountAcceptedAsync(pending).ConfigureAwait(false);
        fill.Stop();
        Console.WriteLine($"Fill: {accepted:N0} accepted in {fill.Elapsed.TotalSeconds:F0} s ({accepted / fill.Elapsed.TotalSeconds:N0} records/s through the commit script).");
        Console.WriteLine($"Redis used_memory after fill: {await UsedMemoryAsync(connection).ConfigureAwait(false)}");

        var settlement = new OffloadSettlement(
            store, new OffloadDirectory(store), new OffloadMetrics(), new StatementSigningKey(Options.Create(options)), Options.Create(options), NullLogger<OffloadSettlement>.Instance);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var close = Stopwatch.StartNew();
        var issued = await settlement.CloseAsync(CarrierId, day, day.AddDays(1).AddHours(7), cancellationToken).ConfigureAwait(false);
        close.Stop();
        var statement = issued[0];
        var totals = statement.Statement.Totals;
        var verified = StatementSigning.Verify(statement, settlement.ServerKey);
        Console.WriteLine(
            $"Close: {close.Elapsed.TotalSeconds:F2} s for {totals.Records:N0} records; {statement.Statement.Lines.Count:N0} hotspot lines, " +
            $"{statement.Statement.HexLines.Count:N0} hex lines; allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0:N0} MiB, " +
            $"peak working set {Environment.WorkingSet / 1048576.0:N0} MiB (process {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MiB).");
        var reconciles = totals.Records == accepted
            && totals.RewardableBytes == expectedRewardable
            && statement.Statement.Lines.Sum(l => l.Amount) == totals.Amount
            && statement.Statement.HexLines.Sum(h => h.Amount) == totals.Amount;
        Console.WriteLine($"Statement {statement.Statement.Sequence}: {totals.RewardableBytes:N0} rewardable bytes, {totals.DataCredits:N0} DC, {totals.Amount} {card.Currency}; signature {(verified ? "verifies" : "DOES NOT VERIFY")}; totals {(reconciles ? "reconcile to the records" : "DO NOT RECONCILE")}.");

        // The next day: a hundredth of the records plus 1,000 late ones for the closed day; its close reads neither
        // the first day's records nor its tallies again.
        var lateRecords = new List<PendingTransfer>();
        var nextDay = new List<PendingTransfer>();
        for (var i = 0; i < 1_000; i++)
        {
            lateRecords.Add(Pending(new AcceptedTransfer(
                CarrierId, "late" + i.ToString(CultureInfo.InvariantCulture), hotspotKeys[i % hotspotCount], payerKeys[0], hexes[i % hotspotCount],
                day.AddHours(23), RadioAccessTechnology.Eutran, 1_000_000, 1_000_000, 2_000_000, false, false, true)));
        }

        for (long i = 0; i < Math.Max(1, count / 100); i++)
        {
            var hotspot = (int)(i % hotspotCount);
            nextDay.Add(Pending(new AcceptedTransfer(
                CarrierId, "d2-" + i.ToString(CultureInfo.InvariantCulture), hotspotKeys[hotspot], payerKeys[0], hexes[hotspot],
                day.AddDays(1).AddSeconds(i % 86_400), RadioAccessTechnology.Eutran, 500_000, 500_000, 1_000_000, false, false, true)));
        }

        foreach (var chunk in lateRecords.Concat(nextDay).Chunk(batch))
        {
            await store.CommitAsync(CarrierId, chunk, TimeSpan.FromDays(45), cancellationToken).ConfigureAwait(false);
        }

        close.Restart();
        var second = await settlement.CloseAsync(CarrierId, day.AddDays(1), day.AddDays(2).AddHours(7), cancellationToken).ConfigureAwait(false);
        close.Stop();
        Console.WriteLine(
            $"Next close: {close.Elapsed.TotalSeconds:F2} s for {second[0].Statement.Totals.Records:N0} records" +
            (second.Count > 1 ? $" and an adjustment of {second[1].Statement.Totals.Records:N0} late records ({second[1].Statement.Totals.RewardableBytes:N0} bytes)." : "."));
    }

    private static async Task<long> CountAcceptedAsync(List<Task<IReadOnlyList<CommitOutcome>>> pending)
    {
        long accepted = 0;
        foreach (var outcomes in await Task.WhenAll(pending).ConfigureAwait(false))
        {
            accepted += outcomes.Count(o => o.Status == CommitStatus.Accepted);
        }

        pending.Clear();
        return accepted;
    }

    private static PendingTransfer Pending(AcceptedTransfer t) =>
        new(t, AccountingRecordKind.Standalone, new TransferCounters(t.UploadBytes, t.DownloadBytes, t.RewardableBytes), t.EventId);

    private static async Task<string> UsedMemoryAsync(ConnectionMultiplexer connection)
    {
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var info = await server.InfoAsync("memory").ConfigureAwait(false);
        return info.SelectMany(group => group).FirstOrDefault(pair => pair.Key == "used_memory_human").Value ?? "?";
    }

    private static HeliumPublicKey Key(int index, byte kind)
    {
        var entropy = new byte[32];
        BitConverter.TryWriteBytes(entropy, index);
        entropy[31] = kind;
        return HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, entropy).PublicKey;
    }
}
