namespace WirelessNet.LoRaWan.Regions;

/// <summary>How a region interprets the ChMaskCntl/ChMask pair of a LinkADRReq.</summary>
public enum ChannelMaskLayout
{
    /// <summary>Up to 16 channels: ChMaskCntl 0 sets channels 0–15, 6 enables all defined channels.</summary>
    Dynamic16,

    /// <summary>
    /// 64 × 125 kHz + 8 × 500 kHz channels: ChMaskCntl 0–3 set 16-channel blocks, 4 sets channels 64–71,
    /// 5 sets 8-channel banks each with its 500 kHz channel, 6/7 turn all 125 kHz channels on/off and set 64–71.
    /// </summary>
    Fixed64Plus8,
}
