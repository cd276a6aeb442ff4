namespace WirelessNet.Lns.Helium;

/// <summary>The Helium packet-router gRPC door (<c>Helium:PacketRouter</c>).</summary>
public sealed class HeliumPacketRouterOptions
{
    public const string Section = "Helium:PacketRouter";

    /// <summary>Whether the <c>helium.packet_router.packet</c> service is mapped at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long one route stream may live. Ending streams regularly makes hotspots reconnect, which rotates their
    /// session keys and spreads them over server instances again after a deployment.
    /// </summary>
    public TimeSpan MaxStreamLifetime { get; set; } = TimeSpan.FromMinutes(35);

    /// <summary>How long a new stream may take to send its register message before it is dropped.</summary>
    public TimeSpan RegisterTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How far a register's timestamp may be from the server clock. A register is a signed but otherwise replayable
    /// message: bounding its age bounds how long a captured one could be used to open a stream.
    /// </summary>
    public TimeSpan MaxRegisterClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sustained packets per second one gateway may send (token bucket refill rate).</summary>
    public double PacketsPerSecond { get; set; } = 25;

    /// <summary>Token bucket size: how many packets a gateway may send in a burst.</summary>
    public int PacketBurst { get; set; } = 25;

    /// <summary>
    /// How often a gateway may send the same payload (per SHA-256 of the payload). One hotspot hears a frame once;
    /// repeats are replays or a broken forwarder, and would only cost deduplication work.
    /// </summary>
    public double SamePayloadPerSecond { get; set; } = 1;

    /// <summary>How long a gateway's provisioning (exists, not denied) is trusted before it is read again.</summary>
    public TimeSpan GatewayCacheLifetime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Downlinks buffered per stream; beyond that a send fails rather than queueing stale radio traffic.</summary>
    public int DownstreamCapacity { get; set; } = 64;

    /// <summary>Longest packet_ack interval honoured (seconds); a gateway asking for more gets this.</summary>
    public uint MaxPacketAckIntervalSeconds { get; set; } = 3600;

    /// <summary>
    /// With several instances on one Redis: how long a gateway's claim (which instance holds its stream) lives
    /// without being refreshed. The holder refreshes every third of it; an instance that dies stops being sent
    /// downlinks after at most this long.
    /// </summary>
    public TimeSpan RouteClaimLifetime { get; set; } = TimeSpan.FromSeconds(30);

    internal bool IsValid(out string error)
    {
        error = string.Empty;
        if (MaxStreamLifetime <= TimeSpan.Zero)
        {
            error = "Helium:PacketRouter:MaxStreamLifetime must be positive.";
        }
        else if (RegisterTimeout <= TimeSpan.Zero)
        {
            error = "Helium:PacketRouter:RegisterTimeout must be positive.";
        }
        else if (MaxRegisterClockSkew <= TimeSpan.Zero)
        {
            error = "Helium:PacketRouter:MaxRegisterClockSkew must be positive.";
        }
        else if (!(PacketsPerSecond > 0) || PacketBurst < 1)
        {
            error = "Helium:PacketRouter:PacketsPerSecond must be positive and PacketBurst at least 1.";
        }
        else if (!(SamePayloadPerSecond > 0))
        {
            error = "Helium:PacketRouter:SamePayloadPerSecond must be positive.";
        }
        else if (GatewayCacheLifetime < TimeSpan.Zero)
        {
            error = "Helium:PacketRouter:GatewayCacheLifetime cannot be negative.";
        }
        else if (RouteClaimLifetime < TimeSpan.FromSeconds(1))
        {
            error = "Helium:PacketRouter:RouteClaimLifetime must be at least one second.";
        }
        else if (DownstreamCapacity < 1)
        {
            error = "Helium:PacketRouter:DownstreamCapacity must be at least 1.";
        }

        return error.Length == 0;
    }
}
