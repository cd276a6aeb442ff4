namespace WirelessNet.Lns.Mqtt.Gateways;

/// <summary>The server's connection to the MQTT broker the gateway bridges publish to (configuration section <c>Mqtt:Gateway</c>).</summary>
public sealed class MqttGatewayOptions
{
    public const string SectionName = "Mqtt:Gateway";

    /// <summary>Set false to run without the MQTT gateway bridge (e.g. Helium-only deployments).</summary>
    public bool Enabled { get; set; } = true;

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    public bool UseTls { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Default: <c>wirelessnet-lns-{random}</c>; it must be unique per server instance.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Region configuration ids the bridges use as topic prefix (e.g. <c>eu868</c>, <c>us915_0</c>). Empty means
    /// <c>["eu868"]</c>; it is not pre-filled because configuration binding appends to a list instead of replacing it.
    /// </summary>
    public IList<string> TopicPrefixes { get; } = new List<string>();

    /// <summary>
    /// Shared-subscription group (<c>$share/{group}/…</c>) used when the broker supports shared subscriptions, so
    /// several server instances split the traffic. Empty disables shared subscriptions.
    /// </summary>
    public string SharedSubscriptionGroup { get; set; } = "wirelessnet";

    /// <summary>QoS of subscriptions and of published commands and events: 0 or 1.</summary>
    public int Qos { get; set; }

    /// <summary>First wait after a failed connection; doubled on each further failure up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The prefixes in effect: <see cref="TopicPrefixes"/>, or <c>eu868</c> when none is configured.</summary>
    public IReadOnlyList<string> EffectiveTopicPrefixes =>
        TopicPrefixes.Count == 0 ? [GatewayTopics.DefaultPrefix] : [.. TopicPrefixes];
}
