namespace WirelessNet.Poc.Beacons;

/// <summary>
/// A PoC beacon: the 51-byte payload and the radio parameters derived from it. TX power is conducted power in
/// dBm×10 (region max EIRP − antenna gain), Helium's unit.
/// </summary>
public sealed record Beacon(byte[] Payload, ulong FrequencyHz, int DataRate, int TxPowerDeciDbm)
{
    /// <summary>The PHYPayload on air: MHDR 0xE0 (Proprietary, major 0) followed by the payload.</summary>
    public byte[] ToPhyPayload()
    {
        var frame = new byte[BeaconGenerator.PhyPayloadLength];
        frame[0] = BeaconGenerator.ProprietaryMhdr;
        Payload.CopyTo(frame, 1);
        return frame;
    }
}
