using System.Text.Json;
using WirelessNet.Proto.Poc;

namespace WirelessNet.Lns.Poc;

/// <summary>
/// The protobuf form (<c>wirelessnet.poc.reward_manifest_v1</c>) of a canonical JSON manifest: the same fields, decimals
/// as the same strings, rewards in the same order. Derived from the stored JSON, so both forms always agree, and
/// protobuf's field-ordered encoding makes the bytes as stable as the JSON's.
/// </summary>
public static class PocManifestProtobuf
{
    public static reward_manifest_v1 FromCanonicalJson(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var manifest = new reward_manifest_v1
        {
            Version = root.GetProperty("version").GetUInt32(),
            EpochStart = root.GetProperty("epoch_start").GetUInt64(),
            EpochEnd = root.GetProperty("epoch_end").GetUInt64(),
            Pool = root.GetProperty("pool").GetString(),
            BeaconPool = root.GetProperty("beacon_pool").GetString(),
            WitnessPool = root.GetProperty("witness_pool").GetString(),
            TotalBeaconShares = root.GetProperty("total_beacon_shares").GetString(),
            TotalWitnessShares = root.GetProperty("total_witness_shares").GetString(),
            RewardedBeacons = root.GetProperty("rewarded_beacons").GetUInt32(),
            BeaconsWithoutScale = root.GetProperty("beacons_without_scale").GetUInt32(),
        };
        foreach (var reward in root.GetProperty("rewards").EnumerateArray())
        {
            manifest.Rewards.Add(new hotspot_reward_v1
            {
                Hotspot = reward.GetProperty("hotspot").GetString(),
                BeaconShares = reward.GetProperty("beacon_shares").GetString(),
                WitnessShares = reward.GetProperty("witness_shares").GetString(),
                BeaconAmount = reward.GetProperty("beacon_amount").GetString(),
                WitnessAmount = reward.GetProperty("witness_amount").GetString(),
            });
        }

        return manifest;
    }
}
