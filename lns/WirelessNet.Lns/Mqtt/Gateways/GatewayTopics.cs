using System.Diagnostics.CodeAnalysis;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Mqtt.Gateways;

/// <summary>
/// Formats and strictly parses ChirpStack Gateway Bridge v4 topics:
/// <c>{prefix}/gateway/{gatewayId}/event/{up|stats|ack}</c>, <c>{prefix}/gateway/{gatewayId}/state/conn</c> and
/// <c>{prefix}/gateway/{gatewayId}/command/down</c>. The prefix is the region configuration id (e.g. <c>eu868</c>);
/// the gateway id is 16 lowercase hex characters, as the bridge writes it.
/// </summary>
public sealed class GatewayTopics
{
    public const string DefaultPrefix = "eu868";

    private const string GatewayLevel = "gateway";

    /// <summary>Longest first, so that a prefix that is a parent of another ("a" and "a/b") cannot shadow it.</summary>
    private readonly string[] _prefixesLongestFirst;

    public GatewayTopics(IEnumerable<string> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var list = new List<string>();
        foreach (var prefix in prefixes)
        {
            if (!IsValidPrefix(prefix))
            {
                throw new ArgumentException(
                    $"Invalid MQTT topic prefix '{prefix}': it must be non-empty, without '+', '#', empty levels or a leading '$'.",
                    nameof(prefixes));
            }

            if (!list.Contains(prefix, StringComparer.Ordinal))
            {
                list.Add(prefix);
            }
        }

        if (list.Count == 0)
        {
            list.Add(DefaultPrefix);
        }

        Prefixes = list;
        _prefixesLongestFirst = [.. list.OrderByDescending(p => p.Length)];
    }

    /// <summary>Only the default region prefix, <c>eu868</c>.</summary>
    public static GatewayTopics Default { get; } = new([DefaultPrefix]);

    /// <summary>The configured prefixes in configuration order; the first one is used for gateways never heard from.</summary>
    public IReadOnlyList<string> Prefixes { get; }

    public static string EventTopic(string prefix, Eui64 gatewayId, string eventType) => Format(prefix, gatewayId, "event", eventType);

    public static string StateTopic(string prefix, Eui64 gatewayId, string stateType = GatewayTopicTypes.ConnState) =>
        Format(prefix, gatewayId, "state", stateType);

    public static string CommandTopic(string prefix, Eui64 gatewayId, string commandType = GatewayTopicTypes.Downlink) =>
        Format(prefix, gatewayId, "command", commandType);

    /// <summary>
    /// The filters that receive every gateway's events. With a shared-subscription group, the broker hands each
    /// message to one member of the group only, so several server instances split the load without processing a
    /// reception twice.
    /// </summary>
    public IReadOnlyList<string> EventFilters(string? sharedGroup = null) =>
        [.. Prefixes.Select(prefix => Shared(sharedGroup, $"{prefix}/{GatewayLevel}/+/event/+"))];

    /// <summary>
    /// The filters that receive every gateway's states. Never shared: brokers do not deliver retained messages to
    /// shared subscriptions (MQTT 5, 4.8.2), and the retained <c>state/conn</c> is how a starting server learns which
    /// gateways are online. Every instance receiving every state is harmless: states are few and idempotent.
    /// </summary>
    public IReadOnlyList<string> StateFilters() =>
        [.. Prefixes.Select(prefix => $"{prefix}/{GatewayLevel}/+/state/+")];

    /// <summary>Prepends <c>$share/{group}/</c> when a group is given.</summary>
    public static string Shared(string? sharedGroup, string filter) =>
        string.IsNullOrEmpty(sharedGroup) ? filter : $"$share/{sharedGroup}/{filter}";

    /// <summary>Parses a topic received from the broker; anything not exactly of the bridge's shape is rejected.</summary>
    public bool TryParse(string? topic, out GatewayTopic parsed, [NotNullWhen(false)] out MqttRejection? rejection)
    {
        parsed = default;
        if (string.IsNullOrEmpty(topic))
        {
            rejection = Invalid("empty topic");
            return false;
        }

        string? prefix = null;
        foreach (var candidate in _prefixesLongestFirst)
        {
            if (topic.Length > candidate.Length + 1
                && topic.StartsWith(candidate, StringComparison.Ordinal)
                && topic[candidate.Length] == '/')
            {
                prefix = candidate;
                break;
            }
        }

        if (prefix is null)
        {
            rejection = Invalid("topic prefix is not one of the configured region prefixes");
            return false;
        }

        // After the prefix: gateway/{id}/{kind}/{type}, exactly four levels.
        var levels = topic[(prefix.Length + 1)..].Split('/');
        if (levels.Length != 4 || levels[0] != GatewayLevel)
        {
            rejection = Invalid($"expected '{prefix}/gateway/{{gatewayId}}/{{event|state|command}}/{{type}}'");
            return false;
        }

        if (!TryParseGatewayId(levels[1], out var gatewayId))
        {
            rejection = Invalid("the gateway id must be 16 lowercase hex characters");
            return false;
        }

        GatewayTopicKind kind;
        switch (levels[2])
        {
            case "event":
                kind = GatewayTopicKind.Event;
                break;
            case "state":
                kind = GatewayTopicKind.State;
                break;
            case "command":
                kind = GatewayTopicKind.Command;
                break;
            default:
                rejection = Invalid("the topic kind must be event, state or command");
                return false;
        }

        if (levels[3].Length == 0)
        {
            rejection = Invalid("empty message type");
            return false;
        }

        parsed = new GatewayTopic(prefix, gatewayId, kind, levels[3]);
        rejection = null;
        return true;
    }

    /// <summary>Strict: exactly 16 characters of 0-9 a-f (the bridge never writes upper case or separators).</summary>
    public static bool TryParseGatewayId(ReadOnlySpan<char> text, out Eui64 gatewayId)
    {
        gatewayId = default;
        if (text.Length != 16)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return Eui64.TryParse(text, out gatewayId);
    }

    private static string Format(string prefix, Eui64 gatewayId, string kind, string type)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentException.ThrowIfNullOrEmpty(type);
        return $"{prefix}/{GatewayLevel}/{gatewayId}/{kind}/{type}";
    }

    private static bool IsValidPrefix(string? prefix) =>
        !string.IsNullOrEmpty(prefix)
        && prefix[0] != '$'
        && prefix.IndexOfAny(['+', '#', '\0']) < 0
        && prefix.Split('/').All(level => level.Length > 0);

    private static MqttRejection Invalid(string detail) => new(MqttRejectReasons.InvalidTopic, detail);
}
