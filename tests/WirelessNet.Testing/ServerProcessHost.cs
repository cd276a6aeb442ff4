using System.Globalization;

namespace WirelessNet.Testing;

/// <summary>
/// The lifecycle shared by the loopback servers: start on a free port (retrying when another process takes it first),
/// wait for a readiness probe, stop gracefully or by SIGKILL, start again on the same port, and kill on dispose.
/// </summary>
internal sealed class ServerProcessHost : IAsyncDisposable
{
    private const int MaxFreePortAttempts = 5;
    private const int MaxSamePortAttempts = 10;

    private readonly string _displayName;
    private readonly string _executable;
    private readonly string _workingDirectory;
    private readonly Func<int, IReadOnlyList<string>> _argumentsForPort;
    private readonly Func<int, CancellationToken, Task<bool>> _probe;
    private readonly TimeSpan _startupTimeout;
    private readonly TimeSpan _stopGracePeriod;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private ManagedProcess? _process;
    private ReadinessResult? _lastReadiness;
    private bool _disposed;

    /// <param name="displayName">Name used in error messages, e.g. "redis-server".</param>
    /// <param name="executable">Full path of the server binary.</param>
    /// <param name="workingDirectory">The server's working directory.</param>
    /// <param name="argumentsForPort">Command line for a port (may write a config file for that port).</param>
    /// <param name="probe">True when the server on the port is ready; exceptions count as "not yet".</param>
    /// <param name="startupTimeout">How long to wait for the probe after each start.</param>
    /// <param name="stopGracePeriod">How long a graceful stop may take before SIGKILL.</param>
    public ServerProcessHost(
        string displayName,
        string executable,
        string workingDirectory,
        Func<int, IReadOnlyList<string>> argumentsForPort,
        Func<int, CancellationToken, Task<bool>> probe,
        TimeSpan startupTimeout,
        TimeSpan stopGracePeriod)
    {
        _displayName = displayName;
        _executable = executable;
        _workingDirectory = workingDirectory;
        _argumentsForPort = argumentsForPort;
        _probe = probe;
        _startupTimeout = startupTimeout;
        _stopGracePeriod = stopGracePeriod;
    }

    public int Port { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    public int ProcessId => IsRunning ? _process!.Id : throw new InvalidOperationException($"{_displayName} is not running.");

    public string DescribeOutput() => _process?.DescribeOutput() ?? $"{_displayName} was never started.";

    public async Task StartOnFreePortAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var attempt = 1; ; attempt++)
            {
                Port = FreeTcpPort.Pick();
                var outcome = await TryStartAsync(cancellationToken).ConfigureAwait(false);
                if (outcome == StartOutcome.Started)
                {
                    return;
                }

                // Another process took the port between picking and binding it: pick another one.
                if (outcome != StartOutcome.PortTaken || attempt >= MaxFreePortAttempts)
                {
                    throw StartFailure(outcome);
                }
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!IsRunning)
            {
                await StartOnSamePortAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async Task StopAsync(ServerStopMode mode, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await StopCoreAsync(mode, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async Task RestartAsync(ServerStopMode mode, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await StopCoreAsync(mode, cancellationToken).ConfigureAwait(false);
            await StartOnSamePortAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_process is not null)
            {
                await _process.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // The semaphore is not disposed: it has no wait handle to release, and a repeated DisposeAsync must still work.
            _lifecycle.Release();
        }
    }

    private async Task StopCoreAsync(ServerStopMode mode, CancellationToken cancellationToken)
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        if (mode == ServerStopMode.Kill)
        {
            _process.Kill();
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _process.StopAsync(_stopGracePeriod, cancellationToken).ConfigureAwait(false);
        }

        // The exited process is kept until the next start replaces it, so DescribeOutput() still shows its last words.
    }

    private async Task StartOnSamePortAsync(CancellationToken cancellationToken)
    {
        // A restart must keep the port (clients reconnect to it), so "address in use" is retried on the same port
        // for a few seconds instead of moving to another one.
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await TryStartAsync(cancellationToken).ConfigureAwait(false);
            if (outcome == StartOutcome.Started)
            {
                return;
            }

            if (outcome != StartOutcome.PortTaken || attempt >= MaxSamePortAttempts)
            {
                throw StartFailure(outcome);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<StartOutcome> TryStartAsync(CancellationToken cancellationToken)
    {
        if (_process is not null)
        {
            await _process.DisposeAsync().ConfigureAwait(false);
            _process = null;
        }

        var port = Port;
        _process = ManagedProcess.Start(_executable, _argumentsForPort(port), new ManagedProcessOptions { WorkingDirectory = _workingDirectory });
        try
        {
            _lastReadiness = await _process
                .WaitUntilReadyAsync(ct => _probe(port, ct), _startupTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            throw;
        }

        return _lastReadiness.Outcome switch
        {
            ReadinessOutcome.Ready => StartOutcome.Started,
            ReadinessOutcome.Exited when MentionsAddressInUse(_process) => StartOutcome.PortTaken,
            ReadinessOutcome.Exited => StartOutcome.Exited,
            _ => StartOutcome.TimedOut,
        };
    }

    private InfrastructureStartException StartFailure(StartOutcome outcome)
    {
        var reason = outcome switch
        {
            StartOutcome.PortTaken => $"port {Port} stayed in use",
            StartOutcome.Exited => "the process exited",
            _ => string.Create(CultureInfo.InvariantCulture, $"not ready within {_startupTimeout.TotalSeconds:0.#} s"),
        };
        var probe = _lastReadiness?.LastProbeError is { } error ? $"\nlast readiness probe error: {error}" : string.Empty;
        var message = $"{_displayName} failed to start on 127.0.0.1:{Port} ({reason}).{probe}\n{_process?.DescribeOutput()}";

        // Never leave a half-started server behind.
        _process?.Kill();
        return new InfrastructureStartException(message);
    }

    private static bool MentionsAddressInUse(ManagedProcess process) =>
        process.StandardOutputTail.Contains("Address already in use", StringComparison.Ordinal)
        || process.StandardErrorTail.Contains("Address already in use", StringComparison.Ordinal);

    private enum StartOutcome
    {
        Started,
        PortTaken,
        Exited,
        TimedOut,
    }
}
