namespace WirelessNet.Testing;

/// <summary>
/// Finds executables in PATH and in the sbin directories, which are often missing from PATH
/// (Debian installs mosquitto as /usr/sbin/mosquitto).
/// </summary>
public static class ExecutableLocator
{
    /// <summary>Directories searched after PATH.</summary>
    public static IReadOnlyList<string> ExtraDirectories { get; } = ["/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/usr/local/bin"];

    /// <summary>The full path of <paramref name="name"/>, or null when it is not installed.</summary>
    public static string? Find(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (Path.IsPathRooted(name))
        {
            return IsExecutableFile(name) ? name : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var directories = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories);
        foreach (var directory in directories.Distinct(StringComparer.Ordinal))
        {
            var candidate = Path.Combine(directory, name);
            if (IsExecutableFile(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The full path of <paramref name="name"/> (or <paramref name="explicitPath"/> when given);
    /// throws <see cref="RequiredToolMissingException"/> naming the setup command when it is not installed.
    /// </summary>
    public static string Require(string name, string aptPackage, string? explicitPath = null)
    {
        var found = Find(explicitPath ?? name);
        if (found is not null)
        {
            return found;
        }

        var where = explicitPath is null
            ? $"in PATH or {string.Join(", ", ExtraDirectories)}"
            : $"at {explicitPath}";
        throw new RequiredToolMissingException(
            $"{name} not found ({where}): run scripts/test.sh (it installs it: apt-get install {aptPackage})");
    }

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
