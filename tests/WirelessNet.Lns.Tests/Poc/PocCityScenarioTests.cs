using System.Globalization;
using System.Text.Json;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using WirelessNet.Coverage.H3;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Tests.EndToEnd;
using WirelessNet.Poc.Beacons;
using WirelessNet.Proto.Helium.PocEntropy;
using WirelessNet.Proto.Helium.PocLora;
using WirelessNet.Simulators.Rf;
using Xunit.Abstractions;

namespace WirelessNet.Lns.Tests.Poc;

/// <summary>
/// A simulated city on the real host: twenty honest hotspots on a jittered 1 km grid, received power from the RF
/// simulator's urban log-distance model with shadowing (σ 8 dB) and 1.2 dBi antennas, a witness wherever SF12 can
/// demodulate. Cheaters join: one in the city asserting a spot 150 km away; a stuffer 40 km away asserting a city spot
/// and reporting every beacon with a made-up strong signal; a self-witnessing cluster of three co-located hotspots
/// 30 km away asserting spread-out locations; a replayer 40 km away re-sending witnesses heard elsewhere, late. Every
/// report is signed and goes over gRPC; the verdicts and rewards are read back over HTTP.
/// </summary>
public sealed class PocCityScenarioTests(ITestOutputHelper output)
{
    private const int HonestCount = 20;
    private static readonly LatLng Amsterdam = new(52.3676, 4.9041);

    [Fact]
    public async Task Honest_witnesses_pass_cheaters_are_rejected_for_their_reasons_and_lose_their_rewards()
    {
        await using var server = await ServerUnderTest.StartAsync(null, null, extra: new Dictionary<string, string?>
        {
            ["Poc:OperatorSeed"] = "2222222222222222222222222222222222222222222222222222222222222222",
            ["Poc:RoundSettleDelay"] = "00:00:20",
            ["Poc:RoundPollInterval"] = "00:00:00.200",
            ["Poc:IssueChallenges"] = "false",
            ["Poc:EnforceReciprocity"] = "false",
        });
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        var lora = new poc_lora.poc_loraClient(channel);
        var rng = new Random(11);

        var honest = new List<PocHotspotSimulator>();
        for (var i = 0; i < HonestCount; i++)
        {
            honest.Add(new PocHotspotSimulator($"honest-{i}", PocHotspotSimulator.Offset(Amsterdam, (i / 5) + Jitter(rng), (i % 5) + Jitter(rng))));
        }

        using var farAsserter = new PocHotspotSimulator("far-asserter", PocHotspotSimulator.Offset(Amsterdam, 2.2, 2.4), asserted: PocHotspotSimulator.Offset(Amsterdam, 150, 0));
        using var stuffer = new PocHotspotSimulator("stuffer", PocHotspotSimulator.Offset(Amsterdam, -40, 0), asserted: PocHotspotSimulator.Offset(Amsterdam, 3.5, 1.5));
        using var replayer = new PocHotspotSimulator("replayer", PocHotspotSimulator.Offset(Amsterdam, 0, -40), asserted: PocHotspotSimulator.Offset(Amsterdam, 1.5, 4.5));
        var clusterSpot = PocHotspotSimulator.Offset(Amsterdam, 30, 30);
        var cluster = Enumerable.Range(0, 3)
            .Select(i => new PocHotspotSimulator($"cluster-{i}", PocHotspotSimulator.Offset(clusterSpot, 0.003 * i, 0), asserted: PocHotspotSimulator.Offset(clusterSpot, 2 * i, 2 * i)))
            .ToList();
        var listeners = honest.Append(farAsserter).Concat(cluster).ToList();
        var cheaters = new List<PocHotspotSimulator> { farAsserter, stuffer, replayer };
        cheaters.AddRange(cluster);
        try
        {
            var registry = server.Services.GetRequiredService<IDeviceRegistry>();
            foreach (var hotspot in honest.Concat(cheaters))
            {
                await registry.PutGatewayAsync(hotspot.ToGateway(), default);
            }

            var entropy = await new poc_entropy.poc_entropyClient(channel).entropyAsync(new entropy_req_v1());
            var model = new LinkModel { Environment = PropagationEnvironment.Urban, WorldSeed = 20_261_126 };
            var sensitivity = LoRaReception.SensitivityDbm(12, 125_000);
            var endpoint = new RadioEndpoint(PocHotspotSimulator.GainDeciDbi / 10.0, HeightMetres: 10);
            var replays = new List<lora_witness_report_req_v1>();
            var expectedHonestReceptions = 0;

            foreach (var (beaconer, b) in honest.Concat(cluster).Select((h, i) => (h, i)))
            {
                var (report, beacon) = beaconer.BuildBeacon(entropy);
                await lora.submit_lora_beaconAsync(report);
                foreach (var (listener, n) in listeners.Select((h, i) => (h, i)))
                {
                    if (ReferenceEquals(listener, beaconer))
                    {
                        continue;
                    }

                    var rssi = model.ReceivedPowerDbm(
                        beacon.TxPowerDeciDbm / 10.0, endpoint, endpoint, H3Grid.GreatCircleDistanceM(beaconer.Actual, listener.Actual), beacon.FrequencyHz, (ulong)b, (ulong)n);
                    if (rssi < sensitivity)
                    {
                        continue;
                    }

                    expectedHonestReceptions += honest.Contains(listener) && honest.Contains(beaconer) ? 1 : 0;
                    await lora.submit_lora_witnessAsync(listener.BuildWitness(beacon, (int)Math.Round(rssi * 10), (int)Math.Round(LoRaReception.Snr(rssi, 125_000) * 10)));
                }

                if (honest.Contains(beaconer))
                {
                    // The stuffer "hears" every city beacon, loudly; the replayer gets it from a colluder and sends it on.
                    await lora.submit_lora_witnessAsync(stuffer.BuildWitness(beacon, -480 - (10 * b), 95));
                    replays.Add(replayer.BuildWitness(beacon, -1150, -50));
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(4_300));
            foreach (var replay in replays)
            {
                await lora.submit_lora_witnessAsync(replay);
            }

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
            var day = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var rounds = await WaitForRoundsAsync(http, day, HonestCount + cluster.Count);

            var byAddress = honest.Concat(cheaters).ToDictionary(h => h.Address);
            int honestReceptions = 0, honestRejected = 0;
            var cheaterReasons = cheaters.ToDictionary(c => c.Address, _ => new List<string>());
            foreach (var round in rounds)
            {
                Assert.Equal("reason_none", round.GetProperty("beacon_reason").GetString());
                var beaconerIsHonest = honest.Any(h => h.Address == round.GetProperty("beaconer").GetString());
                foreach (var witness in round.GetProperty("witnesses").EnumerateArray())
                {
                    var who = byAddress[witness.GetProperty("witness").GetString()!];
                    var reason = witness.GetProperty("reason").GetString()!;
                    if (honest.Contains(who) && beaconerIsHonest)
                    {
                        honestReceptions++;
                        honestRejected += reason == "reason_none" ? 0 : 1;
                    }
                    else if (cheaterReasons.TryGetValue(who.Address, out var reasons))
                    {
                        reasons.Add(reason);
                    }
                }
            }

            using var manifest = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/poc/rewards/{day}", UriKind.Relative)));
            var paid = manifest.RootElement.GetProperty("rewards").EnumerateArray().ToDictionary(
                r => r.GetProperty("hotspot").GetString()!,
                r => decimal.Parse(r.GetProperty("beacon_amount").GetString()!, CultureInfo.InvariantCulture) + decimal.Parse(r.GetProperty("witness_amount").GetString()!, CultureInfo.InvariantCulture));
            var honestMean = honest.Average(h => paid.GetValueOrDefault(h.Address));
            output.WriteLine($"honest receptions {honestReceptions} (expected {expectedHonestReceptions}), rejected {honestRejected}; mean honest reward {honestMean:F4}");
            foreach (var cheater in cheaters)
            {
                output.WriteLine($"{cheater.Name}: {string.Join(", ", cheaterReasons[cheater.Address].GroupBy(r => r).Select(g => $"{g.Key} ×{g.Count()}"))}; reward {paid.GetValueOrDefault(cheater.Address)} ({100 * paid.GetValueOrDefault(cheater.Address) / honestMean:F1} % of the honest mean)");
            }

            Assert.Equal(expectedHonestReceptions, honestReceptions);
            Assert.True(honestReceptions >= HonestCount * 5, $"only {honestReceptions} honest receptions: the city is too sparse to mean anything");
            Assert.True(honestRejected < honestReceptions * 0.02, $"{honestRejected} of {honestReceptions} honest witnesses rejected");
            AssertOnly(cheaterReasons[farAsserter.Address], "max_distance_exceeded", atLeast: 3);
            AssertOnly(cheaterReasons[stuffer.Address], "bad_rssi", atLeast: HonestCount);
            AssertOnly(cheaterReasons[replayer.Address], "too_late", atLeast: HonestCount);
            foreach (var member in cluster)
            {
                AssertOnly(cheaterReasons[member.Address], "bad_rssi", atLeast: 2);
            }

            Assert.True(honestMean > 0);
            foreach (var cheater in cheaters)
            {
                Assert.True(paid.GetValueOrDefault(cheater.Address) <= honestMean * 0.1m, $"{cheater.Name} kept more than 10 % of an honest hotspot's reward");
            }
        }
        finally
        {
            foreach (var hotspot in honest.Concat(cluster))
            {
                hotspot.Dispose();
            }
        }
    }

    private static void AssertOnly(List<string> reasons, string expected, int atLeast)
    {
        Assert.True(reasons.Count >= atLeast, $"expected at least {atLeast} witnesses rejected as {expected}, saw {reasons.Count}");
        Assert.All(reasons, r => Assert.Equal(expected, r));
    }

    private static double Jitter(Random rng) => (rng.NextDouble() - 0.5) * 0.3;

    private static async Task<List<JsonElement>> WaitForRoundsAsync(HttpClient http, string day, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var rounds = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/poc/epochs/{day}/rounds", UriKind.Relative)));
            if (rounds.RootElement.GetArrayLength() >= count)
            {
                return rounds.RootElement.EnumerateArray().Select(r => r.Clone()).ToList();
            }

            Assert.True(DateTime.UtcNow < deadline, $"expected {count} verified rounds, saw {rounds.RootElement.GetArrayLength()}");
            await Task.Delay(250);
        }
    }
}
