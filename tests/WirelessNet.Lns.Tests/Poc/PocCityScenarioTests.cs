using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Tests.EndToEnd;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Fleets;
using WirelessNet.Simulators.Rf;
using WirelessNet.Simulators.World;
using Xunit.Abstractions;

namespace WirelessNet.Lns.Tests.Poc;

/// <summary>
/// A simulated city on the real host, cheaters included, all from the simulator: a generated urban world of MQTT
/// hotspots (protobuf and JSON bridges) of which some carry a cheat profile (<see cref="CheatProfiles"/>): a false
/// asserted location 150 km out, a witness stuffer, a late replayer and a co-located self-witnessing cluster (the last
/// three with their radios far away and their assertions in the city). The server challenges every hotspot; the city
/// run puts each beacon on air, the RF model decides who hears it, and the cheaters witness by their profiles. The
/// verdicts and rewards are read back over HTTP: honest witnesses pass (hotspots closer than PoC's minimum distance
/// excepted), every cheater's witnesses are rejected for its cheat, and cheaters earn nothing while honest hotspots
/// are paid.
/// </summary>
public sealed class PocCityScenarioTests(ITestOutputHelper output)
{
    private const string AdminKey = "poc-city-admin-key-0123456789abcdef012345";
    private const string MinDistance = "below_min_distance";

    // What each cheat earns for its witnesses of honest beacons; stuffers and clusters may also be nearer than PoC's
    // minimum distance to the beaconer they claim, which is checked first.
    private static readonly Dictionary<string, string[]> Reasons = new(StringComparer.Ordinal)
    {
        [CheatProfiles.FalseLocation] = ["max_distance_exceeded"],
        [CheatProfiles.WitnessStuffing] = ["bad_rssi", MinDistance],
        [CheatProfiles.SelfWitnessingCluster] = ["bad_rssi", MinDistance],
        [CheatProfiles.LateReplay] = ["too_late"],
    };

    [Fact]
    public async Task Honest_witnesses_pass_cheaters_are_rejected_for_their_reasons_and_lose_their_rewards()
    {
        await using var server = await ServerUnderTest.StartAsync(null, null, extra: new Dictionary<string, string?>
        {
            ["Api:AdminKey"] = AdminKey,
            ["Poc:OperatorSeed"] = "2222222222222222222222222222222222222222222222222222222222222222",
            ["Poc:RoundSettleDelay"] = "00:00:15",
            ["Poc:RoundPollInterval"] = "00:00:00.200",
            ["Poc:IssueChallenges"] = "false",
            ["Poc:EnforceReciprocity"] = "false",
        });
        var definition = WorldGenerator.Generate(new WorldOptions
        {
            Seed = 20_261_126, Hotspots = 26, Devices = 0, RadiusKm = 3, CentreLatitude = 52.3676, CentreLongitude = 4.9041,
            Environment = PropagationEnvironment.Urban, JsonShare = 0.3, Cheaters = 5,
        });
        var world = new RadioWorld(definition);
        var hotspots = definition.Hotspots;
        var cheats = hotspots.Where(h => h.Cheat is not null).ToDictionary(h => h.GatewayId, h => h.Cheat!.Profile, StringComparer.Ordinal);
        Assert.Equal(CheatProfiles.All.Order(StringComparer.Ordinal), cheats.Values.Distinct().Order(StringComparer.Ordinal));
        var honestCount = hotspots.Count - cheats.Count;

        var registry = server.Services.GetRequiredService<IDeviceRegistry>();
        foreach (var hotspot in hotspots)
        {
            var (lat, lng) = hotspot.AssertedLocation();
            await registry.PutGatewayAsync(
                new Gateway { GatewayId = Eui64.Parse(hotspot.GatewayId), TenantId = "t1", Region = "eu868", Name = "sim-" + hotspot.GatewayId, Location = new GeoLocation(lat, lng), AntennaGainDbi10 = GainDeciDbi(hotspot) },
                default);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var run = new CityFleetRun(world, new CityRunOptions { Duration = TimeSpan.FromSeconds(10), DrainTime = TimeSpan.FromSeconds(1), Seed = 5 });
        var radios = new List<IHotspotRadio>();
        Dictionary<string, string> addresses;
        CityRunSnapshot statistics;
        try
        {
            await HotspotRadios.ConnectAsync(definition, server.MqttHost, server.MqttPort, channel, radios, cts.Token);

            // Any frame makes a gateway an active PoC participant.
            foreach (var radio in radios)
            {
                await radio.ForwardUplinkAsync([0x40, 1, 2, 3, 4, 0, 0, 0, 1, 9, 9, 9, 9], 868_100_000, 7, -90, 5, cts.Token);
            }

            addresses = await WaitForParticipantsAsync(http, hotspots.Select(h => h.GatewayId).ToHashSet(StringComparer.Ordinal));
            var running = run.RunAsync(radios, cts.Token);
            foreach (var hotspot in hotspots)
            {
                using var challenge = await http.PostAsync(new Uri($"/api/poc/challenges/{addresses[hotspot.GatewayId]}", UriKind.Relative), null, cts.Token);
                Assert.Equal(System.Net.HttpStatusCode.Accepted, challenge.StatusCode);
                await Task.Delay(100, cts.Token);
            }

            await running;
            statistics = run.Statistics.Snapshot();
        }
        finally
        {
            foreach (var radio in radios)
            {
                await radio.DisposeAsync();
            }
        }

        var day = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rounds = await WaitForRoundsAsync(http, day, hotspots.Count);
        var byAddress = hotspots.ToDictionary(h => addresses[h.GatewayId], StringComparer.Ordinal);
        var indexOf = hotspots.Select((h, i) => (h.GatewayId, i)).ToDictionary(x => x.GatewayId, x => x.i, StringComparer.Ordinal);
        bool IsHonest(WorldHotspot h) => h.Cheat is null;

        int honestWitnesses = 0, honestValid = 0, expectedHonestWitnesses = 0;
        var honestReasons = new List<string>();
        var cheaterReasons = cheats.Keys.ToDictionary(id => id, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var round in rounds)
        {
            Assert.Equal("reason_none", round.GetProperty("beacon_reason").GetString());
            var beaconer = byAddress[round.GetProperty("beaconer").GetString()!];
            if (IsHonest(beaconer))
            {
                // The honest hotspots the RF model lets hear this beacon (as the run transmitted it).
                var frequency = round.GetProperty("frequency_hz").GetUInt64();
                var transmitter = ulong.Parse(beaconer.GatewayId, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                expectedHonestWitnesses += world.Hear(beaconer.Latitude, beaconer.Longitude, transmitter, (160 - GainDeciDbi(beaconer)) / 10, 12, frequency)
                    .Count(h => h.HotspotIndex != indexOf[beaconer.GatewayId] && IsHonest(hotspots[h.HotspotIndex]));
            }

            foreach (var witness in round.GetProperty("witnesses").EnumerateArray())
            {
                var who = byAddress[witness.GetProperty("witness").GetString()!];
                var reason = witness.GetProperty("reason").GetString()!;
                if (IsHonest(who) && IsHonest(beaconer))
                {
                    honestWitnesses++;
                    honestValid += reason == "reason_none" ? 1 : 0;
                    honestReasons.Add(reason);
                }
                else if (!IsHonest(who))
                {
                    // Whatever the beaconer, a cheater's witness never passes.
                    Assert.NotEqual("reason_none", reason);
                    if (IsHonest(beaconer) || who.Cheat!.Profile == CheatProfiles.SelfWitnessingCluster)
                    {
                        cheaterReasons[who.GatewayId].Add(reason);
                    }
                }
            }
        }

        using var manifest = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/poc/rewards/{day}", UriKind.Relative)));
        var paid = manifest.RootElement.GetProperty("rewards").EnumerateArray().ToDictionary(
            r => r.GetProperty("hotspot").GetString()!,
            r => decimal.Parse(r.GetProperty("beacon_amount").GetString()!, CultureInfo.InvariantCulture) + decimal.Parse(r.GetProperty("witness_amount").GetString()!, CultureInfo.InvariantCulture),
            StringComparer.Ordinal);
        var honest = hotspots.Where(IsHonest).ToList();
        var honestMean = honest.Average(h => paid.GetValueOrDefault(addresses[h.GatewayId]));
        output.WriteLine($"{honestCount} honest hotspots: {honestWitnesses} witnesses of honest beacons (RF model: {expectedHonestWitnesses}), {honestValid} valid ({string.Join(", ", honestReasons.GroupBy(r => r).Select(g => $"{g.Key} ×{g.Count()}"))}); {honest.Count(h => paid.GetValueOrDefault(addresses[h.GatewayId]) > 0)} paid, mean {honestMean:F4}");
        output.WriteLine($"run: {statistics.Beacons} beacons, {statistics.WitnessReceptions} RF witness receptions, {statistics.CheatedWitnesses} made up by cheaters, {statistics.Errors} errors");
        foreach (var (id, profile) in cheats)
        {
            output.WriteLine($"{profile} {id}: {string.Join(", ", cheaterReasons[id].GroupBy(r => r).Select(g => $"{g.Key} ×{g.Count()}"))}; reward {paid.GetValueOrDefault(addresses[id])}");
        }

        Assert.Equal(0, statistics.Errors);
        Assert.Equal(expectedHonestWitnesses, honestWitnesses);
        Assert.True(honestWitnesses >= honestCount * 3, $"only {honestWitnesses} honest witnesses: the city is too sparse to mean anything");
        Assert.All(honestReasons, r => Assert.Contains(r, new[] { "reason_none", MinDistance }));
        Assert.True(honestValid >= honestWitnesses * 0.7, $"{honestValid} of {honestWitnesses} honest witnesses valid");
        foreach (var (id, profile) in cheats)
        {
            var reasons = cheaterReasons[id];
            Assert.True(reasons.Count > 0, $"{profile} {id} witnessed nothing");
            Assert.All(reasons, r => Assert.Contains(r, Reasons[profile]));
            Assert.Contains(Reasons[profile][0], reasons);
            Assert.Equal(0m, paid.GetValueOrDefault(addresses[id]));
        }

        Assert.True(honestMean > 0);
        Assert.True(honest.Count(h => paid.GetValueOrDefault(addresses[h.GatewayId]) > 0) >= honestCount * 0.8, "most honest hotspots should be paid");
    }

    private static int GainDeciDbi(WorldHotspot hotspot) => (int)Math.Round(hotspot.AntennaGainDbi * 10);

    private static async Task<Dictionary<string, string>> WaitForParticipantsAsync(HttpClient http, HashSet<string> gatewayIds)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var participants = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/poc/hotspots", UriKind.Relative)));
            var found = participants.RootElement.EnumerateArray()
                .Where(p => p.TryGetProperty("gateway_id", out var id) && id.GetString() is { } g && gatewayIds.Contains(g))
                .ToDictionary(p => p.GetProperty("gateway_id").GetString()!, p => p.GetProperty("address").GetString()!, StringComparer.Ordinal);
            if (found.Count == gatewayIds.Count)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{found.Count} of {gatewayIds.Count} gateways became PoC participants");
            await Task.Delay(200);
        }
    }

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
