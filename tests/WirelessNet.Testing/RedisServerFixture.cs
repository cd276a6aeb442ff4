using Xunit;

namespace WirelessNet.Testing;

/// <summary>
/// xunit fixture (class or collection) that starts a real redis-server on a free loopback port.
/// Use the public parameterless constructor in <c>IClassFixture&lt;RedisServerFixture&gt;</c> or a
/// <c>[CollectionDefinition]</c>; derive and call the protected constructor for other settings
/// (xunit fixtures may only have one public constructor, hence the class is not sealed).
/// </summary>
public class RedisServerFixture : IAsyncLifetime
{
    private readonly RedisServerOptions _options;
    private RedisServer? _server;

    /// <summary>Default settings: AOF with appendfsync everysec, as in production.</summary>
    public RedisServerFixture()
        : this(new RedisServerOptions())
    {
    }

    /// <summary>For derived fixtures with other settings (e.g. appendfsync always).</summary>
    protected RedisServerFixture(RedisServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The running server.</summary>
    public RedisServer Server => _server ?? throw new InvalidOperationException("The Redis fixture has not been initialized.");

    /// <summary>"127.0.0.1:PORT".</summary>
    public string ConnectionString => Server.ConnectionString;

    /// <summary>Always 127.0.0.1.</summary>
    public string Host => Server.Host;

    /// <summary>The server's port (unchanged across restarts).</summary>
    public int Port => Server.Port;

    /// <summary>Stops and starts the server on the same port and data directory.</summary>
    public Task RestartAsync(ServerStopMode mode = ServerStopMode.Graceful, CancellationToken cancellationToken = default) =>
        Server.RestartAsync(mode, cancellationToken);

    /// <summary>Stops the server, keeping port and data for <see cref="StartAsync"/>.</summary>
    public Task StopAsync(ServerStopMode mode = ServerStopMode.Graceful, CancellationToken cancellationToken = default) =>
        Server.StopAsync(mode, cancellationToken);

    /// <summary>Starts a stopped server again.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => Server.StartAsync(cancellationToken);

    /// <summary>Deletes every key (FLUSHALL), e.g. between tests sharing the fixture.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => Server.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await RedisServer.StartNewAsync(_options).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }
}
