using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WirelessNet.Lns.Tests.EndToEnd;
using WirelessNet.Simulators.Carriers;
using WirelessNet.Simulators.World;
using Xunit;
using Xunit.Abstractions;

namespace WirelessNet.Lns.Tests.Offload;

/// <summary>
/// The carrier part of `wirelessnet-sim run` (<see cref="CarrierFleetRun"/>) against the real host (embedded broker,
/// in-memory store): a world's CBRS cells and Wi-Fi access points are configured through the admin API, heartbeat,
/// test their speed and carry sessions whose batches sometimes lose their answer (dropped after the server answered,
/// as a broken connection would) and are sent again. Every record counts once: the partner's usage API shows exactly
/// the records sent, however often each went.
/// </summary>
public sealed class CarrierFleetRunEndToEndTests(ITestOutputHelper output)
{
    private const string AdminKey = "carrier-run-admin-key-0123456789abcdef0123";

    [Fact]
    public async Task A_short_run_with_offload_on_lands_accepted_sessions_in_the_partner_usage_counted_once()
    {
        await using var server = await ServerUnderTest.StartAsync(null, null, extra: new Dictionary<string, string?>
        {
            ["Offload:Enabled"] = "true",
            ["Offload:RequireHeartbeats"] = "false",
            ["Offload:StatementKeySeed"] = new string('5', 64),
            ["Api:AdminKey"] = AdminKey,
        });
        var world = WorldGenerator.Generate(new WorldOptions { Seed = 31, Hotspots = 3, Devices = 0, CarrierRadios = 6, CarrierId = "run-carrier" });
        var run = new CarrierFleetRun(world, new CarrierRunOptions
        {
            Duration = TimeSpan.FromSeconds(6),
            BatchInterval = TimeSpan.FromMilliseconds(250),
            RecordsPerBatch = 10,
            AccountingShare = 0.4,
            HeartbeatInterval = TimeSpan.FromSeconds(2),
            SpeedtestInterval = TimeSpan.FromSeconds(3),
            LostAnswerShare = 0.2,
            RetryDelay = TimeSpan.FromMilliseconds(100),
            Seed = 4,
        });
        using var lossy = new LoseEveryFifthSessionAnswer { InnerHandler = new HttpClientHandler() };
        using var http = new HttpClient(lossy) { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        Assert.True(await run.ProvisionAsync(http, AdminKey, cts.Token));
        await run.RunAsync(http, cts.Token);

        var s = run.Statistics.Snapshot();
        output.WriteLine($"sent {s.SessionRecords}, accepted {s.Accepted}, already {s.AlreadyAccepted}, rejected {s.Rejected} ({string.Join(", ", s.RejectionReasons.Select(r => $"{r.Key}={r.Value}"))}), retried {s.Retried}, given up {s.GivenUp}; heartbeats {s.HeartbeatsCounted}/{s.HeartbeatsRejected}; speed tests {s.SpeedtestsAccepted}/{s.SpeedtestsRejected}; errors {s.Errors}; answers dropped {lossy.Dropped}");
        Assert.True(s.SessionRecords >= 100, $"only {s.SessionRecords} records sent");
        Assert.Equal(0, s.Rejected);
        Assert.True(lossy.Dropped > 0);
        Assert.True(s.Retried > 0);

        // Every record sent again (after a dropped or a "lost" answer) was recognised: records whose first answer was
        // dropped are seen only as already accepted, and the resends of answered batches come back the same way.
        Assert.True(s.AlreadyAccepted > 0);
        Assert.True(s.Accepted < s.SessionRecords);
        Assert.Equal(s.SessionRecords + s.Retried - (10L * lossy.Dropped), s.Accepted + s.AlreadyAccepted);
        Assert.Equal(0, s.GivenUp);
        Assert.Equal(0, s.Errors);
        Assert.True(s.HeartbeatsCounted >= 6 && s.HeartbeatsRejected == 0, $"{s.HeartbeatsCounted} heartbeats taken, {s.HeartbeatsRejected} rejected");
        Assert.True(s.SpeedtestsAccepted >= 6 && s.SpeedtestsRejected == 0);

        // The partner sees exactly the accepted records, on its CBRS cells and its Wi-Fi access points.
        using var admin = new HttpClient { BaseAddress = http.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var created = await (await admin.PostAsync(new Uri("/api/offload/carriers/run-carrier/partner-keys", UriKind.Relative), null)).Content.ReadFromJsonAsync<JsonElement>();
        using var partner = new HttpClient { BaseAddress = http.BaseAddress };
        partner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.GetProperty("key").GetString());
        long records = 0, sessions = 0;
        var hotspots = new HashSet<string>(StringComparer.Ordinal);
        var now = DateTimeOffset.UtcNow;
        foreach (var day in new[] { now.AddDays(-1), now })
        {
            var period = Uri.EscapeDataString(day.ToString("O", CultureInfo.InvariantCulture));
            var carrier = await partner.GetFromJsonAsync<JsonElement>(new Uri($"/api/offload/carriers/run-carrier/usage?granularity=day&scope=carrier&period={period}", UriKind.Relative));
            records += carrier.EnumerateArray().Sum(b => b.GetProperty("records").GetInt64());
            sessions += carrier.EnumerateArray().Sum(b => b.GetProperty("sessions").GetInt64());
            var byHotspot = await partner.GetFromJsonAsync<JsonElement>(new Uri($"/api/offload/carriers/run-carrier/usage?granularity=day&scope=hotspot&period={period}", UriKind.Relative));
            hotspots.UnionWith(byHotspot.EnumerateArray().Select(b => b.GetProperty("hotspot").GetString()!));
        }

        // Each record sent was acknowledged and is counted exactly once, however many times it went.
        Assert.Equal(s.SessionRecords, records);
        Assert.True(sessions > 0 && sessions < records, $"{sessions} sessions in {records} records: RADIUS interims and stops are records, not sessions");
        var network = Assert.Single(run.Networks);
        var addresses = network.Radios.ToDictionary(r => r.Key.PublicKey.ToAddress(), StringComparer.Ordinal);
        Assert.All(hotspots, h => Assert.True(addresses.ContainsKey(h)));
        Assert.Contains(hotspots, h => addresses[h].IsCbrs);
        Assert.Contains(hotspots, h => !addresses[h].IsCbrs);
    }

    [Fact]
    public async Task With_offload_off_provisioning_says_so_and_sends_nothing()
    {
        await using var server = await ServerUnderTest.StartAsync(null, null, extra: new Dictionary<string, string?> { ["Api:AdminKey"] = AdminKey });
        var world = WorldGenerator.Generate(new WorldOptions { Seed = 31, Hotspots = 3, Devices = 0, CarrierRadios = 2 });
        var run = new CarrierFleetRun(world, new CarrierRunOptions { Duration = TimeSpan.FromSeconds(1) });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        Assert.False(await run.ProvisionAsync(http, AdminKey, CancellationToken.None));
        Assert.Equal(0, run.Statistics.Snapshot().SessionRecords);
    }

    /// <summary>Lets every fifth session batch reach the server, then drops its answer, as a connection lost after the server answered.</summary>
    private sealed class LoseEveryFifthSessionAnswer : DelegatingHandler
    {
        private int _sessionPosts;

        public int Dropped { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath.EndsWith("/api/offload/sessions", StringComparison.Ordinal) && ++_sessionPosts % 5 == 0)
            {
                response.Dispose();
                Dropped++;
                throw new HttpRequestException("the connection broke before the answer arrived");
            }

            return response;
        }
    }
}
