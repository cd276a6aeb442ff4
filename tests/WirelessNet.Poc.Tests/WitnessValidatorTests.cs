using WirelessNet.Coverage.H3;
using WirelessNet.LoRaWan.Regions;
using WirelessNet.Poc.Hotspots;
using WirelessNet.Poc.Validation;

namespace WirelessNet.Poc.Tests;

public sealed class WitnessValidatorTests
{
    private static readonly DateTimeOffset BuiltAt = PocWorld.Start.AddMinutes(10).AddSeconds(30);

    private readonly PocWorld _world;
    private readonly PocHotspot _beaconer;
    private readonly PocHotspot _witness;

    public WitnessValidatorTests()
        : this(new PocWorld())
    {
    }

    private WitnessValidatorTests(PocWorld world)
    {
        _world = world;
        _beaconer = world.Add(0, PocWorld.Amsterdam);
        _witness = world.Add(1, PocWorld.Offset(PocWorld.Amsterdam, 10, 0));
        world.SatisfyReciprocity(BuiltAt);
    }

    [Fact]
    public void HonestWitnessIsValidAndSelected()
    {
        var beacon = Beacon();
        var round = _world.Verifier().Verify(beacon, [PocWorld.Witness(_witness, beacon)]);
        Assert.Equal(InvalidReason.ReasonNone, round.BeaconReason);
        var result = Assert.Single(round.Witnesses);
        Assert.True(result.IsValid);
        Assert.True(result.Selected);
        Assert.Equal(ParticipantSide.None, result.FailedSide);
    }

    [Fact]
    public void SecondReportFromTheSameGatewayIsADuplicate()
    {
        var beacon = Beacon();
        var round = _world.Verifier().Verify(beacon, [
            PocWorld.Witness(_witness, beacon, after: TimeSpan.FromMilliseconds(900)),
            PocWorld.Witness(_witness, beacon, after: TimeSpan.FromMilliseconds(300)),
        ]);
        Assert.Equal(InvalidReason.ReasonNone, round.Witnesses[0].Reason);
        Assert.Equal(TimeSpan.FromMilliseconds(300), round.Witnesses[0].Report.ReceivedAt - beacon.ReceivedAt);
        Assert.Equal(InvalidReason.Duplicate, round.Witnesses[1].Reason);
    }

    [Fact]
    public void BeaconerWitnessingItselfIsASelfWitness()
    {
        var beacon = Beacon();
        Assert.Equal(InvalidReason.SelfWitness, Judge(beacon, PocWorld.Witness(_beaconer, beacon)));
    }

    [Fact]
    public void UnknownWitnessIsNotFound()
    {
        var beacon = Beacon();
        var stranger = new PocWorld().Add(50, PocWorld.Offset(PocWorld.Amsterdam, 5, 5));
        Assert.Equal(InvalidReason.GatewayNotFound, Judge(beacon, PocWorld.Witness(stranger, beacon)));
    }

    [Fact]
    public void DeniedWitnessAndDeniedEdge()
    {
        var beacon = Beacon();
        _world.Denylist.DenyEdge(_beaconer.Key, _witness.Key);
        Assert.Equal(InvalidReason.DeniedEdge, Judge(beacon, PocWorld.Witness(_witness, beacon)));
        _world.Denylist.DenyKey(_witness.Key);
        Assert.Equal(InvalidReason.Denied, Judge(beacon, PocWorld.Witness(_witness, beacon)));
    }

    [Fact]
    public void DeniedEdgeIsDirected()
    {
        var beacon = Beacon();
        _world.Denylist.DenyEdge(_witness.Key, _beaconer.Key);
        Assert.Equal(InvalidReason.ReasonNone, Judge(beacon, PocWorld.Witness(_witness, beacon)));
    }

    [Fact]
    public void UnassertedWitnessIsNotAsserted()
    {
        var beacon = Beacon();
        var unasserted = _world.AddUnasserted(2);
        _world.SatisfyReciprocity(BuiltAt);
        Assert.Equal(InvalidReason.NotAsserted, Judge(beacon, PocWorld.Witness(unasserted, beacon)));
    }

    [Fact]
    public void DataOnlyWitnessHasInvalidCapability()
    {
        var beacon = Beacon();
        var dataOnly = _world.Add(2, PocWorld.Offset(PocWorld.Amsterdam, -10, 0), capability: HotspotCapability.DataOnly);
        _world.SatisfyReciprocity(BuiltAt);
        Assert.Equal(InvalidReason.InvalidCapability, Judge(beacon, PocWorld.Witness(dataOnly, beacon)));
    }

    [Fact]
    public void WitnessAfterTheEntropyLifespanIsExpired()
    {
        Assert.True(_world.Chain.TryGetValidAt(BuiltAt, out var entropy));
        var beacon = Beacon() with { ReceivedAt = DateTimeOffset.FromUnixTimeSeconds(entropy.Timestamp + 179) };
        Assert.Equal(InvalidReason.ReasonNone, Judge(beacon, PocWorld.Witness(_witness, beacon, after: TimeSpan.FromSeconds(1))));
        Assert.Equal(InvalidReason.EntropyExpired, Judge(beacon, PocWorld.Witness(_witness, beacon, after: TimeSpan.FromMilliseconds(1_001))));
    }

    [Fact]
    public void WitnessMustArriveWithin4SecondsOfTheBeacon()
    {
        var beacon = Beacon();
        Assert.Equal(InvalidReason.ReasonNone, Judge(beacon, PocWorld.Witness(_witness, beacon, after: TimeSpan.FromMilliseconds(4_000))));
        Assert.Equal(InvalidReason.TooLate, Judge(beacon, PocWorld.Witness(_witness, beacon, after: TimeSpan.FromMilliseconds(4_001))));
    }

    [Fact]
    public void WhenWitnessesArriveFirstTheyMustBeWithin1500MsOfTheFirst()
    {
        var beacon = Beacon();
        var early = _world.Add(2, PocWorld.Offset(PocWorld.Amsterdam, -10, 0));
        var late = _world.Add(3, PocWorld.Offset(PocWorld.Amsterdam, 0, 10));
        var later = _world.Add(4, PocWorld.Offset(PocWorld.Amsterdam, 0, -10));
        _world.SatisfyReciprocity(BuiltAt);
        var round = _world.Verifier().Verify(beacon, [
            PocWorld.Witness(early, beacon, after: TimeSpan.FromMilliseconds(-1_000)),
            PocWorld.Witness(late, beacon, after: TimeSpan.FromMilliseconds(500)),
            PocWorld.Witness(later, beacon, after: TimeSpan.FromMilliseconds(501)),
        ]);

        Assert.Equal([InvalidReason.ReasonNone, InvalidReason.ReasonNone, InvalidReason.TooLate], round.Witnesses.Select(w => w.Reason));
    }

    [Fact]
    public void DifferentPayloadIsAnInvalidPacket()
    {
        var beacon = Beacon();
        var data = (byte[])beacon.Data.Clone();
        data[0] ^= 1;
        Assert.Equal(InvalidReason.InvalidPacket, Judge(beacon, PocWorld.Witness(_witness, beacon) with { Data = data }));
    }

    [Fact]
    public void FrequencyMustBeWithin100KHz()
    {
        var beacon = Beacon();
        Assert.Equal(InvalidReason.ReasonNone, Judge(beacon, PocWorld.Witness(_witness, beacon) with { FrequencyHz = beacon.FrequencyHz + 100_000 }));
        Assert.Equal(InvalidReason.ReasonNone, Judge(beacon, PocWorld.Witness(_witness, beacon) with { FrequencyHz = beacon.FrequencyHz - 100_000 }));
        Assert.Equal(InvalidReason.InvalidFrequency, Judge(beacon, PocWorld.Witness(_witness, beacon) with { FrequencyHz = beacon.FrequencyHz + 100_001 }));
        Assert.Equal(InvalidReason.InvalidFrequency, Judge(beacon, PocWorld.Witness(_witness, beacon) with { FrequencyHz = beacon.FrequencyHz - 100_001 }));
    }

    [Fact]
    public void WitnessInAnotherRegionIsInvalidRegion()
    {
        var beacon = Beacon();
        var us = _world.Add(2, PocWorld.Offset(PocWorld.Amsterdam, -10, 0), Region.Us915);
        _world.SatisfyReciprocity(BuiltAt);
        Assert.Equal(InvalidReason.InvalidRegion, Judge(beacon, PocWorld.Witness(us, beacon)));
    }

    [Fact]
    public void WitnessCloserThan8Res11CellsIsBelowMinDistance()
    {
        var beacon = Beacon();

        // Res-11 cells are ~49.6 m centre to centre: 200 m is about 4 cells, 1 km about 20.
        var near = _world.Add(2, PocWorld.Offset(PocWorld.Amsterdam, 0.2, 0));
        var farEnough = _world.Add(3, PocWorld.Offset(PocWorld.Amsterdam, 1, 0));
        _world.SatisfyReciprocity(BuiltAt);
        Assert.InRange(Res11Distance(near), 0, 7);
        Assert.True(Res11Distance(farEnough) >= 8);

        Assert.Equal(InvalidReason.BelowMinDistance, Judge(beacon, PocWorld.Witness(near, beacon, signalDeciDbm: -1300)));
        Assert.Equal(InvalidReason.ReasonNone, Judge(beacon, PocWorld.Witness(farEnough, beacon, signalDeciDbm: -1300)));
    }

    [Fact]
    public void MinDistanceBoundaryIsExactlyEightCells()
    {
        var beacon = Beacon();
        var origin = H3Grid.CellToParent(_beaconer.Location, 11);
        var ring7 = H3Grid.GridRing(origin, 7)[0];
        var ring8 = H3Grid.GridRing(origin, 8)[0];
        var at7 = _world.Add(2, H3Grid.CellToLatLng(H3Grid.CellToCenterChild(ring7, 12)));
        var at8 = _world.Add(3, H3Grid.CellToLatLng(H3Grid.CellToCenterChild(ring8, 12)));
        _world.SatisfyReciprocity(BuiltAt);

        Assert.Equal(InvalidReason.BelowMinDistance, Judge(beacon, PocWorld.Witness(at7, beacon, signalDeciDbm: -1300)));
        Assert.Equal(InvalidReason.ReasonNone, Judge(beacon, PocWorld.Witness(at8, beacon, signalDeciDbm: -1300)));
    }

    [Fact]
    public void WitnessFartherThan100KmExceedsMaxDistance()
    {
        var beacon = Beacon();
        var at90 = _world.Add(2, PocWorld.Offset(PocWorld.Amsterdam, 90, 0));
        var at110 = _world.Add(3, PocWorld.Offset(PocWorld.Amsterdam, 110, 0));
        _world.SatisfyReciprocity(BuiltAt);
        Assert.InRange(DistanceKm(at90), 89.9, 90.1);
        Assert.InRange(DistanceKm(at110), 109.9, 110.1);

        Assert.Equal(InvalidReason.ReasonNone, Judge(beacon, PocWorld.Witness(at90, beacon, signalDeciDbm: -1300)));
        Assert.Equal(InvalidReason.MaxDistanceExceeded, Judge(beacon, PocWorld.Witness(at110, beacon, signalDeciDbm: -1300)));
    }

    [Fact]
    public void FreeSpacePathLossMatchesHandComputedValues()
    {
        // 20·log10(4π·1000·868.1e6 / 2.998e8) = 20·log10(36 387.5) = 91.2190 dB; ten times the distance adds 20 dB.
        Assert.Equal(91.2190, FreeSpace.PathLossDb(1_000, 868.1e6), 4);
        Assert.Equal(111.2190, FreeSpace.PathLossDb(10_000, 868.1e6), 4);
        Assert.Equal(99.1798, FreeSpace.PathLossDb(2_500, 868.3e6), 4);

        // 14.8 dBm + 1.2 dBi + 1.2 dBi − 91.2190 dB.
        Assert.Equal(-74.0190, FreeSpace.MaxRssiDbm(148, 12, 12, 1_000, 868.1e6), 4);
    }

    [Fact]
    public void RssiStrongerThanFreeSpaceAllowsIsBadRssi()
    {
        var beacon = Beacon();
        var distanceM = DistanceKm(_witness) * 1000;
        var maxRssi = 17.2 - (20 * Math.Log10(4 * Math.PI * distanceM * beacon.FrequencyHz / 2.998e8));
        Assert.InRange(maxRssi, -95, -93); // ≈ −94.0 dBm at 10 km

        var atLimit = (int)Math.Floor(maxRssi * 10);
        Assert.Equal(InvalidReason.ReasonNone, Judge(beacon, PocWorld.Witness(_witness, beacon, signalDeciDbm: atLimit)));
        Assert.Equal(InvalidReason.BadRssi, Judge(beacon, PocWorld.Witness(_witness, beacon, signalDeciDbm: atLimit + 1)));
        Assert.Equal(InvalidReason.BadRssi, Judge(beacon, PocWorld.Witness(_witness, beacon, signalDeciDbm: -400)));
    }

    [Fact]
    public void OptionalRssiToleranceLoosensTheBound()
    {
        var tolerant = new WitnessValidatorTests(new PocWorld(PocValidationOptions.Default with { RssiToleranceDb = 3 }));
        var beacon = tolerant.Beacon();
        var maxRssi = 17.2 - (20 * Math.Log10(4 * Math.PI * tolerant.DistanceKm(tolerant._witness) * 1000 * beacon.FrequencyHz / 2.998e8));
        var twoAbove = (int)Math.Floor((maxRssi + 2) * 10);
        Assert.Equal(InvalidReason.ReasonNone, tolerant.Judge(beacon, PocWorld.Witness(tolerant._witness, beacon, signalDeciDbm: twoAbove)));
        Assert.Equal(InvalidReason.BadRssi, Judge(Beacon(), PocWorld.Witness(_witness, Beacon(), signalDeciDbm: twoAbove)));
    }

    [Fact]
    public void OptionalSnrPlausibilityRejectsAnSnrAboveThermalNoise()
    {
        // Noise in 125 kHz: −174 + 50.97 = −123.03 dBm. At −110 dBm an SNR over 13.03 (+3 dB margin) is impossible.
        var strict = new WitnessValidatorTests(new PocWorld(PocValidationOptions.Default with { CheckSnrPlausibility = true }));
        var beacon = strict.Beacon();
        Assert.Equal(InvalidReason.ReasonNone, strict.Judge(beacon, PocWorld.Witness(strict._witness, beacon, signalDeciDbm: -1100, snrDeciDb: 160)));
        Assert.Equal(InvalidReason.BadRssi, strict.Judge(beacon, PocWorld.Witness(strict._witness, beacon, signalDeciDbm: -1100, snrDeciDb: 161)));

        // Off by default.
        Assert.Equal(InvalidReason.ReasonNone, Judge(Beacon(), PocWorld.Witness(_witness, Beacon(), signalDeciDbm: -1100, snrDeciDb: 300)));
    }

    [Fact]
    public void WitnessWithoutARecentValidBeaconFailsReciprocity()
    {
        var beacon = Beacon();
        var newcomer = _world.Add(2, PocWorld.Offset(PocWorld.Amsterdam, -10, 0));
        Assert.Equal(InvalidReason.GatewayNoValidBeacons, Judge(beacon, PocWorld.Witness(newcomer, beacon)));
        _world.Activity.RecordBeacon(newcomer.Key, BuiltAt - TimeSpan.FromHours(47));
        Assert.Equal(InvalidReason.ReasonNone, Judge(beacon, PocWorld.Witness(newcomer, beacon)));
    }

    [Fact]
    public void InvalidBeaconInvalidatesItsWitnessesWithItsReason()
    {
        var beacon = Beacon();
        var data = (byte[])beacon.Data.Clone();
        data[3] ^= 4;
        var forged = beacon with { Data = data };
        var round = _world.Verifier().Verify(forged, [PocWorld.Witness(_witness, forged)]);
        Assert.Equal(InvalidReason.InvalidPacket, round.BeaconReason);
        var witness = Assert.Single(round.Witnesses);
        Assert.Equal(InvalidReason.InvalidPacket, witness.Reason);
        Assert.Equal(ParticipantSide.Beacon, witness.FailedSide);
        Assert.False(witness.Selected);
    }

    [Fact]
    public void ReciprocityBootstrapsThroughTheActivityLog()
    {
        // A new network: nobody has beaconed or witnessed yet, so the first round fails reciprocity on both sides,
        // but it records physically valid reports and the next round of either hotspot is valid.
        var world = new PocWorld();
        var a = world.Add(0, PocWorld.Amsterdam);
        var b = world.Add(1, PocWorld.Offset(PocWorld.Amsterdam, 10, 0));
        var verifier = world.Verifier();

        var first = world.Beacon(a, BuiltAt);
        var round1 = verifier.Verify(first, [PocWorld.Witness(b, first)]);
        Assert.Equal(InvalidReason.GatewayNoValidWitnesses, round1.BeaconReason);
        Assert.True(round1.Witnesses[0].PassedPhysicalRules);
        Assert.Equal(InvalidReason.GatewayNoValidWitnesses, round1.Witnesses[0].Reason);
        Assert.Equal(ParticipantSide.Beacon, round1.Witnesses[0].FailedSide);
        world.Activity.Record(round1);
        Assert.True(world.Activity.TryGetLastBeacon(a.Key, out var aBeacon) && aBeacon == first.ReceivedAt);
        Assert.True(world.Activity.TryGetLastWitness(b.Key, out var bWitness) && bWitness == round1.Witnesses[0].Report.ReceivedAt);

        var second = world.Beacon(b, BuiltAt.AddSeconds(60));
        var round2 = verifier.Verify(second, [PocWorld.Witness(a, second)]);
        Assert.Equal(InvalidReason.ReasonNone, round2.BeaconReason);
        Assert.Equal(InvalidReason.ReasonNone, round2.Witnesses[0].Reason);
    }

    private BeaconReport Beacon() => _world.Beacon(_beaconer, BuiltAt);

    private InvalidReason Judge(BeaconReport beacon, WitnessReport witness) =>
        _world.Verifier().Verify(beacon, [witness]).Witnesses[0].Reason;

    private long Res11Distance(PocHotspot other) =>
        H3Grid.GridDistance(H3Grid.CellToParent(_beaconer.Location, 11), H3Grid.CellToParent(other.Location, 11));

    private double DistanceKm(PocHotspot other) =>
        H3Grid.GreatCircleDistanceKm(H3Grid.CellToLatLng(_beaconer.Location), H3Grid.CellToLatLng(other.Location));
}
