namespace WirelessNet.Coverage.Density;

/// <summary>Parameters of the hex density (transmit scale) computation; see docs/coverage.md.</summary>
public sealed class HexDensityOptions
{
    /// <summary>The finest resolution with a density rule (res 11 counts are never clipped).</summary>
    public const int FinestRuleResolution = 10;

    /// <summary>The coarsest resolution with a density rule.</summary>
    public const int CoarsestRuleResolution = 4;

    private readonly HexDensityRule[] _rules;

    /// <param name="rules">The rules of resolutions 4 to 10, in that order.</param>
    /// <param name="activityWindow">Hotspots not seen for longer than this do not count (HIP 17: 60 hours).</param>
    public HexDensityOptions(IReadOnlyList<HexDensityRule> rules, TimeSpan activityWindow)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Count != FinestRuleResolution - CoarsestRuleResolution + 1)
        {
            throw new ArgumentException("One rule per resolution 4..10 is required.", nameof(rules));
        }

        foreach (var rule in rules)
        {
            // Max >= Target keeps "clipped >= target" equal to "unclipped >= target", which makes the result independent of
            // the order hexes are evaluated in (docs/coverage.md).
            if (rule.Neighbors < 0 || rule.Target < 1 || rule.Max < rule.Target)
            {
                throw new ArgumentException($"Invalid rule {rule}: need Neighbors >= 0, Target >= 1 and Max >= Target.", nameof(rules));
            }
        }

        if (activityWindow <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(activityWindow), activityWindow, "The activity window must be positive.");
        }

        _rules = [.. rules];
        ActivityWindow = activityWindow;
    }

    /// <summary>HIP 17 as modified by HIP 104 (N / target / max): res 4 2/500/1000, res 5 4/100/200, res 6 4/25/50, res 7 4/5/10, res 8-10 2/1/1.</summary>
    public static HexDensityOptions Hip104 { get; } = new(
        [new(2, 500, 1000), new(4, 100, 200), new(4, 25, 50), new(4, 5, 10), new(2, 1, 1), new(2, 1, 1), new(2, 1, 1)],
        TimeSpan.FromHours(60));

    /// <summary>
    /// The original HIP 17 chain variables as in helium/oracles' hex_density.rs: res 4 1/250/800, res 5 1/100/400,
    /// res 6 1/25/100, res 7 2/5/20, res 8 2/1/4, res 9 2/1/2, res 10 2/1/1 (used to check this implementation against
    /// that one's test vector).
    /// </summary>
    public static HexDensityOptions Hip17 { get; } = new(
        [new(1, 250, 800), new(1, 100, 400), new(1, 25, 100), new(2, 5, 20), new(2, 1, 4), new(2, 1, 2), new(2, 1, 1)],
        TimeSpan.FromHours(60));

    public TimeSpan ActivityWindow { get; }

    /// <summary>The rule of a resolution from 4 to 10.</summary>
    public HexDensityRule RuleFor(int res) =>
        res is < CoarsestRuleResolution or > FinestRuleResolution
            ? throw new ArgumentOutOfRangeException(nameof(res), res, "Density rules exist for resolutions 4-10.")
            : _rules[res - CoarsestRuleResolution];
}
