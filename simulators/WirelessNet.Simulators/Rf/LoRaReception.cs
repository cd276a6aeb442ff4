namespace WirelessNet.Simulators.Rf;

/// <summary>LoRa receiver physics: thermal noise floor, SNR and the demodulation floor of each spreading factor.</summary>
public static class LoRaReception
{
    /// <summary>Thermal noise density at 290 K, dBm/Hz.</summary>
    public const double ThermalNoiseDbmPerHz = -174.0;

    /// <summary>A typical gateway front-end noise figure (SX1301/SX1302 class), dB.</summary>
    public const double DefaultNoiseFigureDb = 6.0;

    /// <summary>Noise floor = −174 dBm/Hz + 10·log10(BW) + NF. 125 kHz with NF 6 dB ≈ −117.0 dBm.</summary>
    public static double NoiseFloorDbm(double bandwidthHz, double noiseFigureDb = DefaultNoiseFigureDb) =>
        ThermalNoiseDbmPerHz + (10.0 * Math.Log10(bandwidthHz)) + noiseFigureDb;

    /// <summary>Lowest SNR at which a spreading factor still demodulates (Semtech SX127x datasheet): SF7 −7.5 … SF12 −20 dB.</summary>
    public static double DemodulationFloorDb(int spreadingFactor) => spreadingFactor switch
    {
        5 => -2.5,
        6 => -5.0,
        7 => -7.5,
        8 => -10.0,
        9 => -12.5,
        10 => -15.0,
        11 => -17.5,
        12 => -20.0,
        _ => throw new ArgumentOutOfRangeException(nameof(spreadingFactor), spreadingFactor, "LoRa spreading factors are 5–12."),
    };

    /// <summary>Sensitivity: the RSSI at which the SNR reaches the demodulation floor.</summary>
    public static double SensitivityDbm(int spreadingFactor, double bandwidthHz, double noiseFigureDb = DefaultNoiseFigureDb) =>
        NoiseFloorDbm(bandwidthHz, noiseFigureDb) + DemodulationFloorDb(spreadingFactor);

    /// <summary>SNR of a signal received at <paramref name="rssiDbm"/>.</summary>
    public static double Snr(double rssiDbm, double bandwidthHz, double noiseFigureDb = DefaultNoiseFigureDb) =>
        rssiDbm - NoiseFloorDbm(bandwidthHz, noiseFigureDb);

    /// <summary>True when a signal at <paramref name="rssiDbm"/> demodulates at this spreading factor and bandwidth.</summary>
    public static bool IsReceivable(double rssiDbm, int spreadingFactor, double bandwidthHz, double noiseFigureDb = DefaultNoiseFigureDb) =>
        Snr(rssiDbm, bandwidthHz, noiseFigureDb) >= DemodulationFloorDb(spreadingFactor);
}
