namespace WirelessNet.LoRaWan.Adr;

/// <summary>
/// The device state the ADR algorithm starts from. <see cref="MaxDataRate"/> and <see cref="MaxTxPowerIndex"/> are
/// the ceilings the network allows (the algorithm further caps the data rate at the region's highest 125 kHz LoRa
/// data rate); a higher TXPower index means lower power.
/// </summary>
public readonly record struct AdrRequest(int DataRate, int TxPowerIndex, int NbTrans, int MaxDataRate, int MaxTxPowerIndex)
{
    /// <summary>Extra SNR headroom in dB kept above the demodulation floor; 10 dB unless set.</summary>
    public float InstallationMarginDb { get; init; } = DefaultAdrAlgorithm.DefaultInstallationMarginDb;
}
