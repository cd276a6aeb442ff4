using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Poc;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Tests.Storage;
using WirelessNet.Proto.Poc;

namespace WirelessNet.Lns.Tests.Poc;

/// <summary>
/// Epoch manifests on the server: provisional while the epoch runs, then computed once from the stored rounds and
/// transmit scales frozen at the epoch's end, stored, served unchanged, recomputed to the same bytes, and the same
/// numbers in protobuf.
/// </summary>
public sealed class PocRewardsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_finished_epoch_has_one_stored_manifest_that_recomputes_to_the_same_bytes()
    {
        var time = new ManualTimeProvider(T0);
        var store = new InMemoryPocStore(time);
        var registry = new InMemoryStore(time);
        var options = Options.Create(new PocOptions { EpochPool = 1_000_000m });
        var entropy = new PocEntropySource(store, options, time, NullLogger<PocEntropySource>.Instance);
        var directory = new PocHotspotDirectory(store, registry, entropy, time);
        var rewards = new PocRewards(store, directory, options, time);

        using var a = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        using var b = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        using var c = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        var places = new[] { (a, 48.85, 2.35), (b, 48.87, 2.35), (c, 48.85, 2.39) };
        foreach (var (key, lat, lng) in places)
        {
            var id = HeliumGatewayIds.FromPublicKey(key.PublicKey);
            await registry.PutGatewayAsync(new Gateway { GatewayId = id, TenantId = "t1", Location = new GeoLocation(lat, lng), AntennaGainDbi10 = 12 }, default);
            await store.TouchParticipantAsync(new PocParticipant(key.PublicKey.ToAddress(), id, GatewayTransport.HeliumGrpc, T0), default);
        }

        // One valid beacon by a, witnessed (selected) by b and c, and one invalid witness that earns nothing.
        var epoch = T0.ToUnixTimeMilliseconds() / PocRoundRecord.EpochMs;
        var record = new PocRoundRecord("r1", a.PublicKey.ToAddress(), T0.ToUnixTimeMilliseconds(), "reason_none", 868_100_000,
        [
            new PocWitnessRecord(b.PublicKey.ToAddress(), T0.ToUnixTimeMilliseconds() + 300, "reason_none", "side_none", true, -1000, 50, 868_100_000),
            new PocWitnessRecord(c.PublicKey.ToAddress(), T0.ToUnixTimeMilliseconds() + 400, "reason_none", "side_none", true, -1100, 30, 868_100_000),
            new PocWitnessRecord(a.PublicKey.ToAddress(), T0.ToUnixTimeMilliseconds() + 500, "self_witness", "witness", false, -300, 90, 868_100_000),
        ]);
        await store.CompleteRoundAsync("r1", epoch, record.ToJson(), default);

        var (provisional, final) = await rewards.GetManifestAsync(epoch, default);
        Assert.False(final);
        Assert.Null(await store.GetEpochDocumentAsync(epoch, PocRewards.ManifestDocument, default));

        time.Advance(TimeSpan.FromDays(1));
        var (stored, isFinal) = await rewards.GetManifestAsync(epoch, default);
        Assert.True(isFinal);
        Assert.Equal(provisional, stored);

        // w = 2: beaconer unit 0.5, witness unit 1; isolated hotspots have scale 1. 20 % to a, 80 % split by b and c.
        using (var json = JsonDocument.Parse(stored))
        {
            var amounts = json.RootElement.GetProperty("rewards").EnumerateArray().ToDictionary(
                r => r.GetProperty("hotspot").GetString()!, r => (r.GetProperty("beacon_amount").GetString(), r.GetProperty("witness_amount").GetString()));
            Assert.Equal(("200000", "0"), amounts[a.PublicKey.ToAddress()]);
            Assert.Equal(("0", "400000"), amounts[b.PublicKey.ToAddress()]);
            Assert.Equal(("0", "400000"), amounts[c.PublicKey.ToAddress()]);
        }

        // Moving a hotspot next to another after the epoch changes nothing: the scales were frozen with the manifest.
        var moved = HeliumGatewayIds.FromPublicKey(c.PublicKey);
        await registry.PutGatewayAsync(new Gateway { GatewayId = moved, TenantId = "t1", Location = new GeoLocation(48.85, 2.35), AntennaGainDbi10 = 12 }, default);
        Assert.Equal(stored, (await rewards.GetManifestAsync(epoch, default)).Json);
        Assert.Equal(stored, await rewards.RecomputeManifestAsync(epoch, default));

        var protobuf = PocManifestProtobuf.FromCanonicalJson(stored);
        Assert.Equal(3, protobuf.Rewards.Count);
        Assert.Equal("200000", protobuf.BeaconPool);
        Assert.Equal((ulong)T0.Date.Subtract(DateTime.UnixEpoch).TotalSeconds, protobuf.EpochStart);
        Assert.Equal(protobuf, reward_manifest_v1.Parser.ParseFrom(Google.Protobuf.MessageExtensions.ToByteArray(protobuf)));
    }
}
