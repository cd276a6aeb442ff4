namespace WirelessNet.Offload.Validation;

/// <summary>
/// Remembers which (carrier, event_id) pairs were taken, for at least the retention period. Shaped for Redis
/// <c>SET key 1 NX PXAT expiry</c>: one atomic claim per record, expiry per entry, no read-modify-write.
/// </summary>
public interface IEventDeduplicationIndex
{
    /// <summary>
    /// Claims the pair; false when it was already claimed and not yet expired. The claim is kept until
    /// <paramref name="recordTime"/> plus the retention period, so it outlives the time a replay could still pass
    /// the late-record check.
    /// </summary>
    bool TryClaim(string carrierId, string eventId, DateTimeOffset recordTime, DateTimeOffset now);
}

/// <summary>In-memory <see cref="IEventDeduplicationIndex"/>; entries past retention are swept on claim.</summary>
public sealed class InMemoryEventDeduplicationIndex : IEventDeduplicationIndex
{
    private readonly Dictionary<(string CarrierId, string EventId), DateTimeOffset> _expiries = [];
    private readonly PriorityQueue<(string CarrierId, string EventId), DateTimeOffset> _byExpiry = new();
    private readonly Lock _gate = new();

    /// <summary>An index keeping each claim for <paramref name="retention"/> after its record time.</summary>
    public InMemoryEventDeduplicationIndex(TimeSpan retention)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        Retention = retention;
    }

    /// <summary>How long after its record time a claim is kept. Must be at least the longest late-record limit plus the future tolerance.</summary>
    public TimeSpan Retention { get; }

    /// <summary>Number of claims held (expired ones may linger until the next claim).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _expiries.Count;
            }
        }
    }

    /// <inheritdoc />
    public bool TryClaim(string carrierId, string eventId, DateTimeOffset recordTime, DateTimeOffset now)
    {
        lock (_gate)
        {
            Sweep(now);
            var key = (carrierId, eventId);
            if (_expiries.ContainsKey(key))
            {
                return false;
            }

            var expiry = recordTime + Retention;
            _expiries[key] = expiry;
            _byExpiry.Enqueue(key, expiry);
            return true;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        while (_byExpiry.TryPeek(out var key, out var expiry) && expiry <= now)
        {
            _byExpiry.Dequeue();
            _expiries.Remove(key);
        }
    }
}
