using System.Globalization;

namespace WirelessNet.Testing;

/// <summary>
/// Runs Debian's chromium headless, one fresh browser (fresh profile directory) per call, to dump a page's DOM after its
/// scripts ran or to take a PNG screenshot. The browser's process tree is killed on timeout and cancellation.
/// </summary>
public sealed class HeadlessChromium
{
    /// <param name="executablePath">The chromium binary, e.g. from <see cref="ChromiumLocator.Require"/>.</param>
    public HeadlessChromium(string executablePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executablePath);
        ExecutablePath = executablePath;
    }

    /// <summary>The chromium binary.</summary>
    public string ExecutablePath { get; }

    /// <summary>The serialized DOM of <paramref name="url"/> after the load event (and the virtual time budget, if set).</summary>
    public async Task<string> DumpDomAsync(Uri url, HeadlessChromiumOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        options ??= new HeadlessChromiumOptions();
        using var profile = TemporaryDirectory.Create("wirelessnet-chromium-", options.ProfileParentDirectory);
        var result = await RunAsync(profile, ["--dump-dom", url.AbsoluteUri], options, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || string.IsNullOrWhiteSpace(result.StandardOutput))
        {
            throw new InvalidOperationException(
                $"chromium --dump-dom {url} failed (exit code {result.ExitCode}, {result.StandardOutput.Length} characters of output).\n"
                + $"--- stderr (tail) ---\n{result.StandardErrorTail}");
        }

        return result.StandardOutput;
    }

    /// <summary>Renders <paramref name="url"/> into a PNG file at <paramref name="pngPath"/> (overwritten) and returns its full path.</summary>
    public async Task<string> ScreenshotAsync(Uri url, string pngPath, HeadlessChromiumOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrWhiteSpace(pngPath);
        options ??= new HeadlessChromiumOptions();
        var fullPath = Path.GetFullPath(pngPath);
        File.Delete(fullPath);

        using var profile = TemporaryDirectory.Create("wirelessnet-chromium-", options.ProfileParentDirectory);
        var result = await RunAsync(profile, [$"--screenshot={fullPath}", url.AbsoluteUri], options, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || !File.Exists(fullPath) || new FileInfo(fullPath).Length == 0)
        {
            throw new InvalidOperationException(
                $"chromium --screenshot of {url} did not produce {fullPath} (exit code {result.ExitCode}).\n"
                + $"--- stderr (tail) ---\n{result.StandardErrorTail}");
        }

        return fullPath;
    }

    private async Task<ProcessRunResult> RunAsync(
        TemporaryDirectory profile,
        IEnumerable<string> action,
        HeadlessChromiumOptions options,
        CancellationToken cancellationToken)
    {
        List<string> arguments =
        [
            "--headless",

            // Tests run as root in containers, where chromium's sandbox cannot start.
            "--no-sandbox",
            "--disable-gpu",

            // Keep the browser quiet on the network: the only traffic is to the page under test (loopback).
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--mute-audio",

            // A fresh profile per run: no state leaks between tests, and parallel runs do not fight over a profile lock.
            $"--user-data-dir={profile.Path}",
            string.Create(CultureInfo.InvariantCulture, $"--window-size={options.WindowWidth},{options.WindowHeight}"),
        ];
        if (options.VirtualTimeBudget is { } budget)
        {
            arguments.Add(string.Create(CultureInfo.InvariantCulture, $"--virtual-time-budget={(long)budget.TotalMilliseconds}"));
        }

        arguments.AddRange(options.ExtraArguments);
        arguments.AddRange(action);

        // HOME and XDG point into the profile, so chromium writes nothing into the real home directory. TMPDIR is a
        // separate short directory in the system temp directory: chromium puts its singleton Unix socket there, whose
        // path must stay under 108 bytes; it is deleted after the run even when the browser was killed.
        using var temp = TemporaryDirectory.Create("wn-chromium-");
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = profile.Path,
            ["TMPDIR"] = temp.Path,
            ["XDG_CONFIG_HOME"] = Path.Combine(profile.Path, ".config"),
            ["XDG_CACHE_HOME"] = Path.Combine(profile.Path, ".cache"),
        };
        return await ManagedProcess.RunAsync(
                ExecutablePath,
                arguments,
                options.Timeout,
                new ManagedProcessOptions { Environment = environment },
                cancellationToken)
            .ConfigureAwait(false);
    }
}
