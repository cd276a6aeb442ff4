namespace WirelessNet.Simulators.Rf;

/// <summary>Time on air of a LoRa frame (Semtech AN1200.13, "LoRa Modem Designer's Guide", §4).</summary>
public static class LoRaAirtime
{
    /// <param name="payloadBytes">PHYPayload length.</param>
    /// <param name="codingRate">1..4 for 4/5..4/8.</param>
    /// <param name="lowDataRateOptimize">Null: on when the symbol time exceeds 16 ms (SF11/SF12 at 125 kHz), as LoRaWAN requires.</param>
    public static TimeSpan Compute(
        int spreadingFactor,
        int bandwidthHz,
        int payloadBytes,
        int codingRate = 1,
        int preambleSymbols = 8,
        bool explicitHeader = true,
        bool crc = true,
        bool? lowDataRateOptimize = null)
    {
        if (spreadingFactor is < 5 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(spreadingFactor), spreadingFactor, "LoRa spreading factors are 5–12.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bandwidthHz);
        ArgumentOutOfRangeException.ThrowIfNegative(payloadBytes);
        if (codingRate is < 1 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(codingRate), codingRate, "Coding rate 1..4 means 4/5..4/8.");
        }

        var symbolSeconds = Math.Pow(2, spreadingFactor) / bandwidthHz;
        var de = lowDataRateOptimize ?? symbolSeconds > 0.016;
        var preambleSeconds = (preambleSymbols + 4.25) * symbolSeconds;
        var numerator = (8.0 * payloadBytes) - (4.0 * spreadingFactor) + 28 + (crc ? 16 : 0) - (explicitHeader ? 0 : 20);
        var denominator = 4.0 * (spreadingFactor - (de ? 2 : 0));
        var payloadSymbols = 8 + Math.Max(Math.Ceiling(numerator / denominator) * (codingRate + 4), 0);
        return TimeSpan.FromTicks((long)Math.Round((preambleSeconds + (payloadSymbols * symbolSeconds)) * TimeSpan.TicksPerSecond));
    }
}
