using System.Collections.Concurrent;

namespace WirelessNet.Simulators.Carriers;

/// <summary>Counts of a carrier run, updated as it goes (thread-safe); <see cref="Snapshot"/> reads them together.</summary>
public sealed class CarrierRunStatistics
{
    private readonly ConcurrentDictionary<string, long> _rejections = new(StringComparer.Ordinal);
    private long _sent;
    private long _accepted;
    private long _alreadyAccepted;
    private long _rejected;
    private long _retried;
    private long _givenUp;
    private long _heartbeatsCounted;
    private long _heartbeatsRejected;
    private long _speedtestsAccepted;
    private long _speedtestsRejected;
    private long _errors;

    internal void Sent(int records) => Interlocked.Add(ref _sent, records);

    internal void Accepted() => Interlocked.Increment(ref _accepted);

    internal void AlreadyAccepted() => Interlocked.Increment(ref _alreadyAccepted);

    internal void Rejected(string reason)
    {
        Interlocked.Increment(ref _rejected);
        _rejections.AddOrUpdate(reason, 1, (_, n) => n + 1);
    }

    internal void Retried(int records) => Interlocked.Add(ref _retried, records);

    internal void GivenUp(int records)
    {
        Interlocked.Add(ref _givenUp, records);
        Interlocked.Increment(ref _errors);
    }

    internal void Heartbeat(bool counted) => Interlocked.Increment(ref counted ? ref _heartbeatsCounted : ref _heartbeatsRejected);

    internal void Speedtest(bool accepted) => Interlocked.Increment(ref accepted ? ref _speedtestsAccepted : ref _speedtestsRejected);

    internal void Error() => Interlocked.Increment(ref _errors);

    public CarrierRunSnapshot Snapshot() => new(
        Interlocked.Read(ref _sent),
        Interlocked.Read(ref _accepted),
        Interlocked.Read(ref _alreadyAccepted),
        Interlocked.Read(ref _rejected),
        Interlocked.Read(ref _retried),
        Interlocked.Read(ref _givenUp),
        Interlocked.Read(ref _heartbeatsCounted),
        Interlocked.Read(ref _heartbeatsRejected),
        Interlocked.Read(ref _speedtestsAccepted),
        Interlocked.Read(ref _speedtestsRejected),
        Interlocked.Read(ref _errors),
        _rejections.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal));
}

/// <param name="SessionRecords">Session records sent for the first time (standalone sessions and RADIUS records).</param>
/// <param name="Accepted">Records the server answered accepted.</param>
/// <param name="AlreadyAccepted">Records answered already accepted: resent after a lost answer, as a router must.</param>
/// <param name="Rejected">Records the server rejected (reasons in <paramref name="RejectionReasons"/>).</param>
/// <param name="Retried">Records sent again: their batch was not answered, or its answer was "lost".</param>
/// <param name="GivenUp">Records of batches never answered within the attempts allowed.</param>
/// <param name="HeartbeatsCounted">Heartbeats accepted (the first of a radio's hour counts, later ones are taken without counting).</param>
/// <param name="HeartbeatsRejected">Heartbeats rejected.</param>
/// <param name="Errors">Failed calls (unanswered batches given up, malformed-request answers).</param>
public sealed record CarrierRunSnapshot(
    long SessionRecords,
    long Accepted,
    long AlreadyAccepted,
    long Rejected,
    long Retried,
    long GivenUp,
    long HeartbeatsCounted,
    long HeartbeatsRejected,
    long SpeedtestsAccepted,
    long SpeedtestsRejected,
    long Errors,
    IReadOnlyDictionary<string, long> RejectionReasons);
