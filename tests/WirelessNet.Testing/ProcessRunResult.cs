namespace WirelessNet.Testing;

/// <summary>Outcome of a short-lived process run by <see cref="ManagedProcess.RunAsync"/>.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="StandardOutput">The whole standard output.</param>
/// <param name="StandardErrorTail">The last lines of standard error.</param>
public sealed record ProcessRunResult(int ExitCode, string StandardOutput, string StandardErrorTail);
