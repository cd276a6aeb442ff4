namespace WirelessNet.Testing;

/// <summary>
/// Thrown when an infrastructure process was found but did not start or did not become ready in time.
/// The message carries the tail of the process's output so the cause is visible in the test report.
/// </summary>
public sealed class InfrastructureStartException : Exception
{
    public InfrastructureStartException()
    {
    }

    public InfrastructureStartException(string message)
        : base(message)
    {
    }

    public InfrastructureStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
