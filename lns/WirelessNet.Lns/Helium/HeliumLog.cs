using Microsoft.Extensions.Logging;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Helium;

/// <summary>
/// The packet-router door's log messages (source-generated). Gateways appear by their derived id only: keys,
/// signatures and nonces are never logged.
/// </summary>
internal static partial class HeliumLog
{
    [LoggerMessage(EventId = 4600, Level = LogLevel.Information, Message = "Helium gateway {GatewayId} registered (session capable {SessionCapable}, packet ack interval {AckInterval} s)")]
    public static partial void Registered(ILogger logger, Eui64 gatewayId, bool sessionCapable, uint ackInterval);

    [LoggerMessage(EventId = 4601, Level = LogLevel.Warning, Message = "Helium route stream refused ({Reason}): {Detail}")]
    public static partial void Refused(ILogger logger, string reason, string detail);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Information, Message = "Helium gateway {GatewayId} established a session")]
    public static partial void SessionEstablished(ILogger logger, Eui64 gatewayId);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Warning, Message = "Helium packet from {GatewayId} rejected ({Reason}): {Detail}")]
    public static partial void PacketRejected(ILogger logger, Eui64 gatewayId, string reason, string detail);

    [LoggerMessage(EventId = 4604, Level = LogLevel.Debug, Message = "Helium packet from {GatewayId} rejected ({Reason}): {Detail}")]
    public static partial void PacketRejectedRoutine(ILogger logger, Eui64 gatewayId, string reason, string detail);

    [LoggerMessage(EventId = 4605, Level = LogLevel.Information, Message = "Helium route stream of {GatewayId} ended ({Outcome})")]
    public static partial void StreamEnded(ILogger logger, Eui64 gatewayId, string outcome);

    [LoggerMessage(EventId = 4606, Level = LogLevel.Warning, Message = "Downlink {DownlinkId} for Helium gateway {GatewayId} not sent: {Reason}")]
    public static partial void DownlinkNotSent(ILogger logger, uint downlinkId, Eui64 gatewayId, string reason);

    [LoggerMessage(EventId = 4607, Level = LogLevel.Debug, Message = "Downlink {DownlinkId} written to Helium gateway {GatewayId}")]
    public static partial void DownlinkWritten(ILogger logger, uint downlinkId, Eui64 gatewayId);

    [LoggerMessage(EventId = 4608, Level = LogLevel.Warning, Message = "Writing to the Helium route stream of {GatewayId} failed")]
    public static partial void WriteFailed(ILogger logger, Eui64 gatewayId, Exception exception);

    [LoggerMessage(EventId = 4609, Level = LogLevel.Error, Message = "Handing an event of Helium gateway {GatewayId} to the pipeline failed")]
    public static partial void SinkFailed(ILogger logger, Eui64 gatewayId, Exception exception);

    [LoggerMessage(EventId = 4610, Level = LogLevel.Warning, Message = "Helium stream relay: {Operation} failed")]
    public static partial void RelayFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 4611, Level = LogLevel.Warning, Message = "Helium stream relay: unreadable message ({Error})")]
    public static partial void RelayMessageInvalid(ILogger logger, string error);

    /// <summary>
    /// Counts and logs a rejected packet. Rate-limit rejections are a gateway's normal overflow and are logged at Debug
    /// so that a chatty gateway cannot flood the log; the rest point at a broken or malicious client: Warning.
    /// </summary>
    public static void Reject(ILogger logger, HeliumMetrics metrics, Eui64 gatewayId, string reason, string detail)
    {
        metrics.Rejected(reason);
        if (reason is HeliumRejectReasons.RateLimited or HeliumRejectReasons.RepeatedPayload)
        {
            PacketRejectedRoutine(logger, gatewayId, reason, detail);
        }
        else
        {
            PacketRejected(logger, gatewayId, reason, detail);
        }
    }
}
