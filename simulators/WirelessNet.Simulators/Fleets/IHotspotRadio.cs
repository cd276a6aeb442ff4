namespace WirelessNet.Simulators.Fleets;

/// <summary>
/// A simulated hotspot as the fleet sees it: it forwards what its radio heard to the server over its transport, and
/// hands back what the server asks it to transmit.
/// </summary>
public interface IHotspotRadio : IAsyncDisposable
{
    /// <summary>Forwards one reception (the RF model decided it was heard at this RSSI and SNR).</summary>
    Task ForwardUplinkAsync(byte[] phyPayload, ulong frequencyHz, int spreadingFactor, int rssiDbm, float snrDb, CancellationToken cancellationToken);

    /// <summary>
    /// Reports a proof-of-coverage beacon as this hotspot's witness: a bridge gateway forwards the frame like any
    /// reception (the server files it as the gateway's witness), a Helium hotspot submits a signed witness report.
    /// </summary>
    Task WitnessBeaconAsync(byte[] beaconPhyPayload, ulong frequencyHz, int spreadingFactor, int rssiDbm, float snrDb, CancellationToken cancellationToken);

    /// <summary>What the server sent for transmission (the first window of each downlink).</summary>
    IAsyncEnumerable<HotspotTransmission> ReadDownlinksAsync(CancellationToken cancellationToken);
}

/// <summary>One transmission a hotspot was told to make: the PHYPayload and how it goes on air.</summary>
public sealed record HotspotTransmission(byte[] PhyPayload, ulong FrequencyHz, int SpreadingFactor, int PowerDbm);
