namespace WirelessNet.Lns.Helium;

/// <summary>
/// A token bucket on a monotonic clock (<see cref="TimeProvider.GetTimestamp"/>): <c>capacity</c> tokens, refilled at
/// <c>ratePerSecond</c>. Not thread-safe: one stream's receive loop owns it.
/// </summary>
internal sealed class TokenBucket(double ratePerSecond, int capacity, TimeProvider time)
{
    private double _tokens = capacity;
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(capacity, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * ratePerSecond));
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}

/// <summary>
/// At most one packet per payload hash per <c>1 / perSecond</c> seconds. Entries older than the interval are dropped
/// as the map grows, so memory is bounded by what the gateway's own rate limit lets through in one interval.
/// Not thread-safe: one stream's receive loop owns it.
/// </summary>
internal sealed class RepeatedPayloadLimit(double perSecond, TimeProvider time)
{
    private const int PruneThreshold = 256;
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(1 / perSecond);
    // Keyed by the first 128 bits of the SHA-256: collisions are out of reach, and the key needs no allocation.
    private readonly Dictionary<UInt128, long> _lastSeen = [];

    /// <summary>True (and remembered) when this hash was not seen within the interval.</summary>
    public bool TryAccept(ReadOnlySpan<byte> payloadHash)
    {
        var now = time.GetTimestamp();
        Span<byte> prefix = stackalloc byte[16];
        payloadHash[..Math.Min(payloadHash.Length, prefix.Length)].CopyTo(prefix);
        var key = System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(prefix);
        if (_lastSeen.TryGetValue(key, out var last) && time.GetElapsedTime(last, now) < _interval)
        {
            return false;
        }

        if (_lastSeen.Count >= PruneThreshold)
        {
            foreach (var (hash, seen) in _lastSeen)
            {
                if (time.GetElapsedTime(seen, now) >= _interval)
                {
                    _lastSeen.Remove(hash);
                }
            }
        }

        _lastSeen[key] = now;
        return true;
    }
}
