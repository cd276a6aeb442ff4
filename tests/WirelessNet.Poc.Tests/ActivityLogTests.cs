using WirelessNet.Poc.Hotspots;

namespace WirelessNet.Poc.Tests;

public sealed class ActivityLogTests
{
    [Fact]
    public void OlderReportsDoNotMoveAMarkBack()
    {
        var log = new PocActivityLog();
        var key = PocWorld.Key(1);
        log.RecordBeacon(key, PocWorld.Start.AddHours(2));
        log.RecordBeacon(key, PocWorld.Start.AddHours(1));
        log.RecordWitness(key, PocWorld.Start);
        Assert.True(log.TryGetLastBeacon(key, out var beacon));
        Assert.Equal(PocWorld.Start.AddHours(2), beacon);
        Assert.True(log.TryGetLastWitness(key, out var witness));
        Assert.Equal(PocWorld.Start, witness);
        Assert.False(log.TryGetLastWitness(PocWorld.Key(2), out _));
    }

    [Fact]
    public void SharedEmptyDenylistCannotBeFilled()
    {
        Assert.Throws<InvalidOperationException>(() => PocDenylist.Empty.DenyKey(PocWorld.Key(1)));
        var denylist = new PocDenylist().DenyKey(PocWorld.Key(1)).DenyEdge(PocWorld.Key(2), PocWorld.Key(3));
        Assert.True(denylist.IsDenied(PocWorld.Key(1)));
        Assert.True(denylist.IsEdgeDenied(PocWorld.Key(2), PocWorld.Key(3)));
        Assert.False(denylist.IsEdgeDenied(PocWorld.Key(3), PocWorld.Key(2)));
    }
}
