namespace WirelessNet.Testing;

/// <summary>Why <see cref="ManagedProcess.WaitUntilReadyAsync"/> stopped waiting.</summary>
public enum ReadinessOutcome
{
    /// <summary>The probe succeeded.</summary>
    Ready,

    /// <summary>The process exited before the probe succeeded.</summary>
    Exited,

    /// <summary>The timeout passed with the process still running and the probe still failing.</summary>
    TimedOut,
}

/// <summary>Result of waiting for a started server to answer.</summary>
/// <param name="Outcome">Why the wait ended.</param>
/// <param name="LastProbeError">The last exception message a probe threw, for the error report.</param>
public sealed record ReadinessResult(ReadinessOutcome Outcome, string? LastProbeError);
