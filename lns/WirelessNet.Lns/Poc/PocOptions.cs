using WirelessNet.Poc.Validation;

namespace WirelessNet.Lns.Poc;

/// <summary>Proof of coverage on the server, bound from the <c>Poc</c> configuration section.</summary>
public sealed class PocOptions
{
    public const string Section = "Poc";

    /// <summary>Whether the PoC services, background work and endpoints run at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The operator's external entropy seed (hex, at least 16 bytes), mixed into every entropy value; keep it secret
    /// until disclosed so the chain can be verified. Every instance of one deployment must use the same seed. Empty: a
    /// random seed is created once and kept in the store (a warning is logged; set one in production).
    /// </summary>
    public string OperatorSeed { get; set; } = string.Empty;

    /// <summary>Challenge window: each eligible hotspot is challenged once per window (a whole number of seconds).</summary>
    public TimeSpan ChallengeWindow { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Whether this server sends scheduled beacons to the hotspots (one instance sends each, via the store).</summary>
    public bool IssueChallenges { get; set; } = true;

    /// <summary>How often the challenger re-reads the participants (a new hotspot joins the schedule within this).</summary>
    public TimeSpan ScheduleRefresh { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long after a round's first report it is verified: longer than the witness deadlines (4 s after the beacon,
    /// 1.5 s after the first witness) plus report transit.
    /// </summary>
    public TimeSpan RoundSettleDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often due rounds are looked for.</summary>
    public TimeSpan RoundPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long verified rounds and reports are kept (epochs are paid from them).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Tokens distributed to PoC per epoch (24 h from UTC midnight).</summary>
    public decimal EpochPool { get; set; } = 1_000_000m;

    /// <summary>Witnesses within this of the beacon (ms), when the beacon arrived first.</summary>
    public int WitnessDeadlineAfterBeaconMs { get; set; } = 4_000;

    /// <summary>Witnesses within this of the first witness (ms), when witnesses arrived first.</summary>
    public int WitnessDeadlineAfterFirstWitnessMs { get; set; } = 1_500;

    public ulong MaxFrequencyOffsetHz { get; set; } = 100_000;

    public long MinGridDistance { get; set; } = 8;

    public double MaxDistanceKm { get; set; } = 100;

    public TimeSpan ReciprocityWindow { get; set; } = TimeSpan.FromHours(48);

    /// <summary>Off only for networks just starting PoC: reciprocity bootstraps by itself (see docs/poc.md).</summary>
    public bool EnforceReciprocity { get; set; } = true;

    public int MaxSelectedWitnesses { get; set; } = 14;

    /// <summary>Optional margin (dB) above the free-space RSSI maximum; 0 = none.</summary>
    public double RssiToleranceDb { get; set; }

    /// <summary>Optional SNR-versus-RSSI plausibility rule (off by default).</summary>
    public bool CheckSnrPlausibility { get; set; }

    public double SnrPlausibilityMarginDb { get; set; } = 3;

    internal PocValidationOptions ToValidationOptions() => new()
    {
        ChallengeWindow = ChallengeWindow,
        WitnessDeadlineAfterBeacon = TimeSpan.FromMilliseconds(WitnessDeadlineAfterBeaconMs),
        WitnessDeadlineAfterFirstWitness = TimeSpan.FromMilliseconds(WitnessDeadlineAfterFirstWitnessMs),
        MaxFrequencyOffsetHz = MaxFrequencyOffsetHz,
        MinGridDistance = MinGridDistance,
        MaxDistanceKm = MaxDistanceKm,
        ReciprocityWindow = ReciprocityWindow,
        EnforceReciprocity = EnforceReciprocity,
        MaxSelectedWitnesses = MaxSelectedWitnesses,
        RssiToleranceDb = RssiToleranceDb,
        CheckSnrPlausibility = CheckSnrPlausibility,
        SnrPlausibilityMarginDb = SnrPlausibilityMarginDb,
    };

    internal bool IsValid(out string error)
    {
        error = string.Empty;
        if (OperatorSeed.Length != 0 && (OperatorSeed.Length < 32 || OperatorSeed.Length % 2 != 0 || !OperatorSeed.All(Uri.IsHexDigit)))
        {
            error = "Poc:OperatorSeed must be empty or at least 16 bytes of hex.";
        }
        else if (ChallengeWindow < TimeSpan.FromMinutes(1) || ChallengeWindow.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            error = "Poc:ChallengeWindow must be a whole number of seconds, at least one minute.";
        }
        else if (RoundSettleDelay <= TimeSpan.Zero || RoundPollInterval <= TimeSpan.Zero || Retention <= TimeSpan.Zero || ScheduleRefresh <= TimeSpan.Zero)
        {
            error = "Poc:RoundSettleDelay, RoundPollInterval, Retention and ScheduleRefresh must be positive.";
        }
        else if (RoundSettleDelay < TimeSpan.FromMilliseconds(Math.Max(WitnessDeadlineAfterBeaconMs, WitnessDeadlineAfterFirstWitnessMs)))
        {
            error = "Poc:RoundSettleDelay must be longer than the witness deadlines.";
        }
        else if (EpochPool < 0 || MaxSelectedWitnesses < 1 || WitnessDeadlineAfterBeaconMs < 0 || WitnessDeadlineAfterFirstWitnessMs < 0)
        {
            error = "Poc:EpochPool, MaxSelectedWitnesses and the witness deadlines cannot be negative (MaxSelectedWitnesses at least 1).";
        }

        return error.Length == 0;
    }
}
