using System.Buffers.Binary;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Frames;

/// <summary>Lays out data frames byte for byte. Security (encryption, MIC) is applied by <see cref="Crypto.SessionSecurity"/>.</summary>
public static class DataFrameWriter
{
    /// <summary>Length of a data frame with the given FOpts and FRMPayload lengths.</summary>
    public static int GetLength(int fOptsLength, bool hasPort, int frmPayloadLength) =>
        DataFrame.MinLength + fOptsLength + (hasPort ? 1 + frmPayloadLength : 0);

    /// <summary>
    /// Writes MHDR ‖ FHDR ‖ [FPort ‖ FRMPayload] ‖ MIC with the bytes given as they should appear on the wire.
    /// FOptsLen in <paramref name="fCtrl"/> is replaced by <paramref name="fOpts"/>'s length.
    /// Returns the frame length.
    /// </summary>
    public static int Write(
        Span<byte> destination,
        MType mType,
        DevAddr devAddr,
        FCtrl fCtrl,
        ushort fCnt,
        ReadOnlySpan<byte> fOpts,
        int fPort,
        ReadOnlySpan<byte> frmPayload,
        Mic mic)
    {
        if (mType is not (MType.UnconfirmedDataUp or MType.UnconfirmedDataDown or MType.ConfirmedDataUp or MType.ConfirmedDataDown))
        {
            throw new ArgumentException("Not a data frame MType.", nameof(mType));
        }

        if (fOpts.Length > 15)
        {
            throw new ArgumentException("FOpts are at most 15 bytes.", nameof(fOpts));
        }

        if (fPort is < DataFrame.NoPort or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(fPort), "FPort is 0..255, or DataFrame.NoPort.");
        }

        if (fPort == DataFrame.NoPort && !frmPayload.IsEmpty)
        {
            throw new ArgumentException("An FRMPayload needs an FPort.", nameof(frmPayload));
        }

        if (fPort == 0 && !fOpts.IsEmpty)
        {
            throw new ArgumentException("FPort 0 frames carry MAC commands in FRMPayload and no FOpts.", nameof(fOpts));
        }

        var length = GetLength(fOpts.Length, fPort >= 0, frmPayload.Length);
        if (length > PhyPayload.MaxLength)
        {
            throw new ArgumentException($"The frame would be {length} bytes; a PHYPayload is at most {PhyPayload.MaxLength}.");
        }

        if (destination.Length < length)
        {
            throw new ArgumentException($"The frame needs {length} bytes.", nameof(destination));
        }

        destination[0] = new Mhdr(mType).Value;
        devAddr.WriteLittleEndian(destination[1..]);
        destination[5] = fCtrl.WithFOptsLength(fOpts.Length).Value;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], fCnt);
        fOpts.CopyTo(destination[8..]);
        var offset = 8 + fOpts.Length;
        if (fPort >= 0)
        {
            destination[offset++] = (byte)fPort;
            frmPayload.CopyTo(destination[offset..]);
            offset += frmPayload.Length;
        }

        mic.Write(destination[offset..]);
        return offset + Mic.Size;
    }
}
