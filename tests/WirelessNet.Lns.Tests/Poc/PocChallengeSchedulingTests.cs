using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Tests.EndToEnd;
using WirelessNet.Lns.Tests.Storage;
using WirelessNet.Testing;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Poc.Challenges;
using WirelessNet.Simulators.Gateways;

namespace WirelessNet.Lns.Tests.Poc;

/// <summary>
/// Two server instances on one Redis run the challenger: every participant is challenged once per window, by exactly
/// one of them, at the time anyone can recompute from the published entropy and the hotspot keys.
/// </summary>
[Collection(MosquittoAndRedisCollection.Name)]
public sealed class PocChallengeSchedulingTests(MosquittoFixture mosquitto, RedisServerFixture redis)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Two_instances_issue_each_scheduled_challenge_once_at_the_published_time()
    {
        var prefix = "poc" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string?>
        {
            ["Poc:OperatorSeed"] = "1111111111111111111111111111111111111111111111111111111111111111",
            ["Poc:ChallengeWindow"] = "00:01:00",
            ["Poc:ScheduleRefresh"] = "00:00:01",
            ["Poc:RoundSettleDelay"] = "00:00:05",
            ["Poc:RoundPollInterval"] = "00:00:00.200",
            ["Poc:EnforceReciprocity"] = "false",
        };
        await using var first = await ServerUnderTest.StartAsync(mosquitto.Broker, redis.ConnectionString, prefix, settings);
        await using var second = await ServerUnderTest.StartAsync(mosquitto.Broker, redis.ConnectionString, prefix, settings);

        var origin = new LatLng(40.0, -3.7);
        var ids = Enumerable.Range(1, 3).Select(i => new Eui64(0x0100_0000_0000_0000UL + (ulong)i)).ToList();
        var registry = first.Services.GetRequiredService<IDeviceRegistry>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var gateways = new List<MqttGatewaySimulator>();
        try
        {
            for (var i = 0; i < ids.Count; i++)
            {
                var at = PocHotspotSimulator.Offset(origin, 5 * i, 0);
                await registry.PutGatewayAsync(new Gateway { GatewayId = ids[i], TenantId = "t1", Region = "eu868", Location = new GeoLocation(at.Lat, at.Lng), AntennaGainDbi10 = 12 }, default);

                // One broker for both instances: whichever instance claims a challenge reaches the gateway.
                var simulator = new MqttGatewaySimulator(ids[i], mosquitto.Host, mosquitto.Port);
                await simulator.ConnectAsync(cts.Token);
                gateways.Add(simulator);
                await simulator.PublishUplinkAsync([0x40, 1, 2, 3, 4, 0, 0, 0, 1, 9, 9, 9, 9], 868_100_000, 7, -90, 5, cts.Token);
            }

            // Every gateway gets its beacon (the challengers re-read the participants every second here).
            foreach (var simulator in gateways)
            {
                var frame = await simulator.Downlinks.ReadAsync(cts.Token);
                Assert.Equal(52, frame.Items[0].PhyPayload.Length);
            }

            // Verified rounds: one beacon per hotspot and window, none refused as a second beacon (irregular_interval).
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{first.HttpPort}") };
            var day = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            List<JsonElement> rounds;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/poc/epochs/{day}/rounds", UriKind.Relative), cts.Token));
                rounds = document.RootElement.EnumerateArray().Select(r => r.Clone()).ToList();
                if (rounds.Count >= ids.Count)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"expected {ids.Count} rounds, saw {rounds.Count}");
                await Task.Delay(200, cts.Token);
            }

            Assert.All(rounds, r => Assert.Equal("reason_none", r.GetProperty("beacon_reason").GetString()));
            var perWindow = rounds.GroupBy(r => (r.GetProperty("beaconer").GetString(), r.GetProperty("beacon_received_ms").GetInt64() / (long)Window.TotalMilliseconds));
            Assert.All(perWindow, g => Assert.Single(g));

            // The published schedule is what anyone recomputes from the published window entropy and the keys.
            using var scheduleDocument = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/poc/challenges", UriKind.Relative), cts.Token));
            var published = scheduleDocument.RootElement.EnumerateArray().ToList();
            Assert.Equal(ids.Count, published.Count);
            var window = published[0].GetProperty("window").GetInt64();
            var windowStart = DateTimeOffset.FromUnixTimeSeconds(window * 60);
            using var entropyDocument = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/poc/entropy?from={windowStart.ToUnixTimeSeconds() - 180}&to={windowStart.ToUnixTimeSeconds()}", UriKind.Relative), cts.Token));
            var windowEntropy = Convert.FromBase64String(entropyDocument.RootElement.EnumerateArray().Last().GetProperty("data").GetString()!);
            foreach (var challenge in published)
            {
                var key = HeliumPublicKey.ParseAddress(challenge.GetProperty("hotspot").GetString()!);
                Assert.Equal(ChallengeScheduler.ChallengeTime(windowStart, Window, windowEntropy, key), challenge.GetProperty("at").GetDateTimeOffset());
            }
        }
        finally
        {
            foreach (var simulator in gateways)
            {
                await simulator.DisposeAsync();
            }
        }
    }
}
