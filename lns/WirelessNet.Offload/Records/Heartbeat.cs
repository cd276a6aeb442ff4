using WirelessNet.Helium.Crypto;

namespace WirelessNet.Offload.Records;

/// <summary>Kind of radio a heartbeat comes from.</summary>
public enum HeartbeatRadioKind
{
    /// <summary>CBRS small cell (LTE on the 3.5 GHz shared band).</summary>
    Cbrs = 0,

    /// <summary>Wi-Fi access point.</summary>
    Wifi = 1,
}

/// <summary>Where the heartbeat's position came from.</summary>
public enum HeartbeatLocationSource
{
    /// <summary>Not said.</summary>
    Unknown = 0,

    /// <summary>The hotspot's asserted location, echoed back.</summary>
    Asserted = 1,

    /// <summary>The radio's own GNSS receiver.</summary>
    Gps = 2,

    /// <summary>Wi-Fi positioning service (e.g. Skyhook).</summary>
    WifiPositioning = 3,

    /// <summary>Spectrum Access System registration (CBRS), which the SAS itself checked.</summary>
    Sas = 4,
}

/// <summary>A periodic liveness and position report from a CBRS cell or Wi-Fi hotspot.</summary>
/// <param name="HotspotKey">Reporting hotspot.</param>
/// <param name="RadioKind">CBRS or Wi-Fi.</param>
/// <param name="TimestampUnixSeconds">When the heartbeat was taken, Unix seconds.</param>
/// <param name="Latitude">Reported latitude, degrees.</param>
/// <param name="Longitude">Reported longitude, degrees.</param>
/// <param name="OperationModeActive">The radio reports it is serving traffic; an inactive radio's heartbeat does not count.</param>
/// <param name="LocationSource">Where the position came from.</param>
/// <param name="LocationValidatedUnixSeconds">When the position was last validated, if ever.</param>
public sealed record Heartbeat(
    HeliumPublicKey HotspotKey,
    HeartbeatRadioKind RadioKind,
    long TimestampUnixSeconds,
    double Latitude,
    double Longitude,
    bool OperationModeActive,
    HeartbeatLocationSource LocationSource,
    long? LocationValidatedUnixSeconds)
{
    /// <summary>The timestamp as a point in time.</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeSeconds(TimestampUnixSeconds);
}

/// <summary>A speed test a hotspot ran against the network's test server.</summary>
/// <param name="HotspotKey">Hotspot that ran the test.</param>
/// <param name="TimestampUnixSeconds">When the test ran, Unix seconds.</param>
/// <param name="UploadBytesPerSecond">Measured upload speed.</param>
/// <param name="DownloadBytesPerSecond">Measured download speed.</param>
/// <param name="LatencyMs">Measured round-trip latency.</param>
public sealed record Speedtest(
    HeliumPublicKey HotspotKey,
    long TimestampUnixSeconds,
    long UploadBytesPerSecond,
    long DownloadBytesPerSecond,
    int LatencyMs);
