using WirelessNet.LoRaWan.Counters;

namespace WirelessNet.Lns.Pipeline;

/// <summary>Network server behaviour, bound from the <c>NetworkServer</c> configuration section.</summary>
public sealed class NetworkServerOptions
{
    public const string Section = "NetworkServer";

    /// <summary>LoRa Alliance NetID (6 hex digits) under which DevAddrs are allocated. 000000 is the experimental NetID.</summary>
    public string NetId { get; set; } = "000000";

    /// <summary>How long receptions of one frame are collected from all gateways before it is processed.</summary>
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound on sessions tried per DevAddr (MIC checks per uplink); DevAddr collisions beyond it are rejected.</summary>
    public int MaxDevAddrCandidates { get; set; } = 16;

    /// <summary>Largest forward jump of the uplink frame counter that is accepted.</summary>
    public uint MaxFCntGap { get; set; } = FrameCounter.DefaultMaxGap;

    /// <summary>RX1 data-rate offset given to devices in the Join-Accept.</summary>
    public int Rx1DrOffset { get; set; }

    /// <summary>RX2 data rate given in the Join-Accept; null uses the region default.</summary>
    public int? Rx2DataRate { get; set; }

    /// <summary>RX1 delay in seconds given in the Join-Accept.</summary>
    public int Rx1DelaySeconds { get; set; } = 1;

    /// <summary>How long a downlink waits for the gateway's TxAck before it is considered lost (and stays queued).</summary>
    public TimeSpan TxAckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the uplink path keeps gateways, devices and device profiles read from the store. Changes made through
    /// this instance's API apply at once; changes made through another instance apply within this time. Zero reads
    /// the store for every frame.
    /// </summary>
    public TimeSpan ProvisioningCacheLifetime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Journal each accepted data uplink's application event with its counter claim, so that a crash before the event
    /// reaches the broker or the outbox does not lose it. Costs Redis one list push and one removal per uplink; off
    /// trades that guarantee for throughput.
    /// </summary>
    public bool EventJournal { get; set; } = true;

    /// <summary>
    /// How often the journal of accepted uplinks' events is searched for entries a crashed instance left behind
    /// (at start, then at this interval).
    /// </summary>
    public TimeSpan EventJournalSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A journaled event older than this is taken as left behind and published again.</summary>
    public TimeSpan EventJournalStaleAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Installation margin of the ADR algorithm, dB.</summary>
    public float AdrInstallationMarginDb { get; set; } = 10f;
}
