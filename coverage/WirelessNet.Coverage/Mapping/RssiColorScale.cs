namespace WirelessNet.Coverage.Mapping;

/// <summary>The map's colours for a hex's best RSSI: five bands from strong (green) to marginal (red).</summary>
public static class RssiColorScale
{
    /// <summary>Bands from strongest down; a value belongs to the first band whose <c>MinRssi</c> it reaches (the last band takes the rest).</summary>
    public static IReadOnlyList<RssiBand> Bands { get; } =
    [
        new(-90, "#1a9850", "≥ −90 dBm"),
        new(-100, "#91cf60", "−100 to −90 dBm"),
        new(-110, "#fee08b", "−110 to −100 dBm"),
        new(-120, "#fc8d59", "−120 to −110 dBm"),
        new(double.NegativeInfinity, "#d73027", "< −120 dBm"),
    ];

    public static string ColorFor(double bestRssi)
    {
        foreach (var band in Bands)
        {
            if (bestRssi >= band.MinRssi)
            {
                return band.Color;
            }
        }

        return Bands[^1].Color;
    }
}

/// <summary>One colour band of <see cref="RssiColorScale"/>.</summary>
public sealed record RssiBand(double MinRssi, string Color, string Label);
