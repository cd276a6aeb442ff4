using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using WirelessNet.Simulators.Fleets;
using WirelessNet.Simulators.Rf;
using WirelessNet.Simulators.World;

namespace WirelessNet.Simulators.Tests.Fleets;

/// <summary>
/// The city run enacts each cheat profile when a beacon goes on air: honest hotspots and a false-location cheater
/// forward what the RF model lets them hear, a stuffer forwards every beacon with its made-up signal, cluster members
/// forward only each other's beacons, strongly, and a replayer forwards every beacon after everyone else.
/// </summary>
public sealed class CityFleetRunCheatTests
{
    private const double Lat = 52.52;
    private const double Lng = 13.405;

    [Fact]
    public async Task Each_cheat_profile_witnesses_as_it_says()
    {
        // Far radios sit about 250 km north; asserted spots are in the city (they only matter to the server).
        var far = Lat + 2.25;
        WorldHotspot Hotspot(int id, double lat, double lng, WorldCheat? cheat = null) =>
            new($"00000000000000{id:x2}", lat, lng, 2.15, 15, false, HotspotTransports.Mqtt) { Cheat = cheat };
        var hotspots = new[]
        {
            Hotspot(0, Lat, Lng),
            Hotspot(1, Lat + 0.005, Lng),
            Hotspot(2, Lat, Lng + 0.008, new WorldCheat(CheatProfiles.FalseLocation, Lat + 1.5, Lng)),
            Hotspot(3, far, Lng, new WorldCheat(CheatProfiles.WitnessStuffing, Lat - 0.01, Lng)),
            Hotspot(4, far, Lng + 0.5, new WorldCheat(CheatProfiles.LateReplay, Lat + 0.01, Lng)),
            Hotspot(5, far, Lng - 0.5, new WorldCheat(CheatProfiles.SelfWitnessingCluster, Lat, Lng - 0.01, Cluster: 1)),
            Hotspot(6, far, Lng - 0.50004, new WorldCheat(CheatProfiles.SelfWitnessingCluster, Lat, Lng + 0.01, Cluster: 1)),
            Hotspot(7, far, Lng + 1, null),
        };
        var world = new RadioWorld(new RadioWorldDefinition(1, Lat, Lng, 5, PropagationEnvironment.Urban, hotspots, []));
        var options = new CityRunOptions { Duration = TimeSpan.FromSeconds(3), DrainTime = TimeSpan.FromMilliseconds(200), ReplayDelay = TimeSpan.FromMilliseconds(300) };
        var log = new ConcurrentQueue<Forward>();
        var radios = Enumerable.Range(0, hotspots.Length).Select(i => new FakeRadio(i, log)).ToArray();

        var honestBeacon = Beacon(0x11);
        var clusterBeacon = Beacon(0x22);
        radios[0].Transmit(honestBeacon);
        radios[5].Transmit(clusterBeacon);
        var run = new CityFleetRun(world, options);
        await run.RunAsync(radios, CancellationToken.None);

        var honest = log.Where(f => f.Payload[1] == 0x11).ToList();
        var cluster = log.Where(f => f.Payload[1] == 0x22).ToList();

        // The honest beacon: the RF model's hearers (the honest neighbour 550 m away, the false-location cheater's real
        // radio), the stuffer at its made-up −40 dBm, the replayer last; not the cluster, not the far honest hotspot.
        var heard = world.Hear(Lat, Lng, 0, 14, 12, 868_100_000).Select(h => h.HotspotIndex).Where(i => i != 0).ToHashSet();
        Assert.Contains(1, heard);
        Assert.Contains(2, heard);
        Assert.Equal(new[] { 1, 2, 3, 4 }, honest.Select(f => f.Radio).Order());
        Assert.Equal(options.StuffedRssiDbm, honest.Single(f => f.Radio == 3).RssiDbm);
        Assert.Equal(4, honest.MaxBy(f => f.Sequence)!.Radio);

        // The cluster's beacon: its other member, strongly; the stuffer and the replayer, who take every beacon; nobody in the city.
        Assert.Equal(new[] { 3, 4, 6 }, cluster.Select(f => f.Radio).Order());
        Assert.Equal(options.ClusterRssiDbm, cluster.Single(f => f.Radio == 6).RssiDbm);
        Assert.Equal(4, cluster.MaxBy(f => f.Sequence)!.Radio);

        var s = run.Statistics.Snapshot();
        Assert.Equal(2, s.Beacons);
        Assert.Equal(5, s.CheatedWitnesses);
        Assert.Equal(0, s.Errors);
    }

    private static HotspotTransmission Beacon(byte tag)
    {
        var payload = new byte[52];
        payload[0] = 0xE0;
        payload[1] = tag;
        return new HotspotTransmission(payload, 868_100_000, 12, 14);
    }

    private sealed record Forward(long Sequence, int Radio, byte[] Payload, int RssiDbm);

    private sealed class FakeRadio(int index, ConcurrentQueue<Forward> log) : IHotspotRadio
    {
        private static long s_sequence;
        private readonly Channel<HotspotTransmission> _downlinks = Channel.CreateUnbounded<HotspotTransmission>();

        public void Transmit(HotspotTransmission transmission) => _downlinks.Writer.TryWrite(transmission);

        public Task ForwardUplinkAsync(byte[] phyPayload, ulong frequencyHz, int spreadingFactor, int rssiDbm, float snrDb, CancellationToken cancellationToken)
        {
            log.Enqueue(new Forward(Interlocked.Increment(ref s_sequence), index, phyPayload, rssiDbm));
            return Task.CompletedTask;
        }

        public Task WitnessBeaconAsync(byte[] beaconPhyPayload, ulong frequencyHz, int spreadingFactor, int rssiDbm, float snrDb, CancellationToken cancellationToken) =>
            ForwardUplinkAsync(beaconPhyPayload, frequencyHz, spreadingFactor, rssiDbm, snrDb, cancellationToken);

        public async IAsyncEnumerable<HotspotTransmission> ReadDownlinksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var transmission in _downlinks.Reader.ReadAllAsync(cancellationToken))
            {
                yield return transmission;
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
