using System.Buffers.Binary;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Frames;

/// <summary>
/// Rejoin-Request (LoRaWAN 1.1 §6.2.4). Types 0 and 2: MHDR ‖ type ‖ NetID ‖ DevEUI ‖ RJcount0 ‖ MIC (19 bytes);
/// type 1: MHDR ‖ type ‖ JoinEUI ‖ DevEUI ‖ RJcount1 ‖ MIC (24 bytes).
/// </summary>
public readonly record struct RejoinRequestFrame(byte RejoinType, NetId NetId, Eui64 JoinEui, Eui64 DevEui, ushort RJCount, Mic Mic)
{
    public const int LengthType0Or2 = 19;
    public const int LengthType1 = 24;

    public int Length => RejoinType == 1 ? LengthType1 : LengthType0Or2;

    public static RejoinRequestFrame Type0Or2(byte rejoinType, NetId netId, Eui64 devEui, ushort rjCount0, Mic mic = default)
    {
        if (rejoinType is not (0 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(rejoinType), "Rejoin types 0 and 2 carry a NetID.");
        }

        return new RejoinRequestFrame(rejoinType, netId, default, devEui, rjCount0, mic);
    }

    public static RejoinRequestFrame Type1(Eui64 joinEui, Eui64 devEui, ushort rjCount1, Mic mic = default) =>
        new(1, default, joinEui, devEui, rjCount1, mic);

    public static FrameError TryDecode(ReadOnlySpan<byte> phyPayload, out RejoinRequestFrame frame)
    {
        frame = default;
        var error = PhyPayload.TryReadMhdr(phyPayload, out var mhdr);
        if (error != FrameError.None)
        {
            return error;
        }

        if (mhdr.MType != MType.RejoinRequest)
        {
            return FrameError.WrongMType;
        }

        if (phyPayload.Length < 2)
        {
            return FrameError.RejoinRequestLength;
        }

        var type = phyPayload[1];
        switch (type)
        {
            case 0 or 2:
                if (phyPayload.Length != LengthType0Or2)
                {
                    return FrameError.RejoinRequestLength;
                }

                frame = new RejoinRequestFrame(
                    type,
                    NetId.ReadLittleEndian(phyPayload[2..]),
                    default,
                    Eui64.ReadLittleEndian(phyPayload[5..]),
                    BinaryPrimitives.ReadUInt16LittleEndian(phyPayload[13..]),
                    Mic.Read(phyPayload[15..]));
                return FrameError.None;
            case 1:
                if (phyPayload.Length != LengthType1)
                {
                    return FrameError.RejoinRequestLength;
                }

                frame = new RejoinRequestFrame(
                    type,
                    default,
                    Eui64.ReadLittleEndian(phyPayload[2..]),
                    Eui64.ReadLittleEndian(phyPayload[10..]),
                    BinaryPrimitives.ReadUInt16LittleEndian(phyPayload[18..]),
                    Mic.Read(phyPayload[20..]));
                return FrameError.None;
            default:
                return FrameError.UnknownRejoinType;
        }
    }

    public int Write(Span<byte> destination)
    {
        var length = Length;
        if (destination.Length < length)
        {
            throw new ArgumentException($"This Rejoin-Request needs {length} bytes.", nameof(destination));
        }

        destination[0] = new Mhdr(MType.RejoinRequest).Value;
        destination[1] = RejoinType;
        int offset;
        if (RejoinType == 1)
        {
            JoinEui.WriteLittleEndian(destination[2..]);
            offset = 10;
        }
        else
        {
            NetId.WriteLittleEndian(destination[2..]);
            offset = 5;
        }

        DevEui.WriteLittleEndian(destination[offset..]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[(offset + 8)..], RJCount);
        Mic.Write(destination[(offset + 10)..]);
        return length;
    }
}
