using StackExchange.Redis;
using WirelessNet.Testing;

namespace WirelessNet.Lns.Tests.Storage;

/// <summary>
/// A real redis-server (from <see cref="RedisServerFixture"/>) and one connection to it, shared by the Redis store
/// tests. Tests isolate themselves with a key prefix of their own instead of flushing, so they may run in any order.
/// </summary>
public sealed class RedisStoreFixture : RedisServerFixture, IAsyncLifetime
{
    private ConnectionMultiplexer? _connection;

    public IConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("The Redis store fixture has not been initialized.");

    // Re-implemented (the base methods are not virtual) to connect after the server is up and close before it stops.
    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await DisposeAsync();
    }
}

/// <summary>The Redis store test classes share one server; xunit runs the classes of a collection one after another.</summary>
[CollectionDefinition(Name)]
public sealed class RedisStoreCollection : ICollectionFixture<RedisStoreFixture>
{
    public const string Name = "Redis store";
}
