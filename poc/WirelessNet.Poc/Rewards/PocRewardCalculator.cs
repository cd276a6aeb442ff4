using WirelessNet.Poc.Validation;

namespace WirelessNet.Poc.Rewards;

/// <summary>The epoch's reward parameters.</summary>
public sealed record PocRewardOptions
{
    public static PocRewardOptions Default { get; } = new();

    public TimeSpan Epoch { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Share of the pool paid for beacons; the rest (0.8) pays witnesses.</summary>
    public decimal BeaconPoolFraction { get; init; } = 0.2m;

    /// <summary>Amounts are rounded towards zero to this many decimals, so the sum never exceeds the pool.</summary>
    public int AmountDecimals { get; init; } = 8;
}

/// <summary>
/// Turns an epoch's verified rounds into a <see cref="RewardManifest"/>. For a valid beacon with w selected
/// witnesses and beaconer transmit scale s: the beaconer earns s × <see cref="RewardUnits.Beaconer"/>(w) beacon
/// shares, each selected witness s × <see cref="RewardUnits.Witness"/>(w) witness shares (the beaconer's scale:
/// it prices the coverage the beacon proves). The beacon pool is split pro rata to beacon shares, the witness pool to
/// witness shares. Beacons whose beaconer has no transmit scale earn nothing for anyone (Helium's
/// scaling_factor_not_found) and are counted in the manifest.
/// </summary>
public static class PocRewardCalculator
{
    /// <param name="epochStart">Start of the epoch; rounds whose beacon was received in [start, start + epoch) count.</param>
    /// <param name="pool">Tokens to distribute this epoch.</param>
    /// <param name="rounds">Verified rounds (any order; invalid beacons are ignored).</param>
    /// <param name="transmitScales">Transmit scale per hotspot address, e.g. from <c>TransmitScales.Compute</c>.</param>
    /// <param name="options">Epoch length, pool split and rounding.</param>
    public static RewardManifest Compute(
        DateTimeOffset epochStart,
        decimal pool,
        IEnumerable<PocRoundResult> rounds,
        IReadOnlyDictionary<string, decimal> transmitScales,
        PocRewardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        ArgumentNullException.ThrowIfNull(transmitScales);
        ArgumentOutOfRangeException.ThrowIfNegative(pool);
        options ??= PocRewardOptions.Default;
        var epochEnd = epochStart + options.Epoch;

        var beaconShares = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var witnessShares = new Dictionary<string, decimal>(StringComparer.Ordinal);
        int rewarded = 0, withoutScale = 0;
        foreach (var round in rounds)
        {
            if (!round.IsBeaconValid || round.Beacon.ReceivedAt < epochStart || round.Beacon.ReceivedAt >= epochEnd)
            {
                continue;
            }

            var beaconer = round.Beacon.Beaconer.ToAddress();
            if (!transmitScales.TryGetValue(beaconer, out var scale))
            {
                withoutScale++;
                continue;
            }

            rewarded++;
            var w = round.SelectedWitnessCount;
            Add(beaconShares, beaconer, scale * RewardUnits.Beaconer(w));
            var witnessShare = scale * RewardUnits.Witness(w);
            foreach (var witness in round.Witnesses)
            {
                if (witness.Selected)
                {
                    Add(witnessShares, witness.Report.Witness.ToAddress(), witnessShare);
                }
            }
        }

        var beaconPool = pool * options.BeaconPoolFraction;
        var witnessPool = pool - beaconPool;
        var totalBeaconShares = Sum(beaconShares);
        var totalWitnessShares = Sum(witnessShares);

        var hotspots = new SortedSet<string>(beaconShares.Keys, StringComparer.Ordinal);
        hotspots.UnionWith(witnessShares.Keys);
        var rewards = new List<HotspotReward>(hotspots.Count);
        foreach (var hotspot in hotspots)
        {
            var beacon = beaconShares.GetValueOrDefault(hotspot);
            var witness = witnessShares.GetValueOrDefault(hotspot);
            rewards.Add(new HotspotReward(
                hotspot,
                beacon,
                witness,
                ProRata(beaconPool, beacon, totalBeaconShares, options.AmountDecimals),
                ProRata(witnessPool, witness, totalWitnessShares, options.AmountDecimals)));
        }

        return new RewardManifest(
            epochStart, epochEnd, pool, beaconPool, witnessPool, totalBeaconShares, totalWitnessShares, rewarded, withoutScale, rewards);
    }

    private static void Add(Dictionary<string, decimal> shares, string hotspot, decimal amount) =>
        shares[hotspot] = shares.GetValueOrDefault(hotspot) + amount;

    // Shares carry at most 8 decimals, so the sum is exact whatever the order the dictionary yields them in.
    private static decimal Sum(Dictionary<string, decimal> shares)
    {
        var total = 0m;
        foreach (var share in shares.Values)
        {
            total += share;
        }

        return total;
    }

    // Multiply before dividing: decimal keeps 28 digits, and pool × share stays far inside them for real pools.
    private static decimal ProRata(decimal pool, decimal share, decimal total, int decimals) =>
        total == 0m || share == 0m ? 0m : Math.Round(pool * share / total, decimals, MidpointRounding.ToZero);
}
