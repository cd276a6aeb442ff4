using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.LoRaWan.Regions;
using WirelessNet.Poc.Beacons;
using WirelessNet.Poc.Entropy;
using WirelessNet.Poc.Hotspots;
using WirelessNet.Poc.Validation;

namespace WirelessNet.Poc.Tests;

/// <summary>A small deterministic PoC world for tests: keys, hotspots, an entropy chain and report builders.</summary>
internal sealed class PocWorld
{
    public const int GainDeciDbi = 12;

    // 2026-01-01T00:00:00Z: a challenge-window and epoch boundary, so tests can reason about windows.
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_767_225_600);

    public static readonly LatLng Amsterdam = new(52.3676, 4.9041);

    public static readonly byte[] OperatorSeed = "operator-seed-for-tests"u8.ToArray();

    public static readonly byte[] LocalEntropy = [1, 2, 3, 4];

    public PocWorld(PocValidationOptions? options = null, PocDenylist? denylist = null)
    {
        Options = options ?? PocValidationOptions.Default;
        Denylist = denylist ?? new PocDenylist();
        Chain = new EntropyChain(OperatorSeed, new EntropyReport(Enumerable.Repeat((byte)0x42, 32).ToArray(), Start.ToUnixTimeSeconds() - 3600, EntropyChain.CurrentVersion));
        Chain.AppendDue(Start.ToUnixTimeSeconds() + (2 * 86_400));
    }

    public PocValidationOptions Options { get; }

    public PocDenylist Denylist { get; }

    public EntropyChain Chain { get; }

    public Dictionary<HeliumPublicKey, PocHotspot> Hotspots { get; } = [];

    public PocActivityLog Activity { get; } = new();

    public static HeliumPublicKey Key(int n)
    {
        var seed = new byte[32];
        BitConverter.TryWriteBytes(seed, n + 1);
        using var pair = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, seed);
        return pair.PublicKey;
    }

    /// <summary>A point <paramref name="northKm"/> north and <paramref name="eastKm"/> east of <paramref name="origin"/> (flat-earth; fine at city scale).</summary>
    public static LatLng Offset(LatLng origin, double northKm, double eastKm) =>
        new(origin.Lat + (northKm / 111.195), origin.Lng + (eastKm / (111.195 * Math.Cos(origin.Lat * Math.PI / 180.0))));

    public PocHotspot Add(int n, LatLng at, RegionParameters? region = null, HotspotCapability capability = HotspotCapability.Full, int gain = GainDeciDbi)
    {
        var hotspot = new PocHotspot(Key(n), H3Grid.LatLngToCell(at, 12), gain, region ?? Region.Eu868, capability);
        Hotspots[hotspot.Key] = hotspot;
        return hotspot;
    }

    public PocHotspot AddUnasserted(int n)
    {
        var hotspot = new PocHotspot(Key(n), H3Index.Null, GainDeciDbi, Region.Eu868);
        Hotspots[hotspot.Key] = hotspot;
        return hotspot;
    }

    /// <summary>Gives every hotspot a recent beacon and witness, so reciprocity holds.</summary>
    public void SatisfyReciprocity(DateTimeOffset at)
    {
        foreach (var key in Hotspots.Keys)
        {
            Activity.RecordBeacon(key, at - TimeSpan.FromHours(30));
            Activity.RecordWitness(key, at - TimeSpan.FromHours(30));
        }
    }

    public PocVerifier Verifier() => new(Hotspots, Chain, Activity, Denylist, Options);

    /// <summary>An honest beacon of <paramref name="beaconer"/> built with the entropy valid at <paramref name="builtAt"/>, received 1 s later.</summary>
    public BeaconReport Beacon(PocHotspot beaconer, DateTimeOffset builtAt, TimeSpan? receivedAfter = null)
    {
        Assert.True(Chain.TryGetValidAt(builtAt, out var entropy));
        var beacon = BeaconGenerator.Generate(beaconer.Region, beaconer.AntennaGainDeciDbi, entropy.Data, entropy.Timestamp, LocalEntropy);
        return new BeaconReport(
            beaconer.Key, entropy.Data, LocalEntropy, beacon.Payload, beacon.FrequencyHz, beacon.DataRate, beacon.TxPowerDeciDbm,
            builtAt + (receivedAfter ?? TimeSpan.FromSeconds(1)));
    }

    public static WitnessReport Witness(PocHotspot witness, BeaconReport beacon, int signalDeciDbm = -1100, int snrDeciDb = 0, TimeSpan? after = null) =>
        new(witness.Key, beacon.Data, beacon.FrequencyHz, beacon.DataRate, signalDeciDbm, snrDeciDb, beacon.ReceivedAt + (after ?? TimeSpan.FromMilliseconds(500)));
}
