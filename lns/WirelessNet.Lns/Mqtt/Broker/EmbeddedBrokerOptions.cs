namespace WirelessNet.Lns.Mqtt.Broker;

/// <summary>The in-process MQTT broker for small deployments and development (configuration section <c>Mqtt:Broker</c>).</summary>
public sealed class EmbeddedBrokerOptions
{
    public const string SectionName = "Mqtt:Broker";

    /// <summary>Off by default: production deployments run a real broker (mosquitto, EMQX) next to the server.</summary>
    public bool Enabled { get; set; }

    /// <summary>The address to listen on: an IPv4 or IPv6 address, or <c>localhost</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    /// <summary>When set, every client (gateway bridges and this server's own connection) must log in with these credentials.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }
}
