namespace WirelessNet.LoRaWan.Frames;

/// <summary>Why a PHYPayload was rejected by the decoder. <see cref="None"/> means it decoded.</summary>
public enum FrameError : byte
{
    None = 0,
    Empty,
    TooLong,
    UnsupportedMajor,
    WrongMType,
    DataFrameTooShort,
    FOptsOverrunFrame,
    FOptsWithPortZero,
    JoinRequestLength,
    JoinAcceptLength,
    RejoinRequestLength,
    UnknownRejoinType,
    ProprietaryTooShort,
}

public static class FrameErrorDescriptions
{
    /// <summary>A sentence fit for a log line or an API error.</summary>
    public static string Describe(this FrameError error) => error switch
    {
        FrameError.None => "ok",
        FrameError.Empty => "empty PHYPayload",
        FrameError.TooLong => "PHYPayload longer than 255 bytes",
        FrameError.UnsupportedMajor => "MHDR major version is not LoRaWAN R1",
        FrameError.WrongMType => "MType does not match the frame kind being decoded",
        FrameError.DataFrameTooShort => "data frame shorter than MHDR + FHDR + MIC (12 bytes)",
        FrameError.FOptsOverrunFrame => "FOptsLen points past the end of the frame",
        FrameError.FOptsWithPortZero => "FOpts present together with FPort 0 (MAC commands in both places)",
        FrameError.JoinRequestLength => "Join-Request is not 23 bytes",
        FrameError.JoinAcceptLength => "Join-Accept is neither 17 nor 33 bytes",
        FrameError.RejoinRequestLength => "Rejoin-Request length does not match its rejoin type (19 bytes for types 0/2, 24 for type 1)",
        FrameError.UnknownRejoinType => "Rejoin-Request type is not 0, 1 or 2",
        FrameError.ProprietaryTooShort => "proprietary frame has no MHDR",
        _ => "unknown frame error",
    };
}
