using System.Globalization;
using System.Net.Sockets;

namespace WirelessNet.Testing;

/// <summary>
/// A real redis-server on 127.0.0.1 with its own temporary data directory and the append-only file on,
/// for integration and durability tests ("Redis restarts mid-run").
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly RedisServerOptions _options;
    private readonly TemporaryDirectory _dataDirectory;
    private readonly ServerProcessHost _host;

    private RedisServer(RedisServerOptions options, string executable, TemporaryDirectory dataDirectory)
    {
        _options = options;
        _dataDirectory = dataDirectory;
        _host = new ServerProcessHost(
            "redis-server",
            executable,
            dataDirectory.Path,
            BuildArguments,
            (port, ct) => PingPortAsync(port, ct),
            options.StartupTimeout,
            options.StopGracePeriod);
    }

    /// <summary>Always 127.0.0.1: test servers never listen beyond loopback.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The TCP port; it stays the same across restarts.</summary>
    public int Port => _host.Port;

    /// <summary>"127.0.0.1:PORT", usable as a StackExchange.Redis configuration string.</summary>
    public string ConnectionString => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The server's working directory (the AOF lives in its appendonlydir/); deleted on dispose.</summary>
    public string DataDirectory => _dataDirectory.Path;

    /// <summary>True while the server process runs.</summary>
    public bool IsRunning => _host.IsRunning;

    /// <summary>Process id of the current server process (changes on restart).</summary>
    public int ProcessId => _host.ProcessId;

    /// <summary>
    /// Starts a new server on a free port and waits until it answers PING.
    /// Throws <see cref="RequiredToolMissingException"/> when redis-server is not installed and
    /// <see cref="InfrastructureStartException"/> (with the server's output tail) when it does not come up.
    /// </summary>
    public static async Task<RedisServer> StartNewAsync(RedisServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RedisServerOptions();
        var executable = ExecutableLocator.Require("redis-server", "redis-server", options.ExecutablePath);
        var server = new RedisServer(options, executable, TemporaryDirectory.Create("wirelessnet-redis-"));
        try
        {
            await server._host.StartOnFreePortAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the server; port and data directory are kept for <see cref="StartAsync"/>.</summary>
    public Task StopAsync(ServerStopMode mode = ServerStopMode.Graceful, CancellationToken cancellationToken = default) =>
        _host.StopAsync(mode, cancellationToken);

    /// <summary>Starts a stopped server again on the same port and data directory (it replays its AOF) and waits for PING.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _host.StartAsync(cancellationToken);

    /// <summary>Stops the server (SIGTERM, or SIGKILL with <see cref="ServerStopMode.Kill"/>) and starts it again on the same port and data directory.</summary>
    public Task RestartAsync(ServerStopMode mode = ServerStopMode.Graceful, CancellationToken cancellationToken = default) =>
        _host.RestartAsync(mode, cancellationToken);

    /// <summary>Deletes every key in every database (FLUSHALL SYNC).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var reply = await RespCommand.SendAsync(Port, TimeSpan.FromSeconds(10), cancellationToken, "FLUSHALL", "SYNC").ConfigureAwait(false);
        if (reply != "+OK")
        {
            throw new InvalidOperationException($"FLUSHALL on {ConnectionString} answered '{reply}'.");
        }
    }

    /// <summary>True when the server answers PING with PONG (false while it is down or still loading its AOF).</summary>
    public Task<bool> PingAsync(CancellationToken cancellationToken = default) => PingPortAsync(Port, cancellationToken);

    /// <summary>Exit code, command line and output tails of the current (or last) server process, for diagnostics.</summary>
    public string DescribeOutput() => _host.DescribeOutput();

    /// <summary>Kills the server and deletes its data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
        _dataDirectory.Dispose();
    }

    private static async Task<bool> PingPortAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            // While replaying the AOF Redis answers "-LOADING ...": not ready yet.
            return await RespCommand.SendAsync(port, TimeSpan.FromSeconds(2), cancellationToken, "PING").ConfigureAwait(false) == "+PONG";
        }
        catch (Exception exception) when (exception is IOException or SocketException
                                               || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private List<string> BuildArguments(int port)
    {
        var fsync = _options.AppendFsync switch
        {
            RedisAppendFsync.Always => "always",
            RedisAppendFsync.No => "no",
            _ => "everysec",
        };
        List<string> arguments =
        [
            "--bind", "127.0.0.1",
            "--port", port.ToString(CultureInfo.InvariantCulture),

            // No RDB snapshots: durability comes from the AOF alone, as in production.
            "--save", string.Empty,
            "--appendonly", "yes",
            "--appendfsync", fsync,
            "--protected-mode", "yes",
            "--dir", DataDirectory,
            "--daemonize", "no",

            // Log to stdout, so startup failures appear in the captured tail.
            "--logfile", string.Empty,
        ];
        arguments.AddRange(_options.ExtraArguments);
        return arguments;
    }
}
