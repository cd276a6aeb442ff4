using System.Buffers;

namespace WirelessNet.Lns.Mqtt;

/// <summary>
/// Receives the messages of extra subscriptions on the server's broker connection (e.g. application downlink
/// commands). The connection subscribes <see cref="TopicFilters"/> on every (re)connect, as shared subscriptions when
/// the broker supports them.
/// </summary>
public interface IMqttTopicHandler
{
    /// <summary>Plain topic filters (without <c>$share/…</c>).</summary>
    IReadOnlyList<string> TopicFilters { get; }

    /// <summary>True when this handler owns the topic of a received message.</summary>
    bool Handles(string topic);

    /// <summary>Processes one message. Must count and log its own rejections; exceptions are caught and counted by the caller.</summary>
    ValueTask HandleAsync(string topic, ReadOnlySequence<byte> payload, CancellationToken cancellationToken);
}
