using System.Text;
using WirelessNet.Poc.Hotspots;
using WirelessNet.Poc.Rewards;
using WirelessNet.Poc.Validation;

namespace WirelessNet.Poc.Tests;

public sealed class RewardTests
{
    [Theory]
    [InlineData(0, "0.0000", "1.0000")]
    [InlineData(1, "0.2500", "1.0000")]
    [InlineData(2, "0.5000", "1.0000")]
    [InlineData(3, "0.7500", "1.0000")]
    [InlineData(4, "1.0000", "1.0000")]
    [InlineData(5, "1.2000", "0.7600")]
    [InlineData(6, "1.3600", "0.6067")]
    [InlineData(7, "1.4880", "0.5017")]
    [InlineData(8, "1.5904", "0.4262")]
    [InlineData(9, "1.6723", "0.3697")]
    [InlineData(10, "1.7379", "0.3262")]
    [InlineData(11, "1.7903", "0.2918")]
    [InlineData(12, "1.8322", "0.2640")]
    [InlineData(13, "1.8658", "0.2411")]
    [InlineData(14, "1.8926", "0.2220")]
    [InlineData(15, "1.9141", "0.2057")]
    [InlineData(16, "1.9313", "0.1918")]
    [InlineData(17, "1.9450", "0.1797")]
    [InlineData(18, "1.9560", "0.1691")]
    [InlineData(19, "1.9648", "0.1597")]
    [InlineData(20, "1.9719", "0.1514")]
    public void RewardUnitTable(int witnesses, string beaconer, string perWitness)
    {
        // Hand-computed: w = 6 → beaconer 2 − 0.8² = 1.36, witness (4 − (1 − 0.64)) / 6 = 3.64 / 6 = 0.60666… → 0.6067.
        Assert.Equal(decimal.Parse(beaconer, System.Globalization.CultureInfo.InvariantCulture), RewardUnits.Beaconer(witnesses));
        Assert.Equal(decimal.Parse(perWitness, System.Globalization.CultureInfo.InvariantCulture), RewardUnits.Witness(witnesses));
    }

    [Fact]
    public void ManifestSplitsThePool20To80ProRataToShares()
    {
        var (rounds, scales, keys) = Epoch();
        var manifest = PocRewardCalculator.Compute(PocWorld.Start, 1000m, rounds, scales);

        // Round 1: A (scale 1) beacons, 2 witnesses B, C → A 0.5 beacon shares; B, C 1 witness share each.
        // Round 2: B (scale 0.5) beacons, 5 witnesses A, C, D, E, F → B 0.5 × 1.2 = 0.6; each 0.5 × 0.76 = 0.38.
        // Beacon pool 200 over 1.1 shares; witness pool 800 over 0.38 + 1 + 1.38 + 3 × 0.38 = 3.9 shares.
        Assert.Equal(200m, manifest.BeaconPool);
        Assert.Equal(800m, manifest.WitnessPool);
        Assert.Equal(1.1m, manifest.TotalBeaconShares);
        Assert.Equal(3.9m, manifest.TotalWitnessShares);
        Assert.Equal(2, manifest.RewardedBeacons);
        Assert.Equal(1, manifest.BeaconsWithoutScale);

        var byKey = manifest.Rewards.ToDictionary(r => r.Hotspot);
        Assert.Equal(new HotspotReward(keys[0], 0.5m, 0.38m, 90.90909090m, 77.94871794m), byKey[keys[0]]);
        Assert.Equal(new HotspotReward(keys[1], 0.6m, 1m, 109.09090909m, 205.12820512m), byKey[keys[1]]);
        Assert.Equal(new HotspotReward(keys[2], 0m, 1.38m, 0m, 283.07692307m), byKey[keys[2]]);
        Assert.Equal(77.94871794m, byKey[keys[3]].WitnessAmount);
        Assert.Equal(6, manifest.Rewards.Count);
        Assert.InRange(1000m - manifest.Distributed, 0m, 0.0000001m);
    }

    [Fact]
    public void ManifestIsByteIdenticalOnRecompute()
    {
        var (rounds, scales, _) = Epoch();
        var first = PocRewardCalculator.Compute(PocWorld.Start, 1000m, rounds, scales).ToCanonicalJson();
        var reordered = PocRewardCalculator.Compute(PocWorld.Start, 1000m, rounds.AsEnumerable().Reverse().ToList(), new Dictionary<string, decimal>(scales.Reverse())).ToCanonicalJson();

        Assert.Equal(first, reordered);
        var json = Encoding.UTF8.GetString(first);
        Assert.StartsWith("{\"version\":1,\"epoch_start\":1767225600,\"epoch_end\":1767312000,\"pool\":\"1000\",\"beacon_pool\":\"200\",\"witness_pool\":\"800\",\"total_beacon_shares\":\"1.1\",\"total_witness_shares\":\"3.9\",\"rewarded_beacons\":2,\"beacons_without_scale\":1,\"rewards\":[{\"hotspot\":\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain(" ", json, StringComparison.Ordinal);
        Assert.Contains("\"beacon_amount\":\"90.9090909\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void CanonicalDecimalsHaveNoTrailingZeros()
    {
        Assert.Equal("1.2", RewardManifest.Canonical(1.2000m));
        Assert.Equal("0", RewardManifest.Canonical(0.000m));
        Assert.Equal("0.0001", RewardManifest.Canonical(0.0001m));
        Assert.Equal("1000", RewardManifest.Canonical(1000.00m));
    }

    [Fact]
    public void RoundsOutsideTheEpochOrInvalidAreIgnored()
    {
        var (rounds, scales, _) = Epoch();
        var nextDay = PocRewardCalculator.Compute(PocWorld.Start.AddDays(1), 1000m, rounds, scales);
        Assert.Empty(nextDay.Rewards);
        Assert.Equal(0m, nextDay.Distributed);
    }

    private static (List<PocRoundResult> Rounds, Dictionary<string, decimal> Scales, string[] Keys) Epoch()
    {
        var keys = Enumerable.Range(0, 7).Select(PocWorld.Key).ToArray();
        var at = PocWorld.Start.AddHours(3);
        var rounds = new List<PocRoundResult>
        {
            Round(keys[0], at, keys[1], keys[2]),
            Round(keys[1], at.AddHours(1), keys[0], keys[2], keys[3], keys[4], keys[5]),
            Round(keys[6], at.AddHours(2), keys[0]), // no transmit scale
            Round(keys[2], at.AddHours(3), keys[0]) with { BeaconReason = InvalidReason.IrregularInterval },
            Round(keys[2], at.AddDays(-1), keys[0]), // previous epoch
        };
        var scales = new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            [keys[0].ToAddress()] = 1m,
            [keys[1].ToAddress()] = 0.5m,
            [keys[2].ToAddress()] = 1m,
            [keys[3].ToAddress()] = 0.25m,
        };
        return (rounds, scales, keys.Select(k => k.ToAddress()).ToArray());
    }

    private static PocRoundResult Round(Helium.Crypto.HeliumPublicKey beaconer, DateTimeOffset at, params Helium.Crypto.HeliumPublicKey[] witnesses)
    {
        var beacon = new BeaconReport(beaconer, new byte[32], new byte[4], new byte[51], 868_100_000, 0, 148, at);
        var results = witnesses
            .Select((w, i) => new WitnessResult(
                new WitnessReport(w, new byte[51], 868_100_000, 0, -1100, 0, at.AddMilliseconds(100 * (i + 1))),
                InvalidReason.ReasonNone,
                ParticipantSide.None,
                PassedPhysicalRules: true,
                Selected: true))
            .ToList();
        return new PocRoundResult(beacon, InvalidReason.ReasonNone, true, results);
    }
}
