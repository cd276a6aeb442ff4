namespace WirelessNet.Lns.Pipeline;

/// <summary>Why a frame was not accepted; the value is the metric tag and log code.</summary>
public enum UplinkRejection
{
    MalformedFrame,
    UnsupportedMType,
    UnknownGateway,
    DeniedGateway,
    UnknownDevice,
    DeviceDisabled,
    UnknownDevAddr,
    MicMismatch,
    FCntReplay,
    FCntRetransmission,
    FCntGapTooLarge,
    FCntExhausted,
    DevNonceReused,
    NoRootKey,
    UnknownRegion,
    OtaaNotSupported,
}
