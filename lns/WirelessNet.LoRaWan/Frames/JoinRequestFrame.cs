using System.Buffers.Binary;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Frames;

/// <summary>Join-Request: MHDR ‖ JoinEUI ‖ DevEUI ‖ DevNonce ‖ MIC (23 bytes).</summary>
public readonly record struct JoinRequestFrame(Eui64 JoinEui, Eui64 DevEui, ushort DevNonce, Mic Mic)
{
    public const int Length = 23;

    /// <summary>Number of leading bytes the MIC covers.</summary>
    public const int MicInputLength = Length - Mic.Size;

    public static FrameError TryDecode(ReadOnlySpan<byte> phyPayload, out JoinRequestFrame frame)
    {
        frame = default;
        var error = PhyPayload.TryReadMhdr(phyPayload, out var mhdr);
        if (error != FrameError.None)
        {
            return error;
        }

        if (mhdr.MType != MType.JoinRequest)
        {
            return FrameError.WrongMType;
        }

        if (phyPayload.Length != Length)
        {
            return FrameError.JoinRequestLength;
        }

        frame = new JoinRequestFrame(
            Eui64.ReadLittleEndian(phyPayload[1..]),
            Eui64.ReadLittleEndian(phyPayload[9..]),
            BinaryPrimitives.ReadUInt16LittleEndian(phyPayload[17..]),
            Mic.Read(phyPayload[19..]));
        return FrameError.None;
    }

    /// <summary>Writes the 23-byte frame with this record's MIC and returns 23.</summary>
    public int Write(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"A Join-Request needs {Length} bytes.", nameof(destination));
        }

        destination[0] = new Mhdr(MType.JoinRequest).Value;
        JoinEui.WriteLittleEndian(destination[1..]);
        DevEui.WriteLittleEndian(destination[9..]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[17..], DevNonce);
        Mic.Write(destination[19..]);
        return Length;
    }
}
