namespace WirelessNet.Testing;

/// <summary>How a test server (redis-server, mosquitto) is stopped.</summary>
public enum ServerStopMode
{
    /// <summary>SIGTERM: the server shuts down cleanly (Redis flushes its AOF); killed if it exceeds the grace period.</summary>
    Graceful,

    /// <summary>SIGKILL: a crash; only what the server had already made durable survives.</summary>
    Kill,
}
