namespace WirelessNet.LoRaWan.Adr;

/// <summary>The settings the ADR algorithm wants the device to use; <see cref="Changed"/> says a LinkADRReq is needed.</summary>
public readonly record struct AdrDecision(int DataRate, int TxPowerIndex, int NbTrans, bool Changed);
