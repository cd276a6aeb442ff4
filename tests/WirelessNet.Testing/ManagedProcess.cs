using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace WirelessNet.Testing;

/// <summary>
/// A child process owned by a test: stdout/stderr are captured (tails for error messages), and the whole
/// process tree is killed on dispose, on timeouts and when the test host exits, so no server is left orphaned.
/// </summary>
public sealed partial class ManagedProcess : IAsyncDisposable, IDisposable
{
    private const int SignalTerminate = 15;

    // Safety net for fixtures that are never disposed (a crashed test run, a cancelled xunit run):
    // every live child is killed when the test host exits normally.
    private static readonly ConcurrentDictionary<ManagedProcess, byte> LiveProcesses = new();

    private readonly Process _process;
    private readonly OutputTail _standardOutputTail;
    private readonly OutputTail _standardErrorTail;
    private readonly StringBuilder? _standardOutput;
    private readonly Lock _standardOutputGate = new();
    private int _disposed;

    static ManagedProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in LiveProcesses.Keys)
            {
                process.Kill();
            }
        };
    }

    private ManagedProcess(Process process, ManagedProcessOptions options)
    {
        _process = process;
        _standardOutputTail = new OutputTail(options.TailLines);
        _standardErrorTail = new OutputTail(options.TailLines);
        _standardOutput = options.CaptureStandardOutput ? new StringBuilder() : null;
    }

    /// <summary>Operating-system process id.</summary>
    public int Id { get; private set; }

    /// <summary>The executable that was started.</summary>
    public string FileName => _process.StartInfo.FileName;

    /// <summary>The command line, for messages.</summary>
    public string CommandLine => string.Join(' ', new[] { FileName }.Concat(_process.StartInfo.ArgumentList.Select(Quote)));

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, or null while the process runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The last lines the process wrote to standard output.</summary>
    public string StandardOutputTail => _standardOutputTail.ToString();

    /// <summary>The last lines the process wrote to standard error.</summary>
    public string StandardErrorTail => _standardErrorTail.ToString();

    /// <summary>
    /// Everything the process wrote to standard output (only with <see cref="ManagedProcessOptions.CaptureStandardOutput"/>).
    /// Complete only after <see cref="WaitForExitAsync(CancellationToken)"/> returned.
    /// </summary>
    public string StandardOutput
    {
        get
        {
            if (_standardOutput is null)
            {
                throw new InvalidOperationException("Standard output was not captured: set ManagedProcessOptions.CaptureStandardOutput.");
            }

            lock (_standardOutputGate)
            {
                return _standardOutput.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> (passed as-is, no shell quoting).</summary>
    public static ManagedProcess Start(string fileName, IEnumerable<string> arguments, ManagedProcessOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        options ??= new ManagedProcessOptions();

        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,

            // The child gets an immediately closed stdin, so it can neither block on nor consume the test host's input.
            RedirectStandardInput = true,
            WorkingDirectory = options.WorkingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in options.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process, options);
        process.OutputDataReceived += (_, e) => managed.OnStandardOutput(e.Data);
        process.ErrorDataReceived += (_, e) => managed.OnStandardError(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            process.Dispose();
            throw new InfrastructureStartException($"Could not start {managed.CommandLine}: {exception.Message}", exception);
        }

        managed.Id = process.Id;
        LiveProcesses.TryAdd(managed, 0);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>
    /// Runs a short-lived command to completion and returns its whole stdout; on timeout or cancellation the process tree
    /// is killed. A timeout throws <see cref="TimeoutException"/> with the stderr tail.
    /// </summary>
    public static async Task<ProcessRunResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        ManagedProcessOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new ManagedProcessOptions();
        var captureOptions = new ManagedProcessOptions
        {
            WorkingDirectory = options.WorkingDirectory,
            Environment = options.Environment,
            TailLines = options.TailLines,
            CaptureStandardOutput = true,
        };

        await using var process = Start(fileName, arguments, captureOptions);
        if (!await process.WaitForExitAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            process.Kill();
            throw new TimeoutException(
                $"{process.CommandLine} did not finish within {timeout.TotalSeconds:0.#} s and was killed.\n{process.DescribeOutput()}");
        }

        return new ProcessRunResult(process._process.ExitCode, process.StandardOutput, process.StandardErrorTail);
    }

    /// <summary>Waits for the process to exit (and its output to be read to the end).</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit; false when it still runs.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Polls <paramref name="probe"/> until it returns true, the process exits, or <paramref name="timeout"/> passes.
    /// Exceptions thrown by the probe count as "not ready yet"; the last one is reported.
    /// </summary>
    public async Task<ReadinessResult> WaitUntilReadyAsync(
        Func<CancellationToken, Task<bool>> probe,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var stopwatch = Stopwatch.StartNew();
        string? lastError = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (HasExited)
            {
                return new ReadinessResult(ReadinessOutcome.Exited, lastError);
            }

            try
            {
                if (await probe(cancellationToken).ConfigureAwait(false))
                {
                    return new ReadinessResult(ReadinessOutcome.Ready, null);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                lastError = $"{exception.GetType().Name}: {exception.Message}";
            }

            if (stopwatch.Elapsed >= timeout)
            {
                return new ReadinessResult(HasExited ? ReadinessOutcome.Exited : ReadinessOutcome.TimedOut, lastError);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends SIGTERM to the process itself (not its children): a graceful shutdown request.</summary>
    public void Terminate()
    {
        if (HasExited)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            // No SIGTERM on Windows; the closest is a hard kill.
            Kill();
            return;
        }

        if (SendSignal(Id, SignalTerminate) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            const int NoSuchProcess = 3;
            if (errno != NoSuchProcess)
            {
                throw new InvalidOperationException($"kill({Id}, SIGTERM) failed with errno {errno}.");
            }
        }
    }

    /// <summary>
    /// Sends SIGTERM and waits up to <paramref name="gracePeriod"/>; then kills the whole tree.
    /// Returns true when the process exited by itself within the grace period.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        if (HasExited)
        {
            return true;
        }

        Terminate();
        if (await WaitForExitAsync(gracePeriod, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>Kills the process and all its descendants (SIGKILL). Never throws.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited, or never started.
        }
        catch (Win32Exception)
        {
            // A descendant vanished between listing and killing it.
        }
        catch (AggregateException)
        {
            // Same race, reported for several descendants at once.
        }
    }

    /// <summary>Exit code and output tails, formatted for an exception message.</summary>
    public string DescribeOutput()
    {
        var exit = ExitCode is { } code ? code.ToString(CultureInfo.InvariantCulture) : "still running";
        return $"command: {CommandLine}\nexit code: {exit}\n--- stdout (tail) ---\n{StandardOutputTail}\n--- stderr (tail) ---\n{StandardErrorTail}";
    }

    /// <summary>Kills the process tree and waits (bounded) for it to be gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        LiveProcesses.TryRemove(this, out _);
        _process.Dispose();
    }

    /// <summary>Kills the process tree and waits (bounded) for it to be gone.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Kill();
        try
        {
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        LiveProcesses.TryRemove(this, out _);
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int processId, int signal);

    private static string Quote(string argument) =>
        argument.Length == 0 || argument.Any(char.IsWhiteSpace) || argument.Contains('"', StringComparison.Ordinal)
            ? "\"" + argument.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : argument;

    private void OnStandardOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        _standardOutputTail.Append(line);
        if (_standardOutput is not null)
        {
            lock (_standardOutputGate)
            {
                _standardOutput.Append(line).Append('\n');
            }
        }
    }

    private void OnStandardError(string? line)
    {
        if (line is not null)
        {
            _standardErrorTail.Append(line);
        }
    }
}
