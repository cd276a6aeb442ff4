namespace WirelessNet.LoRaWan.Frames;

/// <summary>
/// The frame control byte of a data frame. Bit 6 is ADRACKReq on uplinks (RFU on downlinks); bit 4 is ClassB on
/// uplinks and FPending on downlinks; bits 3..0 are FOptsLen.
/// </summary>
public readonly record struct FCtrl(byte Value)
{
    public const byte AdrBit = 0x80;
    public const byte AdrAckReqBit = 0x40;
    public const byte AckBit = 0x20;
    public const byte ClassBOrFPendingBit = 0x10;

    public static FCtrl Create(bool adr = false, bool adrAckReq = false, bool ack = false, bool classBOrFPending = false, int fOptsLength = 0)
    {
        if ((uint)fOptsLength > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(fOptsLength), "FOpts are at most 15 bytes.");
        }

        var v = fOptsLength;
        if (adr)
        {
            v |= AdrBit;
        }

        if (adrAckReq)
        {
            v |= AdrAckReqBit;
        }

        if (ack)
        {
            v |= AckBit;
        }

        if (classBOrFPending)
        {
            v |= ClassBOrFPendingBit;
        }

        return new FCtrl((byte)v);
    }

    public bool Adr => (Value & AdrBit) != 0;

    /// <summary>ADRACKReq (uplink only).</summary>
    public bool AdrAckReq => (Value & AdrAckReqBit) != 0;

    public bool Ack => (Value & AckBit) != 0;

    /// <summary>ClassB (uplink).</summary>
    public bool ClassB => (Value & ClassBOrFPendingBit) != 0;

    /// <summary>FPending (downlink).</summary>
    public bool FPending => (Value & ClassBOrFPendingBit) != 0;

    public int FOptsLength => Value & 0x0F;

    public FCtrl WithFOptsLength(int length)
    {
        if ((uint)length > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "FOpts are at most 15 bytes.");
        }

        return new FCtrl((byte)((Value & 0xF0) | length));
    }
}
