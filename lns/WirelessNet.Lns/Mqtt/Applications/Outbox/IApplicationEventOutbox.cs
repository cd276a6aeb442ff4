namespace WirelessNet.Lns.Mqtt.Applications.Outbox;

/// <summary>An application event that could not be published yet: its topic, JSON payload and metric type.</summary>
public sealed record OutboxMessage(string Topic, byte[] Payload, string Type);

/// <summary>An outbox message with the id its store gave it, in append order.</summary>
public sealed record OutboxEntry(string Id, OutboxMessage Message);

/// <summary>
/// Where application events wait while the broker is unreachable, oldest first, until
/// <see cref="ApplicationEventOutboxRelay"/> publishes them. With Redis it is shared by every server instance and
/// survives restarts; in memory it lives as long as the process (as everything else in the in-memory store).
/// </summary>
public interface IApplicationEventOutbox
{
    ValueTask AppendAsync(OutboxMessage message, CancellationToken cancellationToken);

    /// <summary>The oldest <paramref name="max"/> entries, oldest first; they stay until deleted.</summary>
    ValueTask<IReadOnlyList<OutboxEntry>> ReadAsync(int max, CancellationToken cancellationToken);

    ValueTask DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);

    ValueTask<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes or extends the right to drain the outbox for <paramref name="lease"/>, so that one instance publishes
    /// each entry (several relays would publish it several times). False while another owner holds it.
    /// </summary>
    ValueTask<bool> TryLeaseAsync(string owner, TimeSpan lease, CancellationToken cancellationToken);
}
