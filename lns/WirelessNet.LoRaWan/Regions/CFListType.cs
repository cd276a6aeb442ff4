namespace WirelessNet.LoRaWan.Regions;

/// <summary>The kind of CFList a region's Join-Accept carries (the value of the CFListType octet).</summary>
public enum CFListType
{
    /// <summary>Type 0: five extra channel frequencies (dynamic channel plans).</summary>
    Frequencies = 0,

    /// <summary>Type 1: channel masks ChMask0..ChMask4 (fixed channel plans).</summary>
    ChannelMask = 1,
}
