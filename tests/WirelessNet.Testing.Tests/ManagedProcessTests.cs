using System.Globalization;

namespace WirelessNet.Testing.Tests;

public sealed class ManagedProcessTests
{
    [Fact]
    public async Task RunAsync_ReturnsExitCodeStdoutAndStderrTail()
    {
        var result = await ManagedProcess.RunAsync("/bin/sh", ["-c", "echo line1; echo line2; echo oops >&2; exit 3"], TimeSpan.FromSeconds(30));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("line1\nline2\n", result.StandardOutput);
        Assert.Equal("oops", result.StandardErrorTail);
    }

    [Fact]
    public async Task RunAsync_OnTimeout_KillsTheWholeTreeAndReportsStderr()
    {
        using var directory = TemporaryDirectory.Create("wirelessnet-test-");
        var pidFile = Path.Combine(directory.Path, "grandchild.pid");

        var exception = await Assert.ThrowsAsync<TimeoutException>(() => ManagedProcess.RunAsync(
            "/bin/sh",
            ["-c", $"echo started >&2; sleep 300 & echo $! > {pidFile}; wait"],
            TimeSpan.FromSeconds(2)));

        Assert.Contains("started", exception.Message, StringComparison.Ordinal);
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        Assert.True(await ProcessProbe.WaitUntilGoneAsync(grandchild, TimeSpan.FromSeconds(5)), "the background sleep survived the timeout");
    }

    [Fact]
    public async Task Dispose_KillsTheWholeTree()
    {
        var process = ManagedProcess.Start("/bin/sh", ["-c", "sleep 300 & echo $!; wait"]);
        var ready = await process.WaitUntilReadyAsync(_ => Task.FromResult(process.StandardOutputTail.Length > 0), TimeSpan.FromSeconds(10));
        Assert.Equal(ReadinessOutcome.Ready, ready.Outcome);
        var grandchild = int.Parse(process.StandardOutputTail.Trim(), CultureInfo.InvariantCulture);
        Assert.True(ProcessProbe.IsAlive(grandchild));

        await process.DisposeAsync();

        Assert.True(await ProcessProbe.WaitUntilGoneAsync(process.Id, TimeSpan.FromSeconds(5)));
        Assert.True(await ProcessProbe.WaitUntilGoneAsync(grandchild, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task StopAsync_SendsSigtermFirst()
    {
        await using var process = ManagedProcess.Start(
            "/bin/sh",
            ["-c", "trap 'echo got-sigterm; exit 0' TERM; echo ready; while true; do sleep 0.1; done"]);
        var ready = await process.WaitUntilReadyAsync(_ => Task.FromResult(process.StandardOutputTail.Contains("ready")), TimeSpan.FromSeconds(10));
        Assert.Equal(ReadinessOutcome.Ready, ready.Outcome);

        var graceful = await process.StopAsync(TimeSpan.FromSeconds(10));

        Assert.True(graceful);
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("got-sigterm", process.StandardOutputTail);
    }

    [Fact]
    public async Task WaitUntilReadyAsync_ReportsEarlyExitWithOutput()
    {
        await using var process = ManagedProcess.Start("/bin/sh", ["-c", "echo fatal: bad config >&2; exit 1"]);

        var result = await process.WaitUntilReadyAsync(_ => Task.FromResult(false), TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync();

        Assert.Equal(ReadinessOutcome.Exited, result.Outcome);
        Assert.Contains("fatal: bad config", process.DescribeOutput());
        Assert.Contains("exit code: 1", process.DescribeOutput());
    }

    [Fact]
    public void Start_MissingExecutable_ThrowsInfrastructureStartException()
    {
        var exception = Assert.Throws<InfrastructureStartException>(() => ManagedProcess.Start("/nonexistent/tool", []));
        Assert.Contains("/nonexistent/tool", exception.Message);
    }
}
