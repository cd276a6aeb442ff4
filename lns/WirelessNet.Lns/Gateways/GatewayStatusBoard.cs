using System.Collections.Concurrent;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Gateways;

/// <summary>What a gateway last reported: last seen, location, connection state and counters.</summary>
public sealed record GatewayStatus(
    Eui64 GatewayId,
    DateTimeOffset LastSeen,
    bool? Online,
    GeoLocation? Location,
    GatewayStatsReport? LastStats);

/// <summary>Per-gateway status kept in this process from uplinks, stats and connection-state messages.</summary>
public sealed class GatewayStatusBoard
{
    private readonly ConcurrentDictionary<Eui64, GatewayStatus> _status = new();

    public void Seen(Eui64 gatewayId, DateTimeOffset at, GeoLocation? location) =>
        _status.AddOrUpdate(
            gatewayId,
            id => new GatewayStatus(id, at, null, location, null),
            (_, s) => s with { LastSeen = at > s.LastSeen ? at : s.LastSeen, Location = location ?? s.Location });

    public void Stats(GatewayStatsReport stats) =>
        _status.AddOrUpdate(
            stats.GatewayId,
            id => new GatewayStatus(id, stats.ReceivedAt, null, stats.Location, stats),
            (_, s) => s with { LastSeen = stats.ReceivedAt > s.LastSeen ? stats.ReceivedAt : s.LastSeen, Location = stats.Location ?? s.Location, LastStats = stats });

    public void Connection(Eui64 gatewayId, bool online, DateTimeOffset at) =>
        _status.AddOrUpdate(
            gatewayId,
            id => new GatewayStatus(id, at, online, null, null),
            (_, s) => s with { Online = online, LastSeen = at > s.LastSeen ? at : s.LastSeen });

    public GatewayStatus? Get(Eui64 gatewayId) => _status.GetValueOrDefault(gatewayId);
}
