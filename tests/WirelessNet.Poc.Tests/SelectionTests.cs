using WirelessNet.Poc.Hotspots;
using WirelessNet.Poc.Validation;

namespace WirelessNet.Poc.Tests;

public sealed class SelectionTests
{
    private static readonly DateTimeOffset BuiltAt = PocWorld.Start.AddMinutes(10).AddSeconds(30);

    [Fact]
    public void FirstFourteenValidWitnessesByReceiveTimeAreSelected()
    {
        var world = new PocWorld();
        var beaconer = world.Add(0, PocWorld.Amsterdam);
        var witnesses = new List<PocHotspot>();
        for (var i = 1; i <= 20; i++)
        {
            witnesses.Add(world.Add(i, PocWorld.Offset(PocWorld.Amsterdam, 2 + (i % 5), 2 + (i / 5))));
        }

        world.SatisfyReciprocity(BuiltAt);
        var beacon = world.Beacon(beaconer, BuiltAt);

        // Witness i arrives (20 − i) × 100 ms after the beacon, handed in shuffled; witness 20 sends a bad payload.
        var reports = witnesses
            .Select((w, index) => PocWorld.Witness(w, beacon, signalDeciDbm: -1250, after: TimeSpan.FromMilliseconds((20 - (index + 1)) * 100)))
            .Select(r => r.Witness == witnesses[^1].Key ? r with { Data = new byte[51] } : r)
            .OrderBy(r => r.Witness.ToAddress(), StringComparer.Ordinal)
            .ToList();

        var round = world.Verifier().Verify(beacon, reports);

        Assert.Equal(round.Witnesses.OrderBy(w => w.Report.ReceivedAt).Select(w => w.Report), round.Witnesses.Select(w => w.Report));
        Assert.Equal(InvalidReason.InvalidPacket, round.Witnesses[0].Reason);
        var valid = round.Witnesses.Where(w => w.IsValid).ToList();
        Assert.Equal(19, valid.Count);
        Assert.Equal(14, round.SelectedWitnessCount);
        Assert.All(valid.Take(14), w => Assert.True(w.Selected));
        Assert.All(valid.Skip(14), w => Assert.False(w.Selected));
        Assert.Equal(
            Enumerable.Range(6, 14).Reverse().Select(i => witnesses[i - 1].Key),
            round.Witnesses.Where(w => w.Selected).Select(w => w.Report.Witness));
    }

    [Fact]
    public void TiesOnReceiveTimeAreBrokenByKeyBytes()
    {
        var world = new PocWorld();
        var beaconer = world.Add(0, PocWorld.Amsterdam);
        var a = world.Add(1, PocWorld.Offset(PocWorld.Amsterdam, 3, 0));
        var b = world.Add(2, PocWorld.Offset(PocWorld.Amsterdam, -3, 0));
        world.SatisfyReciprocity(BuiltAt);
        var beacon = world.Beacon(beaconer, BuiltAt);
        var forward = world.Verifier().Verify(beacon, [PocWorld.Witness(a, beacon), PocWorld.Witness(b, beacon)]);
        var backward = world.Verifier().Verify(beacon, [PocWorld.Witness(b, beacon), PocWorld.Witness(a, beacon)]);

        var expectedFirst = a.Key.AsSpan().SequenceCompareTo(b.Key.AsSpan()) < 0 ? a.Key : b.Key;
        Assert.Equal(expectedFirst, forward.Witnesses[0].Report.Witness);
        Assert.Equal(forward.Witnesses.Select(w => w.Report), backward.Witnesses.Select(w => w.Report));
    }
}
