using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using WirelessNet.Proto.Offload;
using WirelessNet.Simulators.Carriers;
using WirelessNet.Simulators.Cli.Load;
using WirelessNet.Simulators.World;

namespace WirelessNet.Simulators.Cli.Offload;

/// <summary>
/// <c>offload-load</c>: a carrier router's load against a running server (loopback only, bounded in records and time).
/// Configures a carrier, its router key, hotspots and a rate card through the admin API; pre-signs the records
/// (so signing does not compete with the server for the CPU during the timed part); sends protobuf batches to the
/// HTTP ingest with a window of batches in flight, retrying any batch not answered, and re-sending a share of
/// answered ones as a router that lost the answer would; then checks that the server counted exactly the records it
/// acknowledged as accepted.
/// </summary>
internal static class OffloadLoadCommand
{
    public static Command Create()
    {
        var rate = new Option<int>("--rate") { Description = "Target session records per second.", DefaultValueFactory = _ => 5_000 };
        var duration = new Option<string>("--duration") { Description = "How long to send: 30s, 2m, or hh:mm:ss.", DefaultValueFactory = _ => "30s" };
        var batchSize = new Option<int>("--batch") { Description = "Records per batch.", DefaultValueFactory = _ => 500 };
        var window = new Option<int>("--in-flight") { Description = "Batches in flight at once.", DefaultValueFactory = _ => 8 };
        var hotspots = new Option<int>("--hotspots") { Description = "Simulated carrier radios (CBRS cells and Wi-Fi access points, alternating).", DefaultValueFactory = _ => 500 };
        var accounting = new Option<double>("--radius-share") { Description = "Share of sessions reported RADIUS-style (start/interim/stop).", DefaultValueFactory = _ => 0.2 };
        var resend = new Option<double>("--resend-share") { Description = "Share of answered batches sent again (lost answers); must come back already accepted.", DefaultValueFactory = _ => 0.02 };
        var server = new Option<string>("--server") { Description = "The server's HTTP address.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var adminKey = new Option<string?>("--admin-key") { Description = "The server's Api:AdminKey (default: environment variable WIRELESSNET_ADMIN_KEY)." };
        var seed = new Option<int>("--seed") { Description = "Seed of keys and traffic.", DefaultValueFactory = _ => 1 };
        var carrier = new Option<string?>("--carrier") { Description = "Carrier id to configure and send as (default: sim-<seed>-<random>); letters, digits, '-' and '_'." };

        var command = new Command("offload-load", "Send signed carrier data-transfer sessions at a fixed rate and check the server counted exactly what it acknowledged.")
        {
            rate, duration, batchSize, window, hotspots, accounting, resend, server, adminKey, seed, carrier,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!LoadCommand.TryParseDuration(result.GetValue(duration)!, out var span) || span <= TimeSpan.Zero || span > TimeSpan.FromMinutes(10))
            {
                Console.Error.WriteLine("--duration must be between 1s and 10m.");
                return 2;
            }

            var key = result.GetValue(adminKey) ?? Environment.GetEnvironmentVariable("WIRELESSNET_ADMIN_KEY");
            var serverUri = new Uri(result.GetValue(server)!);
            if (string.IsNullOrEmpty(key) || !(serverUri.IsLoopback))
            {
                Console.Error.WriteLine("An admin key (--admin-key or WIRELESSNET_ADMIN_KEY) and a loopback --server are needed.");
                return 2;
            }

            var carrierId = result.GetValue(carrier);
            if (carrierId is not null && !WorldGenerator.IsCarrierId(carrierId))
            {
                Console.Error.WriteLine("--carrier must be 1–64 letters, digits, '-' or '_'.");
                return 2;
            }

            var perSecond = result.GetValue(rate);
            var size = result.GetValue(batchSize);
            var total = (long)perSecond * (long)span.TotalSeconds;
            if (perSecond is < 1 or > 200_000 || size is < 1 or > 5_000 || total > 2_000_000)
            {
                Console.Error.WriteLine("--rate 1–200000, --batch 1–5000, and rate × duration at most 2,000,000 records.");
                return 2;
            }

            var run = new OffloadLoadRun(
                serverUri, key, perSecond, span, size, Math.Clamp(result.GetValue(window), 1, 256), Math.Max(1, result.GetValue(hotspots)),
                Math.Clamp(result.GetValue(accounting), 0, 1), Math.Clamp(result.GetValue(resend), 0, 1), result.GetValue(seed), carrierId);
            return await run.RunAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}

internal sealed class OffloadLoadRun(Uri server, string adminKey, int rate, TimeSpan duration, int batchSize, int inFlight, int hotspotCount, double radiusShare, double resendShare, int seed, string? carrier = null)
{
    private const int MaxAttempts = 50;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var carrierId = carrier ?? "sim-" + seed.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
        // The radios a world with this seed would hold, around Amsterdam: keys and places derive from the seed.
        var network = CarrierNetwork.Generate(new WorldOptions { Seed = seed, CentreLatitude = 52.37, CentreLongitude = 4.90, RadiusKm = 10, CarrierRadios = hotspotCount, CarrierId = carrierId });
        var simulator = new CarrierRadioSimulator(network, radiusShare, seed);
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        using var admin = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);

        Console.WriteLine($"Configuring carrier {carrierId}: 1 router, {hotspotCount} radios (CBRS and Wi-Fi), rate card $1.00/GB …");
        if (!await CarrierFleetRun.ProvisionAsync(http, adminKey, network, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"{server} answers 404 on the offload admin API: start it with Offload:Enabled=true.");
        }

        var records = (long)rate * (long)duration.TotalSeconds;
        Console.WriteLine($"Signing {records:N0} records in batches of {batchSize} …");
        var signing = Stopwatch.StartNew();
        var batches = new List<byte[]>();
        var now = DateTimeOffset.UtcNow;
        for (long made = 0; made < records; made += batchSize)
        {
            batches.Add(simulator.NextBatch((int)Math.Min(batchSize, records - made), now).ToByteArray());
        }

        Console.WriteLine($"Signed in {signing.Elapsed.TotalSeconds:F1} s. Sending at {rate:N0} records/s with {inFlight} batches in flight …");
        var latencies = new LatencyRecorder();
        var reasons = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        long accepted = 0, again = 0, rejected = 0, retries = 0, failures = 0, acknowledged = 0;
        var random = new Random(seed);
        var resend = batches.Select(_ => random.NextDouble() < resendShare).ToArray();
        var next = -1;
        var clock = Stopwatch.StartNew();
        var secondsPerBatch = (double)batchSize / rate;

        async Task Worker()
        {
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= batches.Count)
                {
                    return;
                }

                // Open loop: batch i is due at i × batch/rate seconds after the start, whatever earlier ones did.
                var due = TimeSpan.FromSeconds(index * secondsPerBatch) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                }

                for (var send = 0; send < (resend[index] ? 2 : 1); send++)
                {
                    var answer = await SendAsync(batches[index]).ConfigureAwait(false);
                    if (answer is null)
                    {
                        Interlocked.Increment(ref failures);
                        return;
                    }

                    if (send == 0)
                    {
                        // What the router may now forget: accepted now, or found already stored (an answer lost earlier).
                        Interlocked.Add(ref acknowledged, answer.Results.Count(r => r.Status != record_status.Rejected));
                    }

                    foreach (var r in answer.Results)
                    {
                        switch (r.Status)
                        {
                            case record_status.Accepted:
                                Interlocked.Increment(ref accepted);
                                break;
                            case record_status.AlreadyAccepted:
                                Interlocked.Increment(ref again);
                                break;
                            default:
                                Interlocked.Increment(ref rejected);
                                reasons.AddOrUpdate(r.Reason, 1, (_, n) => n + 1);
                                break;
                        }
                    }
                }
            }
        }

        async Task<data_transfer_batch_resp_v1?> SendAsync(byte[] body)
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                    using var response = await http.PostAsync("api/offload/sessions", content, cancellationToken).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        var answer = data_transfer_batch_resp_v1.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
                        latencies.Record(Stopwatch.GetElapsedTime(started));
                        return answer;
                    }
                }
                catch (HttpRequestException)
                {
                }

                // Not answered: not acknowledged. Retry the same bytes, as a router must.
                Interlocked.Increment(ref retries);
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }

        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(Worker, cancellationToken))).ConfigureAwait(false);
        var elapsed = clock.Elapsed;

        // The server's own count for the carrier, over the days the records fell in.
        long counted = 0;
        foreach (var day in new[] { now.AddDays(-1), now, now.AddDays(1) })
        {
            var usage = await admin.GetFromJsonAsync<JsonElement>($"api/offload/carriers/{carrierId}/usage?granularity=day&scope=carrier&period={Uri.EscapeDataString(day.ToString("O", CultureInfo.InvariantCulture))}", cancellationToken).ConfigureAwait(false);
            counted += usage.EnumerateArray().Sum(b => b.GetProperty("records").GetInt64());
        }

        Console.WriteLine();
        Console.WriteLine($"records sent           {records:N0} in {batches.Count:N0} batches over {elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"accepted               {accepted:N0} ({accepted / elapsed.TotalSeconds:N0}/s)");
        Console.WriteLine($"already accepted       {again:N0} (resent batches, and retries whose first answer was lost)");
        Console.WriteLine($"rejected               {rejected:N0} {string.Join(", ", reasons.Select(r => $"{r.Key}={r.Value}"))}");
        Console.WriteLine($"batch retries          {retries:N0}; batches given up: {failures:N0}");
        Console.WriteLine($"batch latency          p50 {latencies.Percentile(50).TotalMilliseconds:F1} ms, p99 {latencies.Percentile(99).TotalMilliseconds:F1} ms, max {latencies.Percentile(100).TotalMilliseconds:F1} ms");
        Console.WriteLine($"acknowledged           {acknowledged:N0} distinct records (accepted, or already accepted after a lost answer)");
        Console.WriteLine($"server counted         {counted:N0} records ({(counted == acknowledged ? "equals" : "DIFFERS FROM")} the acknowledged count)");
        return counted == acknowledged && failures == 0 ? 0 : 1;
    }
}
