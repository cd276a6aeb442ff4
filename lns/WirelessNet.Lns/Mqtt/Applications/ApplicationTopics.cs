using System.Diagnostics.CodeAnalysis;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Mqtt.Applications;

/// <summary>ChirpStack v4 MQTT integration topics: <c>application/{applicationId}/device/{devEui}/event/{type}</c> and <c>…/command/down</c>.</summary>
public static class ApplicationTopics
{
    public const string Uplink = "up";
    public const string Join = "join";
    public const string Ack = "ack";
    public const string TxAck = "txack";
    public const string Log = "log";

    /// <summary>Every device's downlink command.</summary>
    public const string CommandDownFilter = "application/+/device/+/command/down";

    public static string EventTopic(string applicationId, Eui64 devEui, string eventType)
    {
        if (!IsValidLevel(applicationId))
        {
            throw new ArgumentException($"Application id '{applicationId}' cannot be an MQTT topic level.", nameof(applicationId));
        }

        ArgumentException.ThrowIfNullOrEmpty(eventType);
        return $"application/{applicationId}/device/{devEui}/event/{eventType}";
    }

    public static string CommandDownTopic(string applicationId, Eui64 devEui)
    {
        if (!IsValidLevel(applicationId))
        {
            throw new ArgumentException($"Application id '{applicationId}' cannot be an MQTT topic level.", nameof(applicationId));
        }

        return $"application/{applicationId}/device/{devEui}/command/down";
    }

    /// <summary>True for <c>application/{id}/device/{devEui}/command/down</c>, whatever the ids look like.</summary>
    public static bool IsCommandDownTopic(string topic) =>
        topic.StartsWith("application/", StringComparison.Ordinal) && topic.EndsWith("/command/down", StringComparison.Ordinal);

    /// <summary>Parses a downlink command topic; the DevEUI is 16 hex digits (either case, as integrations write both).</summary>
    public static bool TryParseCommandDownTopic(
        string topic,
        [NotNullWhen(true)] out string? applicationId,
        out Eui64 devEui,
        [NotNullWhen(false)] out MqttRejection? rejection)
    {
        applicationId = null;
        devEui = default;
        var levels = topic.Split('/');
        if (levels is not ["application", var app, "device", var eui, "command", "down"] || !IsValidLevel(app))
        {
            rejection = new MqttRejection(MqttRejectReasons.InvalidTopic, "expected 'application/{applicationId}/device/{devEui}/command/down'");
            return false;
        }

        if (eui.Length != 16 || !Eui64.TryParse(eui, out devEui))
        {
            rejection = new MqttRejection(MqttRejectReasons.InvalidTopic, "the DevEUI must be 16 hex characters");
            return false;
        }

        applicationId = app;
        rejection = null;
        return true;
    }

    private static bool IsValidLevel(string? level) =>
        !string.IsNullOrEmpty(level) && level.IndexOfAny(['/', '+', '#', '\0']) < 0;
}
