namespace WirelessNet.Lns.Mqtt.Applications.Outbox;

/// <summary>
/// The outbox of the zero-configuration run: in process, bounded by <see cref="ApplicationEventOutboxOptions.MaxEvents"/>
/// (beyond it the oldest entries are dropped, as the broker would have to wait too long for them anyway).
/// </summary>
public sealed class InMemoryApplicationEventOutbox(Microsoft.Extensions.Options.IOptions<ApplicationEventOutboxOptions> options) : IApplicationEventOutbox
{
    private readonly Lock _lock = new();
    private readonly LinkedList<OutboxEntry> _entries = new();
    private long _nextId;

    /// <summary>Entries dropped because the outbox was full.</summary>
    public long Dropped { get; private set; }

    public ValueTask AppendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_lock)
        {
            _entries.AddLast(new OutboxEntry((++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture), message));
            while (_entries.Count > Math.Max(1, options.Value.MaxEvents))
            {
                _entries.RemoveFirst();
                Dropped++;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<OutboxEntry>> ReadAsync(int max, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<OutboxEntry>>(_entries.Take(Math.Max(0, max)).ToList());
        }
    }

    public ValueTask DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var remove = ids.ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            for (var node = _entries.First; node is not null && remove.Count > 0;)
            {
                var next = node.Next;
                if (remove.Remove(node.Value.Id))
                {
                    _entries.Remove(node);
                }

                node = next;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<long> CountAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult((long)_entries.Count);
        }
    }

    // One process, one relay.
    public ValueTask<bool> TryLeaseAsync(string owner, TimeSpan lease, CancellationToken cancellationToken) => ValueTask.FromResult(true);
}
