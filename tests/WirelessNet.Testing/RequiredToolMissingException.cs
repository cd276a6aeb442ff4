namespace WirelessNet.Testing;

/// <summary>
/// Thrown when an infrastructure binary the tests need (redis-server, mosquitto, chromium) is not installed.
/// </summary>
/// <remarks>
/// Integration tests must never skip silently: a missing binary fails the test with a message that names the setup command.
/// </remarks>
public sealed class RequiredToolMissingException : Exception
{
    public RequiredToolMissingException()
    {
    }

    public RequiredToolMissingException(string message)
        : base(message)
    {
    }

    public RequiredToolMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
