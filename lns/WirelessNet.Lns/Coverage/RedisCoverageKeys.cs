using System.Globalization;
using StackExchange.Redis;
using WirelessNet.Coverage.Measured;

namespace WirelessNet.Lns.Coverage;

/// <summary>
/// Key names of <see cref="RedisCoverageStore"/> (documented in docs/redis-keys.md, "Measured coverage"). The keys of one
/// hex share the hash tag <c>{cov:&lt;cell&gt;}</c>, so the script that updates its statistics and gateway set runs on one
/// Redis Cluster node; different hexes, gateways and the hotspot table spread over the cluster.
/// </summary>
internal sealed class RedisCoverageKeys
{
    private readonly string _prefix;

    public RedisCoverageKeys(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (prefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            // A brace in the prefix would become (part of) the hash tag and put every key into one slot.
            throw new ArgumentException("The Redis key prefix must not contain '{' or '}'.", nameof(prefix));
        }

        _prefix = prefix;
    }

    /// <summary>Hash: the statistics of one hex (fields <see cref="RedisCoverageScripts.Field"/>).</summary>
    public RedisKey Hex(ulong cell) => $"{_prefix}:{{cov:{Cell(cell)}}}";

    /// <summary>Set: the gateway ids (16 hex digits) heard in the hex, while there are at most 64.</summary>
    public RedisKey HexGateways(ulong cell) => $"{_prefix}:{{cov:{Cell(cell)}}}:gw";

    /// <summary>HyperLogLog: the hex's gateway ids once there are more than 64 (the set is then deleted).</summary>
    public RedisKey HexGatewaySketch(ulong cell) => $"{_prefix}:{{cov:{Cell(cell)}}}:hll";

    /// <summary>Hash: one gateway's own statistics per hex; fields <c>&lt;cell&gt;:&lt;field&gt;</c>.</summary>
    public RedisKey GatewayCoverage(ulong gatewayId) => $"{_prefix}:{{covgw:{GatewayIds.Format(gatewayId)}}}";

    /// <summary>Hash: hotspot id (16 hex digits) → JSON of its position and name.</summary>
    public RedisKey Hotspots() => $"{_prefix}:{{hotspots}}";

    /// <summary>Geo set (sorted set): the hotspots that GEOADD can hold (|latitude| ≤ 85.05112878°), for box queries.</summary>
    public RedisKey HotspotIndex() => $"{_prefix}:{{hotspots}}:geo";

    /// <summary>The prefix of a hex's fields in <see cref="GatewayCoverage"/>.</summary>
    public static string GatewayCoverageFieldPrefix(ulong cell) => Cell(cell) + ":";

    private static string Cell(ulong cell) => cell.ToString("x", CultureInfo.InvariantCulture);
}
