using Microsoft.Extensions.Logging;

namespace WirelessNet.Lns.Mqtt;

/// <summary>The MQTT adapters' log messages (source-generated: no formatting cost when the level is off).</summary>
internal static partial class MqttLog
{
    /// <summary>
    /// Counts and logs a rejection. CRC failures (radio noise a bridge may forward) and event types this server does not
    /// handle (mesh, exec, raw) are routine and logged at Debug so that they cannot flood the log; everything else is a
    /// misconfigured or misbehaving client: Warning.
    /// </summary>
    public static void Report(ILogger logger, MqttMetrics metrics, string topic, MqttRejection rejection)
    {
        metrics.Rejected(rejection.Reason);
        if (rejection.Reason is MqttRejectReasons.BadCrc or MqttRejectReasons.NoCrc or MqttRejectReasons.UnsupportedTopic)
        {
            RejectedRoutine(logger, topic, rejection.Reason, rejection.Detail);
        }
        else
        {
            Rejected(logger, topic, rejection.Reason, rejection.Detail);
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Host}:{Port} (authentication {Authentication})")]
    public static partial void BrokerStarted(ILogger logger, string host, int port, string authentication);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Embedded MQTT broker stopped")]
    public static partial void BrokerStopped(ILogger logger);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Embedded MQTT broker disabled")]
    public static partial void BrokerDisabled(ILogger logger);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Embedded MQTT broker refused client {ClientId}: bad user name or password")]
    public static partial void BrokerRefusedClient(ILogger logger, string clientId);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Embedded MQTT broker listens on {Host} without authentication: any host that can reach it can impersonate gateways")]
    public static partial void BrokerUnauthenticated(ILogger logger, string host);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "Connected to MQTT broker {Host}:{Port} as {ClientId} (MQTT {ProtocolVersion}, shared subscriptions {SharedSubscriptions})")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId, string protocolVersion, bool sharedSubscriptions);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Connecting to MQTT broker {Host}:{Port} failed; retrying in {Delay}")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, TimeSpan delay, Exception? exception);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "Disconnected from MQTT broker ({Reason})")]
    public static partial void Disconnected(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Information, Message = "Subscribed to {TopicFilter} (granted {Result})")]
    public static partial void Subscribed(ILogger logger, string topicFilter, string result);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Error, Message = "The broker refused subscription {TopicFilter}: {Result}")]
    public static partial void SubscriptionRefused(ILogger logger, string topicFilter, string result);

    [LoggerMessage(EventId = 4115, Level = LogLevel.Information, Message = "The broker refused MQTT 5; falling back to MQTT 3.1.1")]
    public static partial void FallingBackToMqtt311(ILogger logger);

    [LoggerMessage(EventId = 4120, Level = LogLevel.Warning, Message = "Rejected MQTT message on {Topic}: {Reason} ({Detail})")]
    public static partial void Rejected(ILogger logger, string topic, string reason, string detail);

    [LoggerMessage(EventId = 4121, Level = LogLevel.Debug, Message = "Rejected MQTT message on {Topic}: {Reason} ({Detail})")]
    public static partial void RejectedRoutine(ILogger logger, string topic, string reason, string detail);

    [LoggerMessage(EventId = 4122, Level = LogLevel.Error, Message = "Processing the MQTT message on {Topic} failed")]
    public static partial void HandlerFailed(ILogger logger, string topic, Exception exception);

    [LoggerMessage(EventId = 4130, Level = LogLevel.Debug, Message = "Downlink {DownlinkId} published to {Topic} ({Encoding})")]
    public static partial void DownlinkPublished(ILogger logger, uint downlinkId, string topic, string encoding);
}
