namespace WirelessNet.Testing;

/// <summary>Finds Debian's chromium for headless page tests.</summary>
public static class ChromiumLocator
{
    /// <summary>Names tried in PATH (and the sbin/bin directories), in order.</summary>
    public static IReadOnlyList<string> CandidateNames { get; } = ["chromium", "chromium-browser"];

    /// <summary>The chromium executable (/usr/bin/chromium on Debian), or null when it is not installed.</summary>
    public static string? Find()
    {
        const string DebianPath = "/usr/bin/chromium";
        if (ExecutableLocator.Find(DebianPath) is { } debian)
        {
            return debian;
        }

        return CandidateNames.Select(ExecutableLocator.Find).FirstOrDefault(path => path is not null);
    }

    /// <summary>The chromium executable; throws <see cref="RequiredToolMissingException"/> naming the setup command when missing.</summary>
    public static string Require() =>
        Find() ?? throw new RequiredToolMissingException(
            "chromium not found (looked for /usr/bin/chromium and chromium/chromium-browser in PATH): "
            + "run scripts/test.sh (it installs it: apt-get install chromium)");

    /// <summary>A <see cref="HeadlessChromium"/> for the located executable (throws when it is missing).</summary>
    public static HeadlessChromium CreateHeadless() => new(Require());
}
