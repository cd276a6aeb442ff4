using WirelessNet.Offload.Records;

namespace WirelessNet.Offload.Heartbeats;

/// <summary>
/// A hotspot's backhaul quality as a rate multiplier, from the average of its most recent speed tests. Modelled on
/// Helium's speed-test tiers (HIP-74): the average must reach every threshold of a tier (download, upload, latency);
/// the thresholds here are this network's choice. No speed test at all is the failing tier: a hotspot that never
/// proved its backhaul earns nothing.
/// </summary>
public static class SpeedtestTiers
{
    /// <summary>How many of the most recent tests are averaged.</summary>
    public const int SamplesAveraged = 6;

    private const long Mbps = 1_000_000 / 8;

    private static readonly (long DownloadBytesPerSecond, long UploadBytesPerSecond, int LatencyMs, decimal Multiplier)[] Tiers =
    [
        (100 * Mbps, 10 * Mbps, 50, 1.0m),
        (75 * Mbps, 8 * Mbps, 60, 0.75m),
        (50 * Mbps, 5 * Mbps, 75, 0.5m),
        (30 * Mbps, 2 * Mbps, 100, 0.25m),
    ];

    /// <summary>
    /// The multiplier of the average of the first <see cref="SamplesAveraged"/> tests of
    /// <paramref name="newestFirst"/>: 1, 0.75, 0.5, 0.25, or 0 below every tier and without tests.
    /// </summary>
    public static decimal Multiplier(IReadOnlyList<Speedtest> newestFirst)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        var count = Math.Min(SamplesAveraged, newestFirst.Count);
        if (count == 0)
        {
            return 0m;
        }

        long download = 0, upload = 0, latency = 0;
        for (var i = 0; i < count; i++)
        {
            download += newestFirst[i].DownloadBytesPerSecond;
            upload += newestFirst[i].UploadBytesPerSecond;
            latency += newestFirst[i].LatencyMs;
        }

        // Integer averages: the tiers compare whole bytes per second and milliseconds.
        download /= count;
        upload /= count;
        latency /= count;
        foreach (var tier in Tiers)
        {
            if (download >= tier.DownloadBytesPerSecond && upload >= tier.UploadBytesPerSecond && latency <= tier.LatencyMs)
            {
                return tier.Multiplier;
            }
        }

        return 0m;
    }
}
