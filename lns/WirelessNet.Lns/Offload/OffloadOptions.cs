namespace WirelessNet.Lns.Offload;

/// <summary>Carrier offload settings, bound from the <c>Offload</c> configuration section (docs/offload.md, "Server").</summary>
public sealed class OffloadOptions
{
    public const string Section = "Offload";

    /// <summary>Maps the ingest (gRPC, HTTP, MQTT) and partner endpoints. Off by default: nothing listens for carriers until configured.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Seed of the server's ed25519 statement-signing key, 32 bytes as hex (<c>Offload__StatementKeySeed</c>). Every
    /// instance must use the same seed so a statement verifies whichever instance issued it. Empty: a key is made at
    /// start, which only suits a single throw-away instance.
    /// </summary>
    public string StatementKeySeed { get; set; } = string.Empty;

    /// <summary>How far a record's timestamp may be ahead of the server clock.</summary>
    public TimeSpan FutureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest byte count one record may carry.</summary>
    public long MaxBytesPerRecord { get; set; } = 100_000_000_000;

    /// <summary>
    /// How long an event_id stays claimed after its record time. At least the longest late-record limit plus the
    /// future tolerance, so a replay is caught for as long as its timestamp could still pass.
    /// </summary>
    public TimeSpan DeduplicationRetention { get; set; } = TimeSpan.FromDays(45);

    /// <summary>Records accepted in one batch request (gRPC, HTTP or one MQTT message).</summary>
    public int MaxBatchRecords { get; set; } = 5_000;

    /// <summary>Rejections kept per carrier for the partner API (newest first).</summary>
    public int RejectionsKept { get; set; } = 10_000;

    /// <summary>Settlement period length; the default is a UTC day.</summary>
    public TimeSpan SettlementPeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The data-complete watermark: a period closes no earlier than its end plus this grace.</summary>
    public TimeSpan DataCompleteGrace { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Bytes one data credit pays for.</summary>
    public long BytesPerDataCredit { get; set; } = 100_000;

    /// <summary>
    /// Rate hotspots by their heartbeats (≥ 12 counted hours on the period's day, at their mean location trust).
    /// False: every hotspot is rated at the full price.
    /// </summary>
    public bool RequireHeartbeats { get; set; } = true;

    /// <summary>
    /// With <see cref="RequireHeartbeats"/>, also rate hotspots by their speed tests: the rate multiplier is the mean
    /// location trust × the speed-test tier multiplier of the average of the six newest tests before the period's end
    /// (1, 0.75, 0.5, 0.25; 0, and not rewardable, below every tier or without tests).
    /// </summary>
    public bool RequireSpeedtests { get; set; }

    /// <summary>Speed tests kept per hotspot (newest by test time).</summary>
    public int SpeedtestsKept { get; set; } = 100;

    /// <summary>How often each instance reloads carriers, hotspots and rate cards that other instances changed.</summary>
    public TimeSpan DirectoryRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Close data-complete periods automatically (every instance checks; only one issues each period).</summary>
    public bool AutoClose { get; set; } = true;

    /// <summary>How often to look for periods to close.</summary>
    public TimeSpan AutoCloseInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>MQTT topic prefix: sessions on <c>{prefix}/{carrierId}/session</c>, heartbeats on <c>{prefix}/{carrierId}/heartbeat</c>.</summary>
    public string MqttTopicPrefix { get; set; } = "offload";

    internal bool IsValid(out string error)
    {
        error = string.Empty;
        if (FutureTolerance < TimeSpan.Zero || DeduplicationRetention <= TimeSpan.Zero || MaxBytesPerRecord <= 0 || MaxBatchRecords < 1
            || RejectionsKept < 0 || SpeedtestsKept < 1 || SettlementPeriod <= TimeSpan.Zero || DataCompleteGrace < TimeSpan.Zero || BytesPerDataCredit <= 0
            || DirectoryRefresh <= TimeSpan.Zero || AutoCloseInterval <= TimeSpan.Zero)
        {
            error = "Offload: durations and limits must be positive (FutureTolerance, DataCompleteGrace and RejectionsKept may be 0).";
            return false;
        }

        if (StatementKeySeed.Length is not (0 or 64) || !StatementKeySeed.All(char.IsAsciiHexDigit))
        {
            error = "Offload:StatementKeySeed must be empty or 64 hex digits.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(MqttTopicPrefix) || MqttTopicPrefix.IndexOfAny(['+', '#']) >= 0)
        {
            error = "Offload:MqttTopicPrefix must be a topic prefix without wildcards.";
            return false;
        }

        return true;
    }
}
