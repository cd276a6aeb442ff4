namespace WirelessNet.Poc.Validation;

/// <summary>The free-space bound the bad_rssi rule enforces: nothing is received stronger than in a vacuum.</summary>
public static class FreeSpace
{
    public const double SpeedOfLight = 2.998e8;

    /// <summary>FSPL in dB = 20·log10(4π·d·f/c), d in metres, f in Hz.</summary>
    public static double PathLossDb(double distanceMetres, double frequencyHz, double speedOfLight = SpeedOfLight) =>
        20.0 * Math.Log10(4.0 * Math.PI * distanceMetres * frequencyHz / speedOfLight);

    /// <summary>
    /// The strongest RSSI (dBm) a witness can hear: TX power + beaconer gain + witness gain − FSPL. Powers and gains in
    /// Helium's tenths (dBm×10, dBi×10).
    /// </summary>
    public static double MaxRssiDbm(
        int txPowerDeciDbm, int beaconerGainDeciDbi, int witnessGainDeciDbi, double distanceMetres, double frequencyHz, double speedOfLight = SpeedOfLight) =>
        ((txPowerDeciDbm + beaconerGainDeciDbi + witnessGainDeciDbi) / 10.0) - PathLossDb(distanceMetres, frequencyHz, speedOfLight);
}
