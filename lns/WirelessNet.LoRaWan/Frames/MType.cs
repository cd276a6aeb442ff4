namespace WirelessNet.LoRaWan.Frames;

/// <summary>Message type: the top three bits of the MAC header.</summary>
public enum MType : byte
{
    JoinRequest = 0,
    JoinAccept = 1,
    UnconfirmedDataUp = 2,
    UnconfirmedDataDown = 3,
    ConfirmedDataUp = 4,
    ConfirmedDataDown = 5,
    RejoinRequest = 6,
    Proprietary = 7,
}
