namespace WirelessNet.Testing;

/// <summary>Settings for one headless chromium run.</summary>
public sealed class HeadlessChromiumOptions
{
    /// <summary>The whole run, browser start to exit; the process tree is killed when it passes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Viewport width in CSS pixels.</summary>
    public int WindowWidth { get; init; } = 1200;

    /// <summary>Viewport height in CSS pixels.</summary>
    public int WindowHeight { get; init; } = 800;

    /// <summary>
    /// When set, chromium lets the page run for this much virtual time (timers, fetches) before dumping or capturing;
    /// needed for pages that render after a delay or after fetching data. Null: capture right after the load event.
    /// </summary>
    public TimeSpan? VirtualTimeBudget { get; init; }

    /// <summary>
    /// Where the fresh per-run profile directory is created (default: the system temp directory). It is deleted after
    /// the run either way; a test can point this at its own directory to tell its browser processes from others'.
    /// </summary>
    public string? ProfileParentDirectory { get; init; }

    /// <summary>Extra chromium flags (e.g. "--force-device-scale-factor=2").</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}
