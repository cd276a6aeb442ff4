namespace WirelessNet.Testing;

/// <summary>A fresh directory under the system temp directory that is deleted (best effort) on dispose.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    private TemporaryDirectory(string path) => Path = path;

    /// <summary>Full path of the directory.</summary>
    public string Path { get; }

    /// <summary>
    /// Creates a new empty directory whose name starts with <paramref name="prefix"/>, under <paramref name="parent"/>
    /// (default: the system temp directory).
    /// </summary>
    public static TemporaryDirectory Create(string prefix, string? parent = null)
    {
        if (parent is null)
        {
            // Mode 0700: the servers run as the test user and nobody else needs to read their data.
            return new TemporaryDirectory(Directory.CreateTempSubdirectory(prefix).FullName);
        }

        var path = System.IO.Path.Combine(System.IO.Path.GetFullPath(parent), prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new TemporaryDirectory(path);
    }

    /// <summary>Deletes the directory tree; retries briefly because a just-killed server may still be closing files.</summary>
    public void Dispose()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(Path))
                {
                    Directory.Delete(Path, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 4)
            {
                Thread.Sleep(100);
            }
            catch (UnauthorizedAccessException) when (attempt < 4)
            {
                Thread.Sleep(100);
            }
            catch (IOException)
            {
                // Leaving a temp directory behind is not worth failing a test run over.
                return;
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
        }
    }
}
