using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Uplinks;

namespace WirelessNet.Lns.Metering;

/// <summary>
/// Applies a device profile's <c>MaxCopies</c>: only the strongest copies (SNR, then RSSI) are purchased, and only
/// purchased copies are delivered, used for the downlink choice and charged.
/// </summary>
public static class CopyLimit
{
    /// <summary>The uplink with at most <paramref name="maxCopies"/> receptions (0 or less: all), in their original order.</summary>
    public static ReceivedUplink Apply(ReceivedUplink uplink, int maxCopies)
    {
        ArgumentNullException.ThrowIfNull(uplink);
        return maxCopies <= 0 || uplink.Receptions.Count <= maxCopies
            ? uplink
            : uplink with { Receptions = Select(uplink.Receptions, maxCopies) };
    }

    /// <summary>The strongest <paramref name="maxCopies"/> receptions; ties keep the earlier reception (stable order).</summary>
    public static IReadOnlyList<UplinkReception> Select(IReadOnlyList<UplinkReception> receptions, int maxCopies)
    {
        ArgumentNullException.ThrowIfNull(receptions);
        if (maxCopies <= 0 || receptions.Count <= maxCopies)
        {
            return receptions;
        }

        // OrderBy is stable, so equal SNR and RSSI keep arrival order; the kept copies are then returned in their
        // original order, so that nothing downstream depends on the ranking.
        var kept = receptions
            .Select((reception, index) => (reception, index))
            .OrderByDescending(x => x.reception.Snr)
            .ThenByDescending(x => x.reception.Rssi)
            .Take(maxCopies)
            .OrderBy(x => x.index)
            .Select(x => x.reception)
            .ToArray();
        return kept;
    }
}
