namespace WirelessNet.Lns.Gateways;

/// <summary>LoRa modulation parameters of a transmission: spreading factor, bandwidth in Hz, coding rate 4/CodeRateDenominator.</summary>
public readonly record struct LoRaModulation(int SpreadingFactor, int BandwidthHz, int CodeRateDenominator = 5)
{
    public bool IsValid => SpreadingFactor is >= 5 and <= 12 && BandwidthHz > 0 && CodeRateDenominator is >= 5 and <= 8;

    public override string ToString() => $"SF{SpreadingFactor}BW{BandwidthHz / 1000}";
}
