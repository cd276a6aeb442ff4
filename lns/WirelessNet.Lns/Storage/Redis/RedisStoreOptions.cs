namespace WirelessNet.Lns.Storage.Redis;

/// <summary>Settings of the Redis store, bound from the <c>Redis</c> configuration section.</summary>
public sealed class RedisStoreOptions
{
    public const string Section = "Redis";

    /// <summary>StackExchange.Redis configuration string, e.g. "localhost:6379" or a list of cluster nodes.</summary>
    public string Configuration { get; set; } = "localhost:6379";

    /// <summary>
    /// Prefix of every key, so several deployments (or tests) can share one Redis. Must not contain braces: those
    /// delimit the hash tags that keep a device's keys in one cluster slot.
    /// </summary>
    public string KeyPrefix { get; set; } = "wn";

    /// <summary>Database number; -1 is the connection's default. Redis Cluster has database 0 only.</summary>
    public int Database { get; set; } = -1;
}
