using WirelessNet.Poc.Validation;

namespace WirelessNet.Poc.Tests;

/// <summary>The per-report validators run for every beacon and witness: they must not allocate.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void ValidatingABeaconAndAWitnessAllocatesNothing()
    {
        var builtAt = PocWorld.Start.AddMinutes(10).AddSeconds(30);
        var world = new PocWorld();
        var beaconer = world.Add(0, PocWorld.Amsterdam);
        var witness = world.Add(1, PocWorld.Offset(PocWorld.Amsterdam, 10, 0));
        world.SatisfyReciprocity(builtAt);
        var verifier = world.Verifier();
        var beacon = world.Beacon(beaconer, builtAt);
        var report = PocWorld.Witness(witness, beacon);

        // Warm up: JIT, static tables, the region's lazily loaded data.
        var reason = InvalidReason.UnknownError;
        for (var i = 0; i < 3; i++)
        {
            reason = verifier.BeaconValidator.Validate(beacon, out var validated);
            reason |= verifier.WitnessValidator.Validate(validated, report, beacon.ReceivedAt, TimeSpan.FromSeconds(4));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            reason = verifier.BeaconValidator.Validate(beacon, out var validated);
            reason |= verifier.WitnessValidator.Validate(validated, report, beacon.ReceivedAt, TimeSpan.FromSeconds(4));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(InvalidReason.ReasonNone, reason);
        Assert.Equal(0, allocated);
    }
}
