namespace WirelessNet.Poc.Validation;

/// <summary>
/// Why a beacon or witness report is invalid. Names and numbers are exactly Helium's <c>invalid_reason</c>
/// (helium-proto service/poc_lora.proto), so verified reports can be exported in Helium's format unchanged.
/// </summary>
public enum InvalidReason
{
    ReasonNone = 0,
    BadSignature = 1,
    NotAsserted = 2,
    EntropyExpired = 3,
    BadEntropy = 4,
    InvalidCapability = 5,
    InvalidPubkey = 6,
    IrregularInterval = 7,
    GatewayNotFound = 8,
    Denied = 9,
    InvalidPacket = 10,
    BadRssi = 11,
    InvalidRegion = 12,
    MaxDistanceExceeded = 13,
    InvalidFrequency = 14,
    SelfWitness = 15,
    Stale = 16,
    ScalingFactorNotFound = 17,
    UnknownError = 18,
    BelowMinDistance = 19,
    Duplicate = 20,
    DeniedEdge = 21,
    TooLate = 22,
    GatewayNoValidBeacons = 23,
    GatewayNoValidWitnesses = 24,
}

/// <summary>Which side of a PoC round made a witness invalid (Helium's <c>participant_side</c>).</summary>
public enum ParticipantSide
{
    /// <summary>The report is valid.</summary>
    None,

    /// <summary>The beacon was invalid; every witness of it carries the beacon's reason.</summary>
    Beacon,

    /// <summary>The witness itself failed a rule.</summary>
    Witness,
}
