using StackExchange.Redis;

namespace WirelessNet.Testing.Tests;

/// <summary>Fixture pattern for later durability tests: derive, pass options to the protected constructor.</summary>
public sealed class AlwaysFsyncRedisFixture() : RedisServerFixture(new RedisServerOptions { AppendFsync = RedisAppendFsync.Always });

public sealed class RedisServerLifecycleTests(AlwaysFsyncRedisFixture redis) : IClassFixture<AlwaysFsyncRedisFixture>
{
    private static readonly RedisServerOptions AlwaysFsync = new() { AppendFsync = RedisAppendFsync.Always };

    [Theory]
    [InlineData(ServerStopMode.Graceful)]
    [InlineData(ServerStopMode.Kill)]
    public async Task RestartAsync_KeepsAppendOnlyFileData_OnTheSamePort(ServerStopMode mode)
    {
        await using var server = await RedisServer.StartNewAsync(AlwaysFsync);
        var port = server.Port;
        var firstProcess = server.ProcessId;
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
        {
            await connection.GetDatabase().StringSetAsync("durable:key", "survives");
            await connection.GetDatabase().HashSetAsync("durable:hash", "field", 42);
        }

        await server.RestartAsync(mode);

        Assert.Equal(port, server.Port);
        Assert.NotEqual(firstProcess, server.ProcessId);
        Assert.False(ProcessProbe.IsAlive(firstProcess));
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
        {
            Assert.Equal("survives", (string?)await connection.GetDatabase().StringGetAsync("durable:key"));
            Assert.Equal(42, (int)await connection.GetDatabase().HashGetAsync("durable:hash", "field"));
        }
    }

    [Fact]
    public async Task StopThenStart_ServerIsDownInBetween_AndDataComesBack()
    {
        await using var server = await RedisServer.StartNewAsync(AlwaysFsync);
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
        {
            await connection.GetDatabase().StringSetAsync("down:key", "v");
        }

        await server.StopAsync();
        Assert.False(server.IsRunning);
        Assert.False(await server.PingAsync());

        await server.StartAsync();
        Assert.True(server.IsRunning);
        Assert.True(await server.PingAsync());
        await using var again = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        Assert.Equal("v", (string?)await again.GetDatabase().StringGetAsync("down:key"));
    }

    [Fact]
    public async Task FixtureRestart_ExistingMultiplexerReconnects()
    {
        // The "Redis restarts mid-run" scenario: a long-lived client must recover by itself once the server is back.
        var options = ConfigurationOptions.Parse(redis.ConnectionString);
        options.AbortOnConnectFail = false;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var database = connection.GetDatabase();
        await database.StringSetAsync("fixture:mid-run", "before");

        await redis.RestartAsync(ServerStopMode.Kill);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string? value = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                value = await database.StringGetAsync("fixture:mid-run");
                break;
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(200);
            }
            catch (RedisTimeoutException)
            {
                await Task.Delay(200);
            }
        }

        Assert.Equal("before", value);
    }

    [Fact]
    public async Task DisposeAsync_KillsTheServerAndDeletesItsDirectory()
    {
        var server = await RedisServer.StartNewAsync();
        var processId = server.ProcessId;
        var directory = server.DataDirectory;
        Assert.True(Directory.Exists(Path.Combine(directory, "appendonlydir")));

        await server.DisposeAsync();

        Assert.True(await ProcessProbe.WaitUntilGoneAsync(processId, TimeSpan.FromSeconds(5)));
        Assert.False(Directory.Exists(directory));
        Assert.False(await FreeTcpPort.CanConnectAsync(server.Port, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task MissingBinary_FailsWithTheSetupCommand()
    {
        var exception = await Assert.ThrowsAsync<RequiredToolMissingException>(
            () => RedisServer.StartNewAsync(new RedisServerOptions { ExecutablePath = "/nonexistent/redis-server" }));

        Assert.Contains("redis-server not found", exception.Message);
        Assert.Contains("scripts/test.sh", exception.Message);
        Assert.Contains("apt-get install redis-server", exception.Message);
    }

    [Fact]
    public async Task StartupFailure_ReportsTheServersOwnOutput()
    {
        var exception = await Assert.ThrowsAsync<InfrastructureStartException>(
            () => RedisServer.StartNewAsync(new RedisServerOptions { ExtraArguments = ["--no-such-directive", "1"] }));

        Assert.Contains("redis-server failed to start", exception.Message);
        Assert.Contains("no-such-directive", exception.Message);
    }
}
