namespace WirelessNet.Poc.Validation;

/// <summary>
/// The tunable numbers of the PoC rules. Defaults follow Helium's LoRa PoC verifier; the optional rules
/// (<see cref="RssiToleranceDb"/>, <see cref="CheckSnrPlausibility"/>) are off by default.
/// </summary>
public sealed record PocValidationOptions
{
    public static PocValidationOptions Default { get; } = new();

    /// <summary>Challenge window: each eligible hotspot beacons once per window.</summary>
    public TimeSpan ChallengeWindow { get; init; } = TimeSpan.FromHours(6);

    /// <summary>How long an entropy value stays valid after it is produced.</summary>
    public int EntropyLifespanSeconds { get; init; } = Entropy.EntropyChain.LifespanSeconds;

    /// <summary>A witness must arrive within this of the beacon, when the beacon arrived first.</summary>
    public TimeSpan WitnessDeadlineAfterBeacon { get; init; } = TimeSpan.FromMilliseconds(4_000);

    /// <summary>A witness must arrive within this of the first witness, when witnesses arrived before the beacon.</summary>
    public TimeSpan WitnessDeadlineAfterFirstWitness { get; init; } = TimeSpan.FromMilliseconds(1_500);

    /// <summary>Largest allowed |witness frequency − beacon frequency|.</summary>
    public ulong MaxFrequencyOffsetHz { get; init; } = 100_000;

    /// <summary>Resolution whose grid distance the min-distance rule measures.</summary>
    public int MinDistanceResolution { get; init; } = 11;

    /// <summary>Smallest allowed grid distance between the res-11 parents of beaconer and witness.</summary>
    public long MinGridDistance { get; init; } = 8;

    /// <summary>Largest allowed great-circle distance between the asserted cells, km.</summary>
    public double MaxDistanceKm { get; init; } = 100;

    /// <summary>A beaconer needs a valid witness, and a witness a valid beacon, within this long.</summary>
    public TimeSpan ReciprocityWindow { get; init; } = TimeSpan.FromHours(48);

    /// <summary>Turns both reciprocity rules off (for tests and networks where PoC has just started).</summary>
    public bool EnforceReciprocity { get; init; } = true;

    /// <summary>At most this many valid witnesses of a beacon are selected for rewards, earliest first.</summary>
    public int MaxSelectedWitnesses { get; init; } = 14;

    /// <summary>
    /// Optional: dB an RSSI may exceed the free-space maximum before bad_rssi (default 0: no tolerance). Covers
    /// RSSI calibration error and asserted-location rounding at short range.
    /// </summary>
    public double RssiToleranceDb { get; init; }

    /// <summary>
    /// Optional: reject (bad_rssi) a witness whose SNR exceeds RSSI − thermal noise in the channel (−174 dBm/Hz +
    /// 10·log10(bandwidth)) by more than <see cref="SnrPlausibilityMarginDb"/>: that would need a receiver quieter than
    /// physics allows, i.e. fabricated numbers.
    /// </summary>
    public bool CheckSnrPlausibility { get; init; }

    public double SnrPlausibilityMarginDb { get; init; } = 3;

    /// <summary>Speed of light used by the free-space rule (the value Helium uses).</summary>
    public double SpeedOfLightMetresPerSecond { get; init; } = 2.998e8;
}
