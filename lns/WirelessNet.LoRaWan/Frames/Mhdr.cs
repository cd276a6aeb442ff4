namespace WirelessNet.LoRaWan.Frames;

/// <summary>The MAC header byte: MType (bits 7..5), RFU (4..2), Major (1..0).</summary>
public readonly record struct Mhdr(byte Value)
{
    /// <summary>Major version LoRaWAN R1, the only one defined.</summary>
    public const int MajorLoRaWanR1 = 0;

    public Mhdr(MType mType)
        : this((byte)((int)mType << 5))
    {
    }

    public MType MType => (MType)(Value >> 5);

    public int Major => Value & 0x03;

    public bool IsDataFrame => MType is MType.UnconfirmedDataUp or MType.UnconfirmedDataDown or MType.ConfirmedDataUp or MType.ConfirmedDataDown;

    public bool IsUplink => MType is MType.JoinRequest or MType.UnconfirmedDataUp or MType.ConfirmedDataUp or MType.RejoinRequest;
}
