namespace WirelessNet.Lns.Poc;

/// <summary>Proof-of-coverage log messages (keys are logged as public addresses only).</summary>
internal static partial class PocLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "PoC {Kind} report {ReportId} filed under round {RoundId} (new: {Added})")]
    public static partial void Filed(ILogger logger, string kind, string reportId, string roundId, bool added);

    [LoggerMessage(Level = LogLevel.Information, Message = "PoC {Kind} report rejected: {Reason} ({Detail})")]
    public static partial void Rejected(ILogger logger, string kind, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "PoC round {RoundId}: beacon by {Beaconer} {BeaconReason}, {Valid}/{Witnesses} witnesses valid, {Selected} selected")]
    public static partial void Verified(ILogger logger, string roundId, string beaconer, string beaconReason, int valid, int witnesses, int selected);

    [LoggerMessage(Level = LogLevel.Information, Message = "PoC round {RoundId}: {Witnesses} witness report(s) of a beacon nobody reported")]
    public static partial void NoBeacon(ILogger logger, string roundId, int witnesses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PoC round {RoundId} was verified by another instance after this one's lease ran out; its verdict stands")]
    public static partial void AlreadyVerified(ILogger logger, string roundId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PoC round {RoundId} could not be verified; it is retried when its lease ends")]
    public static partial void RoundFailed(ILogger logger, string roundId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "PoC beacon for {Hotspot} sent to gateway {GatewayId} over {Transport} on {FrequencyHz} Hz DR{DataRate}")]
    public static partial void BeaconSent(ILogger logger, string hotspot, string gatewayId, string transport, ulong frequencyHz, int dataRate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PoC beacon for {Hotspot} not sent: {Reason}")]
    public static partial void BeaconNotSent(ILogger logger, string hotspot, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PoC stream of {Hotspot} refused: {Reason}")]
    public static partial void StreamRefused(ILogger logger, string hotspot, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feeding PoC witnesses into coverage failed")]
    public static partial void CoverageFailed(ILogger logger, Exception exception);
}
