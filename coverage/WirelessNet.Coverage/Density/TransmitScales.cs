namespace WirelessNet.Coverage.Density;

/// <summary>Transmit scales of hotspots: HIP 17 density over the hotspots active within the activity window.</summary>
public static class TransmitScales
{
    /// <summary>
    /// The transmit scale (0-1, 4 decimals) of every hotspot active within <see cref="HexDensityOptions.ActivityWindow"/>
    /// before <paramref name="now"/>; inactive hotspots neither count nor get a scale.
    /// </summary>
    public static Dictionary<string, decimal> Compute(
        IReadOnlyCollection<HotspotAssertion> hotspots, DateTimeOffset now, HexDensityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hotspots);
        options ??= HexDensityOptions.Hip104;
        var activeSince = now - options.ActivityWindow;
        var active = hotspots.Where(h => h.LastActive >= activeSince).ToList();
        var map = HexDensityMap.Compute(active.Select(h => h.Location), options);
        var scales = new Dictionary<string, decimal>(active.Count, StringComparer.Ordinal);
        foreach (var hotspot in active)
        {
            scales[hotspot.HotspotId] = map.GetTransmitScale(hotspot.Location);
        }

        return scales;
    }
}
