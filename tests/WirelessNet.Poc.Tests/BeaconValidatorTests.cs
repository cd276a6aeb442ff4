using WirelessNet.Poc.Hotspots;
using WirelessNet.Poc.Validation;

namespace WirelessNet.Poc.Tests;

public sealed class BeaconValidatorTests
{
    private static readonly DateTimeOffset BuiltAt = PocWorld.Start.AddMinutes(10).AddSeconds(30);

    private readonly PocWorld _world = new();
    private readonly PocHotspot _beaconer;

    public BeaconValidatorTests()
    {
        _beaconer = _world.Add(0, PocWorld.Amsterdam);
        _world.SatisfyReciprocity(BuiltAt);
    }

    [Fact]
    public void HonestBeaconIsValid() =>
        Assert.Equal(InvalidReason.ReasonNone, Validate(_world.Beacon(_beaconer, BuiltAt)));

    [Fact]
    public void UnknownGatewayIsNotFound()
    {
        var stranger = new PocWorld().Add(99, PocWorld.Amsterdam);
        Assert.Equal(InvalidReason.GatewayNotFound, Validate(_world.Beacon(stranger, BuiltAt)));
    }

    [Fact]
    public void DeniedGatewayIsDenied()
    {
        _world.Denylist.DenyKey(_beaconer.Key);
        Assert.Equal(InvalidReason.Denied, Validate(_world.Beacon(_beaconer, BuiltAt)));
    }

    [Fact]
    public void UnassertedGatewayIsNotAsserted()
    {
        var unasserted = _world.AddUnasserted(1);
        Assert.Equal(InvalidReason.NotAsserted, Validate(_world.Beacon(unasserted, BuiltAt)));
    }

    [Fact]
    public void DataOnlyGatewayHasInvalidCapability()
    {
        var dataOnly = _world.Add(1, PocWorld.Amsterdam, capability: HotspotCapability.DataOnly);
        Assert.Equal(InvalidReason.InvalidCapability, Validate(_world.Beacon(dataOnly, BuiltAt)));
    }

    [Fact]
    public void EntropyNotOnTheChainIsBadEntropy()
    {
        var report = _world.Beacon(_beaconer, BuiltAt);
        Assert.Equal(InvalidReason.BadEntropy, Validate(report with { RemoteEntropy = new byte[32] }));
    }

    [Fact]
    public void BeaconReceivedAfterTheEntropyLifespanIsExpired()
    {
        Assert.True(_world.Chain.TryGetValidAt(BuiltAt, out var entropy));
        var start = DateTimeOffset.FromUnixTimeSeconds(entropy.Timestamp);
        Assert.Equal(InvalidReason.ReasonNone, Validate(_world.Beacon(_beaconer, BuiltAt) with { ReceivedAt = start.AddSeconds(180) }));
        Assert.Equal(InvalidReason.EntropyExpired, Validate(_world.Beacon(_beaconer, BuiltAt) with { ReceivedAt = start.AddSeconds(180).AddMilliseconds(1) }));
        Assert.Equal(InvalidReason.EntropyExpired, Validate(_world.Beacon(_beaconer, BuiltAt) with { ReceivedAt = start.AddMilliseconds(-1) }));
    }

    [Fact]
    public void SecondBeaconInTheSameWindowIsIrregular()
    {
        _world.Activity.RecordBeacon(_beaconer.Key, PocWorld.Start.AddMinutes(1));
        Assert.Equal(InvalidReason.IrregularInterval, Validate(_world.Beacon(_beaconer, BuiltAt)));

        // The next window is a new challenge, however close in time.
        var nextWindow = PocWorld.Start.AddHours(6).AddSeconds(30);
        _world.Activity.RecordBeacon(_beaconer.Key, nextWindow.AddSeconds(-40));
        Assert.Equal(InvalidReason.ReasonNone, Validate(_world.Beacon(_beaconer, nextWindow)));
    }

    [Fact]
    public void AnythingThatDoesNotRegenerateIsAnInvalidPacket()
    {
        var report = _world.Beacon(_beaconer, BuiltAt);
        var data = (byte[])report.Data.Clone();
        data[7] ^= 0x80;
        Assert.Equal(InvalidReason.InvalidPacket, Validate(report with { Data = data }));
        Assert.Equal(InvalidReason.InvalidPacket, Validate(report with { Data = report.Data[..50] }));
        Assert.Equal(InvalidReason.InvalidPacket, Validate(report with { FrequencyHz = report.FrequencyHz == 868_100_000 ? 868_300_000UL : 868_100_000UL }));
        Assert.Equal(InvalidReason.InvalidPacket, Validate(report with { DataRate = 5 }));
        Assert.Equal(InvalidReason.InvalidPacket, Validate(report with { LocalEntropy = [1, 2, 3, 5] }));
        Assert.Equal(InvalidReason.InvalidPacket, Validate(report with { LocalEntropy = [1, 2, 3] }));
    }

    [Fact]
    public void BeaconerWithoutARecentWitnessFailsReciprocity()
    {
        var fresh = new PocWorld();
        var beaconer = fresh.Add(0, PocWorld.Amsterdam);
        var verifier = fresh.Verifier();
        Assert.Equal(InvalidReason.GatewayNoValidWitnesses, verifier.BeaconValidator.Validate(fresh.Beacon(beaconer, BuiltAt)));

        fresh.Activity.RecordWitness(beaconer.Key, BuiltAt - TimeSpan.FromHours(49));
        Assert.Equal(InvalidReason.GatewayNoValidWitnesses, verifier.BeaconValidator.Validate(fresh.Beacon(beaconer, BuiltAt)));
        fresh.Activity.RecordWitness(beaconer.Key, BuiltAt - TimeSpan.FromHours(47));
        Assert.Equal(InvalidReason.ReasonNone, verifier.BeaconValidator.Validate(fresh.Beacon(beaconer, BuiltAt)));
    }

    [Fact]
    public void ReciprocityCanBeSwitchedOff()
    {
        var fresh = new PocWorld(PocValidationOptions.Default with { EnforceReciprocity = false });
        var beaconer = fresh.Add(0, PocWorld.Amsterdam);
        Assert.Equal(InvalidReason.ReasonNone, fresh.Verifier().BeaconValidator.Validate(fresh.Beacon(beaconer, BuiltAt)));
    }

    [Fact]
    public void ReasonCodesAreHeliums()
    {
        Assert.Equal(0, (int)InvalidReason.ReasonNone);
        Assert.Equal(7, (int)InvalidReason.IrregularInterval);
        Assert.Equal(13, (int)InvalidReason.MaxDistanceExceeded);
        Assert.Equal(19, (int)InvalidReason.BelowMinDistance);
        Assert.Equal(22, (int)InvalidReason.TooLate);
        Assert.Equal(24, (int)InvalidReason.GatewayNoValidWitnesses);
        Assert.Equal(25, Enum.GetValues<InvalidReason>().Length);
    }

    private InvalidReason Validate(BeaconReport report) => _world.Verifier().BeaconValidator.Validate(report);
}
