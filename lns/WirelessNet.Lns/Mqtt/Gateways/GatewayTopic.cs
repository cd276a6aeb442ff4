using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Mqtt.Gateways;

/// <summary>The three topic families of ChirpStack Gateway Bridge v4.</summary>
public enum GatewayTopicKind
{
    /// <summary><c>{prefix}/gateway/{id}/event/{type}</c>: up, stats, ack (and exec, raw, mesh, which we do not handle).</summary>
    Event,

    /// <summary><c>{prefix}/gateway/{id}/state/{type}</c>: conn (retained).</summary>
    State,

    /// <summary><c>{prefix}/gateway/{id}/command/{type}</c>: down, config, exec, raw.</summary>
    Command,
}

/// <summary>A parsed gateway topic.</summary>
public readonly record struct GatewayTopic(string Prefix, Eui64 GatewayId, GatewayTopicKind Kind, string Type);

/// <summary>The topic types this server understands.</summary>
public static class GatewayTopicTypes
{
    public const string Uplink = "up";
    public const string Stats = "stats";
    public const string TxAck = "ack";
    public const string ConnState = "conn";
    public const string Downlink = "down";
}
