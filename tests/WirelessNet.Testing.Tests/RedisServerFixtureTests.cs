using StackExchange.Redis;

namespace WirelessNet.Testing.Tests;

public sealed class RedisServerFixtureTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task SetAndGet_ThroughStackExchangeRedis()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var database = connection.GetDatabase();

        await database.StringSetAsync("fixture:greeting", "hello");

        Assert.Equal("hello", (string?)await database.StringGetAsync("fixture:greeting"));
        Assert.Equal($"127.0.0.1:{redis.Port}", redis.ConnectionString);
        Assert.Equal("127.0.0.1", redis.Host);
    }

    [Fact]
    public async Task Server_RunsWithTheRequestedDurabilitySettings()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        var server = connection.GetServer(redis.ConnectionString);

        var config = (await server.ConfigGetAsync("*")).ToDictionary(pair => pair.Key, pair => pair.Value);

        Assert.Equal("yes", config["appendonly"]);
        Assert.Equal("everysec", config["appendfsync"]);
        Assert.Equal(string.Empty, config["save"]);
        Assert.Equal("yes", config["protected-mode"]);
        Assert.Equal("127.0.0.1", config["bind"]);
        Assert.Equal(redis.Server.DataDirectory, config["dir"]);
    }

    [Fact]
    public async Task FlushAsync_RemovesEveryKey()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var database = connection.GetDatabase();
        await database.StringSetAsync("fixture:flush-me", "1");
        await connection.GetDatabase(3).StringSetAsync("fixture:flush-me-too", "1");

        await redis.FlushAsync();

        Assert.False(await database.KeyExistsAsync("fixture:flush-me"));
        Assert.False(await connection.GetDatabase(3).KeyExistsAsync("fixture:flush-me-too"));
    }

    [Fact]
    public async Task RestartAsync_Graceful_KeepsData_EvenWithEverysecFsync()
    {
        // SIGTERM makes Redis fsync the AOF before exiting, so a graceful restart loses nothing even with everysec.
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            await connection.GetDatabase().StringSetAsync("fixture:graceful", "kept");
        }

        var port = redis.Port;
        await redis.RestartAsync(ServerStopMode.Graceful);

        Assert.Equal(port, redis.Port);
        await using var again = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        Assert.Equal("kept", (string?)await again.GetDatabase().StringGetAsync("fixture:graceful"));
    }
}
