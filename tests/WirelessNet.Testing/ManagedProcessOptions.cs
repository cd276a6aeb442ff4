namespace WirelessNet.Testing;

/// <summary>How <see cref="ManagedProcess"/> starts a child process.</summary>
public sealed class ManagedProcessOptions
{
    /// <summary>Working directory of the child; null keeps the test process's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Environment variables to set (a null value removes the variable) on top of the test process's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Keep the whole standard output (e.g. chromium's --dump-dom), not only its tail.</summary>
    public bool CaptureStandardOutput { get; init; }

    /// <summary>How many of the last lines of stdout and stderr are kept for error messages.</summary>
    public int TailLines { get; init; } = 200;
}
