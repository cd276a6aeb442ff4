namespace WirelessNet.LoRaWan.Frames;

/// <summary>Checks shared by every frame kind.</summary>
public static class PhyPayload
{
    /// <summary>The largest PHYPayload a LoRa radio carries.</summary>
    public const int MaxLength = 255;

    /// <summary>Reads and checks the MAC header: non-empty, at most 255 bytes, major version R1.</summary>
    public static FrameError TryReadMhdr(ReadOnlySpan<byte> phyPayload, out Mhdr mhdr)
    {
        if (phyPayload.IsEmpty)
        {
            mhdr = default;
            return FrameError.Empty;
        }

        mhdr = new Mhdr(phyPayload[0]);
        if (phyPayload.Length > MaxLength)
        {
            return FrameError.TooLong;
        }

        // Proprietary frames may use any major; every other kind must be R1.
        return mhdr.MType != MType.Proprietary && mhdr.Major != Mhdr.MajorLoRaWanR1 ? FrameError.UnsupportedMajor : FrameError.None;
    }
}
