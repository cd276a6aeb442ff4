namespace WirelessNet.LoRaWan.Regions;

/// <summary>The ChMaskCntl/ChMask pair carried by one LinkADRReq.</summary>
public readonly record struct LinkAdrChannelMask(int ChMaskCntl, ushort ChMask);
