using WirelessNet.Offload.Heartbeats;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Lns.Offload;

/// <summary>Heartbeat rules the server applies on top of the core's checks.</summary>
internal static class OffloadHeartbeats
{
    /// <summary>A day's standing from the trusts of its counted hours (the core's 12-hour rule).</summary>
    public static HeartbeatDaySummary Summarize(IReadOnlyCollection<decimal> trusts)
    {
        if (trusts.Count == 0)
        {
            return new HeartbeatDaySummary(0, 0m, false);
        }

        return new HeartbeatDaySummary(trusts.Count, trusts.Sum() / trusts.Count, trusts.Count >= HeartbeatLedger.MinimumHoursPerDay);
    }

    /// <summary>
    /// The core's stateless verdict on one heartbeat (known, not banned, not ahead of the clock, operating, valid
    /// position, trusted): a fresh ledger holds no hour yet, so it can only answer for the heartbeat itself. The
    /// once-per-hour rule is then the store's atomic claim, shared by every instance.
    /// </summary>
    public static HeartbeatResult Check(IOffloadDirectory directory, WirelessNet.Offload.Records.Heartbeat heartbeat, DateTimeOffset now, TimeSpan futureTolerance) =>
        new HeartbeatLedger(directory, futureTolerance).Record(heartbeat, now);
}
