using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Offload.Heartbeats;

/// <summary>Why a heartbeat does not count.</summary>
public enum HeartbeatRejectionReason
{
    /// <summary>Counted.</summary>
    None = 0,

    /// <summary>The hotspot is not known.</summary>
    UnknownHotspot = 1,

    /// <summary>The hotspot is banned.</summary>
    HotspotBanned = 2,

    /// <summary>The timestamp is further in the future than the tolerance.</summary>
    TimestampInFuture = 3,

    /// <summary>The radio reports it is not operating.</summary>
    NotOperating = 4,

    /// <summary>The position is not trusted at all (too far from the asserted location, or none asserted).</summary>
    LocationUntrusted = 5,

    /// <summary>A heartbeat already counted for this hotspot in this UTC hour.</summary>
    HourAlreadyCounted = 6,

    /// <summary>Latitude or longitude out of range.</summary>
    InvalidPosition = 7,
}

/// <summary>Outcome of one heartbeat.</summary>
/// <param name="Reason">Why it does not count; <see cref="HeartbeatRejectionReason.None"/> when it counted.</param>
/// <param name="Trust">Its location trust (also reported for rejected heartbeats where computed).</param>
/// <param name="Message">Human-readable detail.</param>
public readonly record struct HeartbeatResult(HeartbeatRejectionReason Reason, decimal Trust, string Message)
{
    /// <summary>True when the heartbeat counted for its hour.</summary>
    public bool Counted => Reason == HeartbeatRejectionReason.None;
}

/// <summary>A hotspot's standing for one UTC day.</summary>
/// <param name="CountedHours">Distinct UTC hours with a counted heartbeat.</param>
/// <param name="MeanTrust">Mean location trust of the counted heartbeats (0 when none).</param>
/// <param name="Rewardable">True when <paramref name="CountedHours"/> reaches the daily minimum.</param>
public readonly record struct HeartbeatDaySummary(int CountedHours, decimal MeanTrust, bool Rewardable);

/// <summary>
/// Counts one heartbeat per hotspot per UTC hour (the first that passes; later ones in the hour add nothing) and
/// decides whether a hotspot's traffic on a UTC day is rewardable: it needs at least
/// <see cref="MinimumHoursPerDay"/> counted hours. Pure and in-memory; a persistent one would key by (day, hotspot).
/// </summary>
public sealed class HeartbeatLedger
{
    /// <summary>Counted hours a hotspot needs in a UTC day for its traffic to be rewardable.</summary>
    public const int MinimumHoursPerDay = 12;

    private readonly IOffloadDirectory _directory;
    private readonly TimeSpan _futureTolerance;
    private readonly Dictionary<(HeliumPublicKey Hotspot, DateOnly Day), Dictionary<int, decimal>> _trustByHour = [];
    private readonly Lock _gate = new();

    /// <summary>A ledger checking hotspots against <paramref name="directory"/>.</summary>
    public HeartbeatLedger(IOffloadDirectory directory, TimeSpan futureTolerance)
    {
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _futureTolerance = futureTolerance;
    }

    /// <summary>Checks and, when it passes, counts one heartbeat received at <paramref name="now"/>.</summary>
    public HeartbeatResult Record(Heartbeat heartbeat, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        if (!_directory.TryGetHotspot(heartbeat.HotspotKey, out var hotspot))
        {
            return new(HeartbeatRejectionReason.UnknownHotspot, 0m, $"hotspot {heartbeat.HotspotKey} is not known");
        }

        if (hotspot.Banned)
        {
            return new(HeartbeatRejectionReason.HotspotBanned, 0m, $"hotspot {heartbeat.HotspotKey} is banned");
        }

        if (heartbeat.Timestamp > now + _futureTolerance)
        {
            return new(HeartbeatRejectionReason.TimestampInFuture, 0m, $"timestamp {heartbeat.Timestamp:O} is ahead of {now:O}");
        }

        if (!heartbeat.OperationModeActive)
        {
            return new(HeartbeatRejectionReason.NotOperating, 0m, "radio reports it is not operating");
        }

        if (!(heartbeat.Latitude is >= -90 and <= 90) || !(heartbeat.Longitude is >= -180 and <= 180))
        {
            return new(HeartbeatRejectionReason.InvalidPosition, 0m, $"position ({heartbeat.Latitude}, {heartbeat.Longitude}) is out of range");
        }

        var trust = LocationTrust.For(heartbeat, hotspot.AssertedLocation);
        if (trust == 0m)
        {
            return new(HeartbeatRejectionReason.LocationUntrusted, trust, "position is too far from the asserted location, or none is asserted");
        }

        var utc = heartbeat.Timestamp.UtcDateTime;
        var key = (heartbeat.HotspotKey, DateOnly.FromDateTime(utc));
        lock (_gate)
        {
            if (!_trustByHour.TryGetValue(key, out var hours))
            {
                hours = [];
                _trustByHour[key] = hours;
            }

            if (!hours.TryAdd(utc.Hour, trust))
            {
                return new(HeartbeatRejectionReason.HourAlreadyCounted, trust, $"hour {utc:yyyy-MM-ddTHH}Z already has a counted heartbeat");
            }
        }

        return new(HeartbeatRejectionReason.None, trust, "counted");
    }

    /// <summary>The hotspot's standing for <paramref name="day"/> (UTC).</summary>
    public HeartbeatDaySummary Summarize(HeliumPublicKey hotspotKey, DateOnly day)
    {
        lock (_gate)
        {
            if (!_trustByHour.TryGetValue((hotspotKey, day), out var hours) || hours.Count == 0)
            {
                return new HeartbeatDaySummary(0, 0m, false);
            }

            var mean = hours.Values.Sum() / hours.Count;
            return new HeartbeatDaySummary(hours.Count, mean, hours.Count >= MinimumHoursPerDay);
        }
    }
}
