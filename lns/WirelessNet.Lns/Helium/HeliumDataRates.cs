using WirelessNet.Lns.Gateways;
using WirelessNet.Proto.Helium;

namespace WirelessNet.Lns.Helium;

/// <summary>
/// Helium <c>data_rate</c> values and LoRa modulations: SF12BW125 = 0 … SF7BW125 = 5, the same for 250 kHz
/// (6 … 11) and 500 kHz (12 … 17). LR-FHSS (18 … 23) and FSK (24) have no LoRa modulation and are not supported.
/// </summary>
public static class HeliumDataRates
{
    private const int SpreadingFactorsPerBandwidth = 6;
    private static readonly int[] Bandwidths = [125_000, 250_000, 500_000];

    /// <summary>The modulation of a LoRa data rate; false for LR-FHSS, FSK and unknown values.</summary>
    public static bool TryGetModulation(data_rate dataRate, out LoRaModulation modulation)
    {
        var value = (int)dataRate;
        if (value is < 0 or >= SpreadingFactorsPerBandwidth * 3)
        {
            modulation = default;
            return false;
        }

        modulation = new LoRaModulation(12 - (value % SpreadingFactorsPerBandwidth), Bandwidths[value / SpreadingFactorsPerBandwidth]);
        return true;
    }

    /// <summary>The data rate for a LoRa modulation (coding rate ignored: Helium data rates do not carry it).</summary>
    public static bool TryGetDataRate(LoRaModulation modulation, out data_rate dataRate)
    {
        var bandwidthIndex = Array.IndexOf(Bandwidths, modulation.BandwidthHz);
        if (bandwidthIndex < 0 || modulation.SpreadingFactor is < 7 or > 12)
        {
            dataRate = default;
            return false;
        }

        dataRate = (data_rate)((bandwidthIndex * SpreadingFactorsPerBandwidth) + (12 - modulation.SpreadingFactor));
        return true;
    }
}
