using System.Collections.Concurrent;
using StackExchange.Redis;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Helium.Relay;

/// <summary>
/// The relay between server instances sharing one Redis (<c>Store:Kind=Redis</c>; keys in docs/redis-keys.md,
/// "Helium route streams"). Each instance listens on a pub/sub channel of its own; a gateway's claim is a string key
/// naming the instance that holds its stream, with a lifetime that the holder keeps extending (<see cref="RefreshAsync"/>),
/// so the claims of an instance that dies expire on their own.
/// </summary>
/// <remarks>
/// Pub/sub is fire-and-forget: a downlink published to a live instance whose stream ended a moment before is lost.
/// That is the fate of a downlink whose TxAck never comes: its in-flight record expires, the queue item stays and
/// goes out at the next opportunity. Nothing is acknowledged that was not written to a stream.
/// </remarks>
public sealed class RedisHeliumStreamRelay : IHeliumStreamRelay
{
    // Extends the claim when it is ours, takes it again when it has expired (a Redis restart or failover lost it),
    // and leaves another instance's claim alone: that instance holds a newer stream.
    private const string RefreshScript = """
        local owner = redis.call('GET', KEYS[1])
        if owner == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        if not owner then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          return 1
        end
        return 0
        """;

    // Deletes the claim only while it is ours: a newer stream elsewhere may have claimed the gateway meanwhile.
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly int _database;
    private readonly string _prefix;
    private readonly TimeSpan _lifetime;
    private readonly ConcurrentDictionary<Eui64, long> _claimed = new();
    private readonly bool _sharded;

    public RedisHeliumStreamRelay(IConnectionMultiplexer connection, RedisStoreOptions storeOptions, HeliumPacketRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(storeOptions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(storeOptions.KeyPrefix);
        if (storeOptions.KeyPrefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            throw new ArgumentException("The Redis key prefix must not contain '{' or '}'.", nameof(storeOptions));
        }

        _connection = connection;
        _database = storeOptions.Database;
        _prefix = storeOptions.KeyPrefix;
        _lifetime = options.RouteClaimLifetime;

        // On a cluster, a classic PUBLISH reaches every node but counts only the subscribers of the node it was sent
        // to, so a live claimant could look dead. Sharded pub/sub (Redis 7) keeps a channel on the node of its slot,
        // where both SSUBSCRIBE and SPUBLISH go: the count is exact again.
        _sharded = connection.GetServers().Any(server => server.ServerType == ServerType.Cluster);
    }

    /// <summary>This process's identity on the relay: random per start, so a restarted instance is a new one.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The gateways this instance claims, with the time (Unix ms) their stream registered.</summary>
    internal IReadOnlyDictionary<Eui64, long> Claimed => _claimed;

    private IDatabase Db => _connection.GetDatabase(_database);

    /// <summary>String: the id of the instance holding the gateway's stream, with a TTL of the claim lifetime.</summary>
    internal RedisKey Claim(Eui64 gatewayId) => $"{_prefix}:{{hpr:{gatewayId}}}";

    /// <summary>The pub/sub channel an instance listens on; sharded on a cluster, where its hash tag picks the node.</summary>
    internal RedisChannel InstanceChannel(string instanceId)
    {
        var name = $"{_prefix}:{{hpr-instance:{instanceId}}}";
        return _sharded ? RedisChannel.Sharded(name) : RedisChannel.Literal(name);
    }

    public async ValueTask ClaimAsync(Eui64 gatewayId, DateTimeOffset attachedAt, CancellationToken cancellationToken)
    {
        var at = attachedAt.ToUnixTimeMilliseconds();

        // Remembered first: if Redis is unreachable now, the next refresh makes the claim.
        _claimed[gatewayId] = at;
        var previous = await Db.StringSetAndGetAsync(Claim(gatewayId), InstanceId, _lifetime).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!previous.IsNullOrEmpty && previous != InstanceId)
        {
            // The gateway's older stream is on another instance: it ends it, as a newer local stream would.
            await _connection.GetSubscriber().PublishAsync(InstanceChannel(previous!), RelayMessage.Release(gatewayId, at)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask ReleaseAsync(Eui64 gatewayId, DateTimeOffset attachedAt, CancellationToken cancellationToken)
    {
        if (_claimed.TryRemove(new KeyValuePair<Eui64, long>(gatewayId, attachedAt.ToUnixTimeMilliseconds())))
        {
            await Db.ScriptEvaluateAsync(ReleaseScript, [Claim(gatewayId)], [InstanceId]).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<bool> TryForwardAsync(Eui64 gatewayId, uint downlinkId, envelope_down_v1 envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var owner = await Db.StringGetAsync(Claim(gatewayId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (owner.IsNullOrEmpty || owner == InstanceId)
        {
            return false;
        }

        // PUBLISH answers how many subscribers got the message: none means the claimant is gone.
        var receivers = await _connection.GetSubscriber()
            .PublishAsync(InstanceChannel(owner!), RelayMessage.Downlink(gatewayId, downlinkId, envelope))
            .WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        return receivers > 0;
    }

    /// <summary>Listens on this instance's channel; <paramref name="onMessage"/> gets the raw messages in order.</summary>
    internal async Task<ChannelMessageQueue> SubscribeAsync(Action<ReadOnlyMemory<byte>> onMessage, CancellationToken cancellationToken)
    {
        var queue = await _connection.GetSubscriber().SubscribeAsync(InstanceChannel(InstanceId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        queue.OnMessage(message => onMessage((ReadOnlyMemory<byte>)message.Message));
        return queue;
    }

    /// <summary>
    /// Extends every claim of this instance. Returns the gateways another instance has claimed since (a newer
    /// stream registered there): their local stream is stale.
    /// </summary>
    internal async Task<IReadOnlyList<Eui64>> RefreshAsync(CancellationToken cancellationToken)
    {
        var db = Db;
        var lifetime = (long)_lifetime.TotalMilliseconds;
        var calls = _claimed.Keys
            .Select(gatewayId => (GatewayId: gatewayId, Result: db.ScriptEvaluateAsync(RefreshScript, [Claim(gatewayId)], [InstanceId, lifetime])))
            .ToList();
        await Task.WhenAll(calls.Select(c => c.Result)).WaitAsync(cancellationToken).ConfigureAwait(false);
        var lost = new List<Eui64>();
        foreach (var (gatewayId, result) in calls)
        {
            if ((long)await result.ConfigureAwait(false) == 0 && _claimed.TryRemove(gatewayId, out _))
            {
                lost.Add(gatewayId);
            }
        }

        return lost;
    }

    /// <summary>Gives up every claim (on shutdown), so that downlinks stop being forwarded here at once.</summary>
    internal async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        var db = Db;
        var calls = _claimed.Keys.Select(gatewayId => db.ScriptEvaluateAsync(ReleaseScript, [Claim(gatewayId)], [InstanceId])).ToList();
        _claimed.Clear();
        await Task.WhenAll(calls).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
