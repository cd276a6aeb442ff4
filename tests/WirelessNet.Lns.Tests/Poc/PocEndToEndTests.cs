using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Measured;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Tests.EndToEnd;
using WirelessNet.Lns.Tests.Storage;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PocEntropy;
using WirelessNet.Proto.Helium.PocLora;

namespace WirelessNet.Lns.Tests.Poc;

/// <summary>
/// Proof of coverage on the real server host: hotspots fetch entropy over <c>helium.poc_entropy</c>, build beacons, and
/// submit signed beacon and witness reports over <c>helium.poc_lora</c> (unary and a session stream). Honest hotspots
/// are verified and rewarded and their witnesses show in coverage; cheaters (false asserted location, witness stuffing,
/// a self-witnessing cluster, a late replay, self-witnessing) are rejected for the expected reasons and earn nothing.
/// In memory and on a real Redis.
/// </summary>
[Collection(RedisStoreCollection.Name)]
public sealed class PocEndToEndTests(RedisStoreFixture redis)
{
    private const string AdminKey = "poc-admin-key-0123456789abcdef0123456789";
    private static readonly LatLng Centre = new(48.85, 2.35);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Honest_hotspots_are_verified_rewarded_and_mapped_while_cheaters_are_rejected_for_their_reasons(bool onRedis)
    {
        await using var server = await ServerUnderTest.StartAsync(null, onRedis ? redis.ConnectionString : null, extra: Settings());
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        var lora = new poc_lora.poc_loraClient(channel);

        using var beaconer = new PocHotspotSimulator("beaconer", Centre);
        using var w1 = new PocHotspotSimulator("w1", PocHotspotSimulator.Offset(Centre, 2, 0));
        using var w2 = new PocHotspotSimulator("w2", PocHotspotSimulator.Offset(Centre, 0, 3));
        using var w3 = new PocHotspotSimulator("w3", PocHotspotSimulator.Offset(Centre, -5, 0));
        using var w4 = new PocHotspotSimulator("w4-stream", PocHotspotSimulator.Offset(Centre, 0, -4));
        using var liar = new PocHotspotSimulator("false-location", PocHotspotSimulator.Offset(Centre, 3, 3), asserted: PocHotspotSimulator.Offset(Centre, 150, 0));
        using var stuffer = new PocHotspotSimulator("stuffer", PocHotspotSimulator.Offset(Centre, 60, 0));
        using var late = new PocHotspotSimulator("late-replay", PocHotspotSimulator.Offset(Centre, 7, 0));
        using var clusterBeaconer = new PocHotspotSimulator("cluster-a", PocHotspotSimulator.Offset(Centre, 20, 20));
        using var clusterFar = new PocHotspotSimulator("cluster-b", PocHotspotSimulator.Offset(Centre, 20, 20.01), asserted: PocHotspotSimulator.Offset(Centre, 30, 20));
        using var clusterNear = new PocHotspotSimulator("cluster-c", PocHotspotSimulator.Offset(Centre, 20.01, 20), asserted: PocHotspotSimulator.Offset(Centre, 20.2, 20));
        PocHotspotSimulator[] all = [beaconer, w1, w2, w3, w4, liar, stuffer, late, clusterBeaconer, clusterFar, clusterNear];
        var registry = server.Services.GetRequiredService<IDeviceRegistry>();
        foreach (var hotspot in all)
        {
            await registry.PutGatewayAsync(hotspot.ToGateway(), default);
        }

        var entropy = await new poc_entropy.poc_entropyClient(channel).entropyAsync(new entropy_req_v1());
        Assert.Equal(32, entropy.Data.Length);
        Assert.Equal(1u, entropy.Version);

        // Round 1: the beaconer, four honest witnesses (one on a session stream), and cheaters.
        var (beaconReport, beacon) = beaconer.BuildBeacon(entropy);
        var beaconId = (await lora.submit_lora_beaconAsync(beaconReport)).Id;
        Assert.Equal(beaconId, (await lora.submit_lora_beaconAsync(beaconReport)).Id);
        foreach (var witness in new[] { w1, w2, w3 })
        {
            await lora.submit_lora_witnessAsync(witness.BuildWitness(beacon, beaconer));
        }

        await SubmitOverSessionAsync(lora, w4, beacon, beaconer);
        await lora.submit_lora_witnessAsync(liar.BuildWitness(beacon, beaconer));
        await lora.submit_lora_witnessAsync(stuffer.BuildWitness(beacon, beaconer, claimedRssiDbm: -60));
        await lora.submit_lora_witnessAsync(beaconer.BuildWitness(beacon, beaconer, claimedRssiDbm: -120));

        // Round 2: a co-located cluster witnessing one of its own beacons.
        var (clusterReport, clusterBeacon) = clusterBeaconer.BuildBeacon(entropy);
        await lora.submit_lora_beaconAsync(clusterReport);
        await lora.submit_lora_witnessAsync(clusterFar.BuildWitness(clusterBeacon, clusterBeaconer));
        await lora.submit_lora_witnessAsync(clusterNear.BuildWitness(clusterBeacon, clusterBeaconer));

        // Refused at ingest, with Helium's reasons as gRPC statuses: a forged signature and a hotspot nobody provisioned.
        var forged = w1.BuildWitness(beacon, beaconer, signer: w2.Key);
        var badSignature = await Assert.ThrowsAsync<RpcException>(async () => await lora.submit_lora_witnessAsync(forged));
        Assert.Equal(StatusCode.PermissionDenied, badSignature.StatusCode);
        Assert.StartsWith("bad_signature", badSignature.Status.Detail, StringComparison.Ordinal);
        using var stranger = new PocHotspotSimulator("stranger", Centre);
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await lora.submit_lora_witnessAsync(stranger.BuildWitness(beacon, beaconer)));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.StartsWith("gateway_not_found", unknown.Status.Detail, StringComparison.Ordinal);

        // A witness replayed from elsewhere after the 4 s deadline (server receive time counts, not its own timestamp).
        await Task.Delay(TimeSpan.FromMilliseconds(4_300));
        await lora.submit_lora_witnessAsync(late.BuildWitness(beacon, beaconer));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rounds = await WaitForRoundsAsync(http, today, 2);
        var ids = rounds.Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToList();
        using (var page = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/poc/epochs/{today}/rounds?limit=1&after={ids[0]}", UriKind.Relative))))
        {
            Assert.Equal(ids[1], Assert.Single(page.RootElement.EnumerateArray().ToList()).GetProperty("id").GetString());
        }

        var main = rounds.Single(r => r.GetProperty("beaconer").GetString() == beaconer.Address);
        Assert.Equal("reason_none", main.GetProperty("beacon_reason").GetString());
        var verdicts = main.GetProperty("witnesses").EnumerateArray().ToDictionary(w => w.GetProperty("witness").GetString()!, w => (Reason: w.GetProperty("reason").GetString(), Selected: w.GetProperty("selected").GetBoolean()));
        foreach (var honest in new[] { w1, w2, w3, w4 })
        {
            Assert.Equal(("reason_none", true), verdicts[honest.Address]);
        }

        Assert.Equal("max_distance_exceeded", verdicts[liar.Address].Reason);
        Assert.Equal("bad_rssi", verdicts[stuffer.Address].Reason);
        Assert.Equal("self_witness", verdicts[beaconer.Address].Reason);
        Assert.Equal("too_late", verdicts[late.Address].Reason);

        var cluster = rounds.Single(r => r.GetProperty("beaconer").GetString() == clusterBeaconer.Address);
        var clusterVerdicts = cluster.GetProperty("witnesses").EnumerateArray().ToDictionary(w => w.GetProperty("witness").GetString()!, w => w.GetProperty("reason").GetString());
        Assert.Equal("bad_rssi", clusterVerdicts[clusterFar.Address]);
        Assert.Equal("below_min_distance", clusterVerdicts[clusterNear.Address]);

        // Rewards: honest hotspots are paid, no cheater is (the cluster's beacon had no valid witness: unit 0).
        using var manifest = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/poc/rewards/{today}", UriKind.Relative)));
        var paid = manifest.RootElement.GetProperty("rewards").EnumerateArray().ToDictionary(
            r => r.GetProperty("hotspot").GetString()!,
            r => decimal.Parse(r.GetProperty("beacon_amount").GetString()!, CultureInfo.InvariantCulture) + decimal.Parse(r.GetProperty("witness_amount").GetString()!, CultureInfo.InvariantCulture));
        Assert.True(paid[beaconer.Address] > 0);
        var protobuf = WirelessNet.Proto.Poc.reward_manifest_v1.Parser.ParseFrom(await http.GetByteArrayAsync(new Uri($"/api/poc/rewards/{today}?format=protobuf", UriKind.Relative)));
        Assert.Equal(paid.Count, protobuf.Rewards.Count);
        Assert.Equal(manifest.RootElement.GetProperty("witness_pool").GetString(), protobuf.WitnessPool);
        foreach (var honest in new[] { w1, w2, w3, w4 })
        {
            Assert.True(paid[honest.Address] > 0, honest.Name);
        }

        foreach (var cheater in new[] { liar, stuffer, late, clusterBeaconer, clusterFar, clusterNear })
        {
            Assert.Equal(0m, paid.GetValueOrDefault(cheater.Address));
        }

        // Coverage: the beaconer's hex was heard by exactly the four honest witnesses, the best of them as best RSSI.
        var coverage = server.Services.GetRequiredService<ICoverageStore>();
        var hex = await coverage.GetHexAsync(H3Grid.LatLngToCell(Centre, 12));
        Assert.NotNull(hex);
        Assert.Equal(4, hex.DistinctGateways);
        Assert.Equal(4, hex.Count);
        var bestRssi = new[] { w1, w2, w3, w4 }.Max(w => w.BuildWitness(beacon, beaconer).Signal / 10.0);
        Assert.Equal(bestRssi, hex.BestRssi);
        Assert.NotEmpty(await coverage.GetHotspotCoverageAsync(HeliumGatewayIds.FromPublicKey(w1.Key.PublicKey).Value));

        // Transmit scales from the active participants: isolated hotspots keep 1; both ingest rejections were counted.
        using var hotspots = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/poc/hotspots/{w1.Address}", UriKind.Relative)));
        Assert.Equal(1m, hotspots.RootElement.GetProperty("transmit_scale").GetDecimal());
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("reason=\"bad_signature\"", metrics, StringComparison.Ordinal);
        Assert.Contains("reason=\"gateway_not_found\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entropy_is_served_over_http_as_a_verifiable_chain_and_the_denylist_needs_the_admin_key()
    {
        await using var server = await ServerUnderTest.StartAsync(null, null, extra: Settings());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        using var current = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/poc/entropy", UriKind.Relative)));
        var timestamp = current.RootElement.GetProperty("timestamp").GetInt64();
        Assert.Equal(0, timestamp % 60);
        Assert.Equal(32, Convert.FromBase64String(current.RootElement.GetProperty("data").GetString()!).Length);

        using var history = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/poc/entropy?from=0&to={timestamp}", UriKind.Relative)));
        Assert.Equal(timestamp, history.RootElement.EnumerateArray().Last().GetProperty("timestamp").GetInt64());

        using var key = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        var path = new Uri($"/api/poc/denylist/keys/{key.PublicKey.ToAddress()}", UriKind.Relative);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.PutAsync(path, null)).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await http.PutAsync(path, null)).StatusCode);
        var list = await http.GetStringAsync(new Uri("/api/poc/denylist", UriKind.Relative));
        Assert.Contains(key.PublicKey.ToAddress(), list, StringComparison.Ordinal);
    }

    private static async Task SubmitOverSessionAsync(poc_lora.poc_loraClient lora, PocHotspotSimulator witness, WirelessNet.Poc.Beacons.Beacon beacon, PocHotspotSimulator beaconer)
    {
        using var session = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        using var call = lora.stream_requests();
        Assert.True(await call.ResponseStream.MoveNext());
        var init = new lora_stream_session_init_v1
        {
            PubKey = ByteString.CopyFrom(witness.Key.PublicKey.AsSpan()),
            SessionKey = ByteString.CopyFrom(session.PublicKey.AsSpan()),
            Nonce = call.ResponseStream.Current.Offer.Nonce,
        };
        SignedMessages.Sign(init, witness.Key);
        await call.RequestStream.WriteAsync(new lora_stream_request_v1 { SessionInit = init });
        await call.RequestStream.WriteAsync(new lora_stream_request_v1 { WitnessReport = witness.BuildWitness(beacon, beaconer, signer: session) });
        await call.RequestStream.CompleteAsync();
        while (await call.ResponseStream.MoveNext())
        {
        }
    }

    private static async Task<List<JsonElement>> WaitForRoundsAsync(HttpClient http, string day, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var rounds = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/poc/epochs/{day}/rounds", UriKind.Relative)));
            if (rounds.RootElement.GetArrayLength() >= count)
            {
                return rounds.RootElement.EnumerateArray().Select(r => r.Clone()).ToList();
            }

            Assert.True(DateTime.UtcNow < deadline, $"expected {count} verified rounds, saw {rounds.RootElement.GetArrayLength()}");
            await Task.Delay(200);
        }
    }

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Api:AdminKey"] = AdminKey,
        ["Poc:OperatorSeed"] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        ["Poc:RoundSettleDelay"] = "00:00:06",
        ["Poc:RoundPollInterval"] = "00:00:00.200",
        ["Poc:IssueChallenges"] = "false",

        // A network just starting PoC: nobody has a past witness or beacon yet (reciprocity is tested in the core).
        ["Poc:EnforceReciprocity"] = "false",
    };
}
