using StackExchange.Redis;
using WirelessNet.Lns.Offload;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.Testing;

namespace WirelessNet.Lns.Tests.Offload;

/// <summary>Two handles on one offload store, as two server instances see it.</summary>
internal static class OffloadStorePairs
{
    /// <summary>The same in-memory store twice, on a fixed clock.</summary>
    public static (IOffloadStore First, IOffloadStore Second) InMemory()
    {
        var store = new InMemoryOffloadStore(new FixedTime(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero)));
        return (store, store);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>Two Redis connections, each store on a fresh key prefix shared by both.</summary>
internal sealed class RedisOffloadStorePair(RedisServerFixture redis) : IDisposable
{
    private readonly ConnectionMultiplexer _first = ConnectionMultiplexer.Connect(redis.ConnectionString);
    private readonly ConnectionMultiplexer _second = ConnectionMultiplexer.Connect(redis.ConnectionString);

    public (IOffloadStore First, IOffloadStore Second) Create()
    {
        var options = new RedisStoreOptions { KeyPrefix = "o" + Guid.NewGuid().ToString("N")[..8] };
        return (new RedisOffloadStore(_first, options), new RedisOffloadStore(_second, options));
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }
}
