namespace WirelessNet.LoRaWan.Regions;

/// <summary>How a region derives the RX1 downlink frequency from the uplink frequency.</summary>
public enum Rx1FrequencyRule
{
    /// <summary>RX1 uses the uplink frequency (dynamic channel plans: EU868, AS923, ...).</summary>
    SameAsUplink,

    /// <summary>
    /// RX1 uses downlink channel (uplink channel number mod downlink channel count)
    /// (fixed channel plans: US915, AU915).
    /// </summary>
    UplinkChannelModulo,
}
