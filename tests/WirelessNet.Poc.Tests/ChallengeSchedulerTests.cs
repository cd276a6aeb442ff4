using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using WirelessNet.Poc.Challenges;
using WirelessNet.Poc.Hotspots;

namespace WirelessNet.Poc.Tests;

public sealed class ChallengeSchedulerTests
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(6);

    [Fact]
    public void WindowsAreAlignedToTheUnixEpoch()
    {
        var t = PocWorld.Start.AddHours(7).AddMinutes(3);
        Assert.Equal(PocWorld.Start.AddHours(6), ChallengeScheduler.WindowStart(t, Window));
        Assert.Equal((PocWorld.Start.ToUnixTimeSeconds() / 21_600) + 1, ChallengeScheduler.WindowIndex(t, Window));
        Assert.Equal(-1, ChallengeScheduler.WindowIndex(DateTimeOffset.FromUnixTimeSeconds(-1), Window));
    }

    [Fact]
    public void ChallengeTimeIsTheDocumentedHashOfEntropyAndKey()
    {
        var entropy = SHA256.HashData("window"u8);
        var key = PocWorld.Key(1);
        var digest = SHA256.HashData([.. Encoding.ASCII.GetBytes("wirelessnet/poc/challenge/v1"), .. entropy, .. key.AsSpan()]);
        var expected = PocWorld.Start.AddSeconds(BinaryPrimitives.ReadUInt64LittleEndian(digest) % 21_600);

        Assert.Equal(expected, ChallengeScheduler.ChallengeTime(PocWorld.Start, Window, entropy, key));
    }

    [Fact]
    public void SchedulesEachEligibleHotspotOnceInsideTheWindowDeterministically()
    {
        var world = new PocWorld();
        for (var i = 0; i < 10; i++)
        {
            world.Add(i, PocWorld.Offset(PocWorld.Amsterdam, i, 0));
        }

        var unasserted = world.AddUnasserted(20);
        var dataOnly = world.Add(21, PocWorld.Amsterdam, capability: HotspotCapability.DataOnly);
        var denied = world.Add(22, PocWorld.Amsterdam);
        world.Denylist.DenyKey(denied.Key);
        Assert.True(world.Chain.TryGetValidAt(PocWorld.Start, out var entropy));

        var schedule = ChallengeScheduler.Schedule(PocWorld.Start, Window, entropy.Data, world.Hotspots.Values, world.Denylist);
        var again = ChallengeScheduler.Schedule(PocWorld.Start, Window, entropy.Data, world.Hotspots.Values.Reverse(), world.Denylist);

        Assert.Equal(10, schedule.Count);
        Assert.Equal(schedule, again);
        Assert.DoesNotContain(schedule, c => c.Hotspot == unasserted.Key || c.Hotspot == dataOnly.Key || c.Hotspot == denied.Key);
        Assert.All(schedule, c => Assert.InRange(c.At, PocWorld.Start, PocWorld.Start + Window - TimeSpan.FromSeconds(1)));
        Assert.Equal(schedule.OrderBy(c => c.At).Select(c => c.At), schedule.Select(c => c.At));
        Assert.Equal(10, schedule.Select(c => c.At).Distinct().Count());

        var otherEntropy = SHA256.HashData("other"u8);
        var other = ChallengeScheduler.Schedule(PocWorld.Start, Window, otherEntropy, world.Hotspots.Values, world.Denylist);
        Assert.NotEqual(schedule.Select(c => c.At), other.Select(c => c.At));
    }

    [Fact]
    public void RejectsATimeThatIsNotAWindowStart() =>
        Assert.Throws<ArgumentException>(() => ChallengeScheduler.Schedule(PocWorld.Start.AddSeconds(1), Window, new byte[32], []));
}
