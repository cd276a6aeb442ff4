using WirelessNet.Coverage.H3;
using WirelessNet.Poc.Hotspots;
using WirelessNet.Poc.Validation;
using WirelessNet.Simulators.Rf;
using Xunit.Abstractions;

namespace WirelessNet.Poc.Tests;

/// <summary>
/// Twenty honest hotspots on a jittered 1 km grid in a city, received power from the simulators' log-distance model (urban: n = 3.5, σ = 8 dB)
/// with shadowing. Every hotspot beacons once; every other hotspot whose RSSI reaches SF12 sensitivity witnesses.
/// Two cheaters join: one physically in the city but asserting a location 150 km away, one asserting an honest
/// location but reporting an RSSI far above what free space allows.
/// </summary>
public sealed class CityScenarioTests(ITestOutputHelper output)
{
    private const int HonestCount = 20;
    private const int FarAsserter = 100;
    private const int LoudReporter = 101;

    private static readonly DateTimeOffset FirstBeacon = PocWorld.Start.AddMinutes(30);

    [Fact]
    public void HonestWitnessesPassAndCheatersAreRejectedWithTheExpectedReasons()
    {
        var world = new PocWorld();
        var model = new LinkModel { Environment = PropagationEnvironment.Urban, WorldSeed = 20_261_126 };
        var rng = new Random(7);
        var truePosition = new Dictionary<int, LatLng>();
        var hotspots = new List<PocHotspot>();
        for (var i = 0; i < HonestCount; i++)
        {
            // A 5 × 4 grid, 1 km apart, each jittered by up to ±150 m: always well above the 8-cell minimum.
            var at = PocWorld.Offset(PocWorld.Amsterdam, (i / 5) + Jitter(rng), (i % 5) + Jitter(rng));
            truePosition[i] = at;
            hotspots.Add(world.Add(i, at));
        }

        // The far asserter stands 2 km into the city but asserts a spot 150 km north.
        truePosition[FarAsserter] = PocWorld.Offset(PocWorld.Amsterdam, 2.2, 2.4);
        var farAsserter = world.Add(FarAsserter, PocWorld.Offset(PocWorld.Amsterdam, 150, 0));
        truePosition[LoudReporter] = PocWorld.Offset(PocWorld.Amsterdam, 1.5, 3.5);
        var loudReporter = world.Add(LoudReporter, truePosition[LoudReporter]);
        world.SatisfyReciprocity(FirstBeacon);

        var verifier = world.Verifier();
        var sensitivity = LoRaReception.SensitivityDbm(12, 125_000);
        int honestHeard = 0, honestRejected = 0, selectedTotal = 0, farAsserterHeard = 0, loudReporterHeard = 0;
        for (var b = 0; b < HonestCount; b++)
        {
            var beaconer = hotspots[b];
            var beacon = world.Beacon(beaconer, FirstBeacon.AddSeconds(60 * b));
            var witnesses = new List<WitnessReport>();
            var honestKeys = new HashSet<Helium.Crypto.HeliumPublicKey>();
            foreach (var (n, position) in truePosition)
            {
                if (n == b)
                {
                    continue;
                }

                var rssi = model.ReceivedPowerDbm(
                    beacon.TxPowerDeciDbm / 10.0,
                    new RadioEndpoint(PocWorld.GainDeciDbi / 10.0, HeightMetres: 10),
                    new RadioEndpoint(PocWorld.GainDeciDbi / 10.0, HeightMetres: 10),
                    H3Grid.GreatCircleDistanceM(truePosition[b], position),
                    beacon.FrequencyHz,
                    (ulong)b,
                    (ulong)n);
                if (rssi < sensitivity)
                {
                    continue;
                }

                var hotspot = n < HonestCount ? hotspots[n] : n == FarAsserter ? farAsserter : loudReporter;
                var reported = n == LoudReporter ? -40.0 : rssi;
                witnesses.Add(PocWorld.Witness(
                    hotspot,
                    beacon,
                    signalDeciDbm: (int)Math.Round(reported * 10),
                    snrDeciDb: (int)Math.Round(LoRaReception.Snr(reported, 125_000) * 10),
                    after: TimeSpan.FromMilliseconds(200 + (37 * n))));
                if (n < HonestCount)
                {
                    honestKeys.Add(hotspot.Key);
                }
            }

            var round = verifier.Verify(beacon, witnesses);
            world.Activity.Record(round);
            Assert.Equal(InvalidReason.ReasonNone, round.BeaconReason);
            Assert.True(round.SelectedWitnessCount <= 14);
            selectedTotal += round.SelectedWitnessCount;

            foreach (var witness in round.Witnesses)
            {
                if (honestKeys.Contains(witness.Report.Witness))
                {
                    honestHeard++;
                    honestRejected += witness.IsValid ? 0 : 1;
                }
                else if (witness.Report.Witness == farAsserter.Key)
                {
                    Assert.Equal(InvalidReason.MaxDistanceExceeded, witness.Reason);
                }
                else
                {
                    Assert.Equal(InvalidReason.BadRssi, witness.Reason);
                }
            }

            farAsserterHeard += round.Witnesses.Count(w => w.Report.Witness == farAsserter.Key);
            loudReporterHeard += round.Witnesses.Count(w => w.Report.Witness == loudReporter.Key);
        }

        output.WriteLine($"honest receptions {honestHeard}, rejected {honestRejected}, selected {selectedTotal}; cheaters heard {farAsserterHeard} and {loudReporterHeard} beacons");
        Assert.True(farAsserterHeard >= 3 && loudReporterHeard >= 3, "the cheaters must hear some beacons for their rejection to be tested");
        Assert.True(honestHeard >= HonestCount * 5, $"only {honestHeard} honest receptions: the scenario is too sparse to mean anything");
        Assert.True(honestRejected < honestHeard * 0.02, $"{honestRejected} of {honestHeard} honest witnesses rejected");
    }

    private static double Jitter(Random rng) => (rng.NextDouble() - 0.5) * 0.3;
}
