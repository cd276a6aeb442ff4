namespace WirelessNet.LoRaWan.Adr;

/// <summary>
/// One received uplink as the ADR algorithm sees it: its full 32-bit frame counter, the best SNR in dB over all
/// gateways that heard it, and the TXPower index the device was using.
/// </summary>
public readonly record struct UplinkRecord(uint FCnt, float MaxSnrDb, int TxPowerIndex);
