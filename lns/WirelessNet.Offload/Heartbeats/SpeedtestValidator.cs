using WirelessNet.Offload.Records;

namespace WirelessNet.Offload.Heartbeats;

/// <summary>Why a speed test was rejected.</summary>
public enum SpeedtestRejectionReason
{
    /// <summary>Accepted.</summary>
    None = 0,

    /// <summary>A speed or the latency is negative.</summary>
    NegativeValue = 1,

    /// <summary>Upload or download above <see cref="SpeedtestValidator.MaxBytesPerSecond"/>: beyond what the radios can do, so forged or broken.</summary>
    SpeedTooHigh = 2,
}

/// <summary>Checks speed tests.</summary>
public static class SpeedtestValidator
{
    /// <summary>300 Mbps in bytes per second (300,000,000 / 8): the most a hotspot's radio can carry.</summary>
    public const long MaxBytesPerSecond = 300_000_000 / 8;

    /// <summary>The reason the test is rejected, or <see cref="SpeedtestRejectionReason.None"/>.</summary>
    public static SpeedtestRejectionReason Validate(Speedtest speedtest)
    {
        ArgumentNullException.ThrowIfNull(speedtest);
        if (speedtest.UploadBytesPerSecond < 0 || speedtest.DownloadBytesPerSecond < 0 || speedtest.LatencyMs < 0)
        {
            return SpeedtestRejectionReason.NegativeValue;
        }

        return speedtest.UploadBytesPerSecond > MaxBytesPerSecond || speedtest.DownloadBytesPerSecond > MaxBytesPerSecond
            ? SpeedtestRejectionReason.SpeedTooHigh
            : SpeedtestRejectionReason.None;
    }
}
