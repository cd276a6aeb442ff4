namespace WirelessNet.Testing;

/// <summary>Settings for a test mosquitto broker.</summary>
public sealed class MosquittoOptions
{
    /// <summary>Full path of mosquitto; null searches PATH and the sbin directories (Debian: /usr/sbin/mosquitto).</summary>
    public string? ExecutablePath { get; init; }

    /// <summary>
    /// Users allowed to connect (user name → password). Empty: anonymous clients are allowed.
    /// Non-empty: anonymous clients are refused and a hashed password file is generated with mosquitto_passwd.
    /// </summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra mosquitto.conf lines appended after the fixture's own (e.g. "max_inflight_messages 10").</summary>
    public IReadOnlyList<string> ExtraConfigLines { get; init; } = [];

    /// <summary>How long to wait for the broker to accept an MQTT connection after each start.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a graceful stop may take before the broker is killed.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(5);
}
