namespace WirelessNet.Testing;

/// <summary>How often redis-server fsyncs its append-only file.</summary>
public enum RedisAppendFsync
{
    /// <summary>Once a second (the production setting): up to ~1 s of writes can be lost on a crash.</summary>
    EverySecond,

    /// <summary>After every write: nothing acknowledged is lost, even on SIGKILL. Use for deterministic durability tests.</summary>
    Always,

    /// <summary>Leave flushing to the operating system.</summary>
    No,
}

/// <summary>Settings for a test redis-server.</summary>
public sealed class RedisServerOptions
{
    /// <summary>appendfsync policy; the AOF itself is always on.</summary>
    public RedisAppendFsync AppendFsync { get; init; } = RedisAppendFsync.EverySecond;

    /// <summary>Full path of redis-server; null searches PATH and the sbin directories.</summary>
    public string? ExecutablePath { get; init; }

    /// <summary>How long to wait for the server to answer PING after each start.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a graceful stop may take before the server is killed.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra command-line arguments appended after the fixture's own (e.g. "--maxmemory", "64mb").</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}
