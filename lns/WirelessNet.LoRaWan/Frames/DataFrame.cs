using System.Buffers.Binary;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Frames;

/// <summary>
/// A decoded data frame (Unconfirmed/Confirmed Data Up/Down): views over the caller's buffer, nothing copied.
/// FOpts and FRMPayload are as on the wire (encrypted); see <see cref="Crypto.SessionSecurity"/> to verify and decrypt.
/// </summary>
public readonly ref struct DataFrame
{
    /// <summary>MHDR(1) + DevAddr(4) + FCtrl(1) + FCnt(2) + MIC(4).</summary>
    public const int MinLength = 12;

    /// <summary>Marker for "no FPort field".</summary>
    public const int NoPort = -1;

    private DataFrame(ReadOnlySpan<byte> bytes, Mhdr mhdr, FCtrl fCtrl, int fPort, int payloadOffset)
    {
        Bytes = bytes;
        Mhdr = mhdr;
        FCtrl = fCtrl;
        FPort = fPort;
        FrmPayload = bytes[payloadOffset..^Mic.Size];
    }

    /// <summary>The whole PHYPayload.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public Mhdr Mhdr { get; }

    public MType MType => Mhdr.MType;

    public bool IsUplink => MType is MType.UnconfirmedDataUp or MType.ConfirmedDataUp;

    public bool IsConfirmed => MType is MType.ConfirmedDataUp or MType.ConfirmedDataDown;

    public DevAddr DevAddr => DevAddr.ReadLittleEndian(Bytes[1..]);

    public FCtrl FCtrl { get; }

    /// <summary>The 16 low bits of the frame counter, as carried on the wire.</summary>
    public ushort FCnt => BinaryPrimitives.ReadUInt16LittleEndian(Bytes[6..]);

    /// <summary>FOpts as on the wire (encrypted under LoRaWAN 1.1).</summary>
    public ReadOnlySpan<byte> FOpts => Bytes.Slice(8, FCtrl.FOptsLength);

    /// <summary>FPort, or <see cref="NoPort"/> when the frame has none.</summary>
    public int FPort { get; }

    public bool HasPort => FPort >= 0;

    /// <summary>FRMPayload as on the wire (encrypted). Empty when there is no FPort.</summary>
    public ReadOnlySpan<byte> FrmPayload { get; }

    public Mic Mic => Mic.Read(Bytes[^Mic.Size..]);

    /// <summary>The bytes the MIC covers: MHDR through FRMPayload.</summary>
    public ReadOnlySpan<byte> MicInput => Bytes[..^Mic.Size];

    /// <summary>Decodes a data frame. Never throws; on failure <paramref name="frame"/> is default.</summary>
    public static FrameError TryDecode(ReadOnlySpan<byte> phyPayload, out DataFrame frame)
    {
        frame = default;
        var error = PhyPayload.TryReadMhdr(phyPayload, out var mhdr);
        if (error != FrameError.None)
        {
            return error;
        }

        if (!mhdr.IsDataFrame)
        {
            return FrameError.WrongMType;
        }

        if (phyPayload.Length < MinLength)
        {
            return FrameError.DataFrameTooShort;
        }

        var fCtrl = new FCtrl(phyPayload[5]);
        var afterFOpts = 8 + fCtrl.FOptsLength;
        var macPayloadEnd = phyPayload.Length - Mic.Size;
        if (afterFOpts > macPayloadEnd)
        {
            return FrameError.FOptsOverrunFrame;
        }

        var fPort = NoPort;
        var payloadOffset = afterFOpts;
        if (afterFOpts < macPayloadEnd)
        {
            fPort = phyPayload[afterFOpts];
            payloadOffset = afterFOpts + 1;
            if (fPort == 0 && fCtrl.FOptsLength > 0)
            {
                return FrameError.FOptsWithPortZero;
            }
        }

        frame = new DataFrame(phyPayload, mhdr, fCtrl, fPort, payloadOffset);
        return FrameError.None;
    }
}
