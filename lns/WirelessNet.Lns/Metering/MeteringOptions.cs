namespace WirelessNet.Lns.Metering;

/// <summary>Metering settings, bound from the <c>Metering</c> configuration section.</summary>
public sealed class MeteringOptions
{
    public const string Section = "Metering";

    /// <summary>Helium OUI written into packet reports (0 when the operator has none).</summary>
    public ulong Oui { get; set; }

    /// <summary>Packet reports kept: the Redis stream is trimmed to about this (MAXLEN ~), the in-memory list exactly.</summary>
    public int MaxReports { get; set; } = 100_000;

    /// <summary>How long the Redis per-hour counters live after their last write; zero keeps them.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(93);

    /// <summary>Hours a usage query may span (bounds the keys one request reads).</summary>
    public int MaxQueryHours { get; set; } = 24 * 93;
}
