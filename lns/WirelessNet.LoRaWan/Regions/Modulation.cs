namespace WirelessNet.LoRaWan.Regions;

/// <summary>The physical-layer modulation a data rate uses.</summary>
public enum Modulation
{
    LoRa,
    Fsk,
    LrFhss,
}
