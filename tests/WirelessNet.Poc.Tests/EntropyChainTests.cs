using System.Buffers.Binary;
using System.Security.Cryptography;
using WirelessNet.Poc.Entropy;

namespace WirelessNet.Poc.Tests;

public sealed class EntropyChainTests
{
    private static readonly byte[] Seed = [9, 8, 7];

    private static EntropyChain NewChain() => new(Seed, new EntropyReport(new byte[32], 1_000, EntropyChain.CurrentVersion));

    [Fact]
    public void NextIsSha256OfPreviousTimeAndSeed()
    {
        var previous = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var input = new byte[32 + 8 + Seed.Length];
        previous.CopyTo(input, 0);
        BinaryPrimitives.WriteInt64LittleEndian(input.AsSpan(32), 1_767_225_660);
        Seed.CopyTo(input, 40);

        Assert.Equal(SHA256.HashData(input), EntropyChain.ComputeNext(previous, 1_767_225_660, Seed));
    }

    [Fact]
    public void AppendedChainVerifiesAndTamperingIsDetected()
    {
        var chain = NewChain();
        Assert.Equal(5, chain.AppendDue(1_000 + (5 * 60) + 59));
        Assert.Equal([1_000L, 1_060, 1_120, 1_180, 1_240, 1_300], chain.Entries.Select(e => e.Timestamp));
        Assert.True(chain.Verify());
        Assert.False(EntropyChain.Verify(chain.Entries, [9, 8, 6]));

        var tamperedData = chain.Entries.ToList();
        var bytes = (byte[])tamperedData[3].Data.Clone();
        bytes[0] ^= 1;
        tamperedData[3] = tamperedData[3] with { Data = bytes };
        Assert.False(EntropyChain.Verify(tamperedData, Seed));

        var tamperedTime = chain.Entries.ToList();
        tamperedTime[2] = tamperedTime[2] with { Timestamp = tamperedTime[2].Timestamp + 1 };
        Assert.False(EntropyChain.Verify(tamperedTime, Seed));
    }

    [Fact]
    public void AppendRejectsTimeGoingBack()
    {
        var chain = NewChain();
        chain.Append(1_060);
        Assert.Throws<ArgumentOutOfRangeException>(() => chain.Append(1_060));
    }

    [Fact]
    public void ValidityIsInclusiveOver180Seconds()
    {
        var report = new EntropyReport(new byte[32], 1_000, 1);
        Assert.False(report.IsValidAt(999_999));
        Assert.True(report.IsValidAt(1_000_000));
        Assert.True(report.IsValidAt(1_180_000));
        Assert.False(report.IsValidAt(1_180_001));
    }

    [Fact]
    public void FindsTheNewestEntryValidAtATime()
    {
        var chain = NewChain();
        chain.Append(1_060);
        chain.Append(1_120);
        chain.Append(2_000); // a gap: nothing produced between 1_120 and 2_000

        Assert.True(chain.TryGetValidAt(1_059_999, out var first));
        Assert.Equal(1_000, first.Timestamp);
        Assert.True(chain.TryGetValidAt(1_130_000, out var third));
        Assert.Equal(1_120, third.Timestamp);
        Assert.True(chain.TryGetValidAt(1_300_000, out var stillThird));
        Assert.Equal(1_120, stillThird.Timestamp);
        Assert.False(chain.TryGetValidAt(1_300_001, out _));
        Assert.False(chain.TryGetValidAt(999_000, out _));
        Assert.True(chain.TryGetValidAt(2_000_000, out var last));
        Assert.Equal(2_000, last.Timestamp);
    }

    [Fact]
    public void FindsAnEntryByValue()
    {
        var chain = NewChain();
        var appended = chain.Append(1_060);
        Assert.True(chain.TryFind(appended.Data, out var found));
        Assert.Same(appended, found);
        var other = (byte[])appended.Data.Clone();
        other[31] ^= 0xFF; // same 8-byte prefix, different value
        Assert.False(chain.TryFind(other, out _));
        Assert.False(chain.TryFind(new byte[] { 1, 2 }, out _));
    }
}
