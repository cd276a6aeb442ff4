namespace WirelessNet.LoRaWan.Frames;

/// <summary>A proprietary frame (MType 7): the MHDR and an opaque payload; no MIC is defined by LoRaWAN.</summary>
public readonly ref struct ProprietaryFrame
{
    private ProprietaryFrame(Mhdr mhdr, ReadOnlySpan<byte> payload)
    {
        Mhdr = mhdr;
        Payload = payload;
    }

    public Mhdr Mhdr { get; }

    public ReadOnlySpan<byte> Payload { get; }

    public static FrameError TryDecode(ReadOnlySpan<byte> phyPayload, out ProprietaryFrame frame)
    {
        frame = default;
        var error = PhyPayload.TryReadMhdr(phyPayload, out var mhdr);
        if (error != FrameError.None)
        {
            return error;
        }

        if (mhdr.MType != MType.Proprietary)
        {
            return FrameError.WrongMType;
        }

        frame = new ProprietaryFrame(mhdr, phyPayload[1..]);
        return FrameError.None;
    }

    public static int Write(Span<byte> destination, ReadOnlySpan<byte> payload, int major = 0)
    {
        var length = 1 + payload.Length;
        if (length > PhyPayload.MaxLength)
        {
            throw new ArgumentException("A PHYPayload is at most 255 bytes.", nameof(payload));
        }

        if (destination.Length < length)
        {
            throw new ArgumentException($"The frame needs {length} bytes.", nameof(destination));
        }

        destination[0] = (byte)(((int)MType.Proprietary << 5) | (major & 0x03));
        payload.CopyTo(destination[1..]);
        return length;
    }
}
