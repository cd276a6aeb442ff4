using System.Globalization;
using System.Text.Json;

namespace WirelessNet.Poc.Rewards;

/// <summary>One hotspot's line of a reward manifest. Shares are summed reward units × transmit scale.</summary>
public sealed record HotspotReward(string Hotspot, decimal BeaconShares, decimal WitnessShares, decimal BeaconAmount, decimal WitnessAmount)
{
    public decimal TotalAmount => BeaconAmount + WitnessAmount;
}

/// <summary>
/// The PoC rewards of one epoch. <see cref="ToCanonicalJson"/> is the form to hash, sign and compare: recomputing the
/// manifest from the same inputs gives the same bytes on any machine.
/// </summary>
public sealed record RewardManifest(
    DateTimeOffset EpochStart,
    DateTimeOffset EpochEnd,
    decimal Pool,
    decimal BeaconPool,
    decimal WitnessPool,
    decimal TotalBeaconShares,
    decimal TotalWitnessShares,
    int RewardedBeacons,
    int BeaconsWithoutScale,
    IReadOnlyList<HotspotReward> Rewards)
{
    public const int SchemaVersion = 1;

    /// <summary>What the amounts add up to; the pool minus this is rounding dust (or an unclaimed half-pool).</summary>
    public decimal Distributed
    {
        get
        {
            var sum = 0m;
            foreach (var reward in Rewards)
            {
                sum += reward.TotalAmount;
            }

            return sum;
        }
    }

    /// <summary>
    /// Canonical JSON, UTF-8: no whitespace, properties in a fixed order, times as Unix seconds, every decimal as a
    /// string in its shortest form (no exponent, no trailing zeros, "." separator) so that 1.20 and 1.2 cannot differ,
    /// hotspots ordered by address (ordinal).
    /// </summary>
    public byte[] ToCanonicalJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, SkipValidation = false }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", SchemaVersion);
            json.WriteNumber("epoch_start", EpochStart.ToUnixTimeSeconds());
            json.WriteNumber("epoch_end", EpochEnd.ToUnixTimeSeconds());
            json.WriteString("pool", Canonical(Pool));
            json.WriteString("beacon_pool", Canonical(BeaconPool));
            json.WriteString("witness_pool", Canonical(WitnessPool));
            json.WriteString("total_beacon_shares", Canonical(TotalBeaconShares));
            json.WriteString("total_witness_shares", Canonical(TotalWitnessShares));
            json.WriteNumber("rewarded_beacons", RewardedBeacons);
            json.WriteNumber("beacons_without_scale", BeaconsWithoutScale);
            json.WriteStartArray("rewards");
            foreach (var reward in Rewards)
            {
                json.WriteStartObject();
                json.WriteString("hotspot", reward.Hotspot);
                json.WriteString("beacon_shares", Canonical(reward.BeaconShares));
                json.WriteString("witness_shares", Canonical(reward.WitnessShares));
                json.WriteString("beacon_amount", Canonical(reward.BeaconAmount));
                json.WriteString("witness_amount", Canonical(reward.WitnessAmount));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The shortest invariant form of a decimal: "0", "1.2", "0.0001".</summary>
    public static string Canonical(decimal value) =>
        value.ToString("0.############################", CultureInfo.InvariantCulture);
}
