using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Crypto;

/// <summary>MICs of the join procedure's uplinks.</summary>
public static class JoinCrypto
{
    /// <summary>Join-Request MIC: CMAC(AppKey (1.0) or NwkKey (1.1), MHDR ‖ JoinEUI ‖ DevEUI ‖ DevNonce)[0..4].</summary>
    public static Mic ComputeJoinRequestMic(ExpandedAesKey key, in JoinRequestFrame frame)
    {
        Span<byte> b = stackalloc byte[JoinRequestFrame.Length];
        frame.Write(b);
        return FrameCrypto.ComputeMic(key, b[..JoinRequestFrame.MicInputLength]);
    }

    /// <summary>Rejoin-Request MIC: SNwkSIntKey for types 0 and 2, JSIntKey for type 1.</summary>
    public static Mic ComputeRejoinRequestMic(ExpandedAesKey key, in RejoinRequestFrame frame)
    {
        Span<byte> b = stackalloc byte[RejoinRequestFrame.LengthType1];
        var n = frame.Write(b);
        return FrameCrypto.ComputeMic(key, b[..(n - Mic.Size)]);
    }
}
