namespace WirelessNet.LoRaWan.Frames;

/// <summary>Join-Accept DLSettings: OptNeg (bit 7, LoRaWAN 1.1), RX1DROffset (6..4), RX2DataRate (3..0).</summary>
public readonly record struct DlSettings(byte Value)
{
    public static DlSettings Create(int rx1DrOffset, int rx2DataRate, bool optNeg = false)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)rx1DrOffset, 7u, nameof(rx1DrOffset));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)rx2DataRate, 15u, nameof(rx2DataRate));
        return new DlSettings((byte)((optNeg ? 0x80 : 0) | (rx1DrOffset << 4) | rx2DataRate));
    }

    public bool OptNeg => (Value & 0x80) != 0;

    public int Rx1DrOffset => (Value >> 4) & 0x07;

    public int Rx2DataRate => Value & 0x0F;
}
