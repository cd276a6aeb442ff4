using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.Lns.Downlinks;

/// <summary>
/// Where and when a Class A answer goes: to the gateway that heard the uplink best, in RX1 (region rules for
/// frequency and data rate, after the RX1 delay) with RX2 as the fallback item one second later.
/// </summary>
public static class ClassADownlinkPlanner
{
    /// <summary>
    /// Builds the transmission for <paramref name="phyPayload"/> answering <paramref name="uplink"/> (the best
    /// reception). <paramref name="rx1Delay"/> is the session's RX1 delay, or the join-accept delay 1.
    /// </summary>
    public static DownlinkTransmission Plan(
        RegionParameters region,
        UplinkReception uplink,
        byte[] phyPayload,
        uint downlinkId,
        TimeSpan rx1Delay,
        int rx1DrOffset,
        int rx2DataRate,
        ulong? rx2FrequencyHz = null)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(uplink);
        var items = new List<DownlinkItem>(2);
        var rx2Delay = rx1Delay + TimeSpan.FromSeconds(1);

        if (region.TryGetLoRaDataRate(uplink.Modulation.SpreadingFactor, uplink.Modulation.BandwidthHz, uplink: true, out var uplinkDr)
            && region.TryGetRx1DataRate(uplinkDr, rx1DrOffset, out var rx1Dr)
            && region.TryGetRx1Frequency(uplink.FrequencyHz, out var rx1Frequency))
        {
            items.Add(Item(region, phyPayload, rx1Frequency, rx1Dr, rx1Delay, uplink));
        }

        items.Add(Item(region, phyPayload, rx2FrequencyHz ?? region.Rx2Frequency, rx2DataRate, rx2Delay, uplink));
        return new DownlinkTransmission(uplink.GatewayId, downlinkId, items);
    }

    private static DownlinkItem Item(RegionParameters region, byte[] phyPayload, ulong frequency, int dataRate, TimeSpan delay, UplinkReception uplink)
    {
        var dr = region.GetDataRate(dataRate);
        return new DownlinkItem(
            phyPayload,
            frequency,
            region.DownlinkTxPowerDbm(frequency),
            new LoRaModulation(dr.SpreadingFactor, dr.BandwidthHz),
            new DownlinkTiming.Delay(delay),
            uplink.Context,
            uplink.Board,
            uplink.Antenna)
        {
            GatewayTimestampMicros = uplink.GatewayTimestampMicros is { } t ? t + (ulong)(delay.Ticks / 10) : null,
        };
    }
}
