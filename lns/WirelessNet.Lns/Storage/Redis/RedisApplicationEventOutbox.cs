using StackExchange.Redis;
using WirelessNet.Lns.Mqtt.Applications.Outbox;

namespace WirelessNet.Lns.Storage.Redis;

/// <summary>
/// The application event outbox in a Redis stream shared by every instance (schema in docs/redis-keys.md): an event
/// appended by an instance that lost its broker is published by whichever instance holds the relay lease, also after
/// the appending instance has stopped.
/// </summary>
public sealed class RedisApplicationEventOutbox : IApplicationEventOutbox
{
    private const string TopicField = "t";
    private const string TypeField = "k";
    private const string PayloadField = "p";

    private static readonly LuaScript ExtendLease = LuaScript.Prepare("""
        if redis.call('SET', @Lease, @Owner, 'NX', 'PX', @Milliseconds) then
          return 1
        end
        if redis.call('GET', @Lease) == @Owner then
          redis.call('PEXPIRE', @Lease, @Milliseconds)
          return 1
        end
        return 0
        """);

    private readonly IConnectionMultiplexer _connection;
    private readonly int _database;
    private readonly RedisKeys _keys;
    private readonly ApplicationEventOutboxOptions _options;

    public RedisApplicationEventOutbox(IConnectionMultiplexer connection, RedisStoreOptions storeOptions, ApplicationEventOutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(storeOptions);
        _connection = connection;
        _database = storeOptions.Database;
        _keys = new RedisKeys(storeOptions.KeyPrefix);
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    private IDatabase Db => _connection.GetDatabase(_database);

    public async ValueTask AppendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await Db.StreamAddAsync(
            _keys.ApplicationEventOutbox(),
            [new NameValueEntry(TopicField, message.Topic), new NameValueEntry(TypeField, message.Type), new NameValueEntry(PayloadField, message.Payload)],
            maxLength: Math.Max(1, _options.MaxEvents),
            useApproximateMaxLength: true).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<OutboxEntry>> ReadAsync(int max, CancellationToken cancellationToken)
    {
        if (max <= 0)
        {
            return [];
        }

        var entries = await Db.StreamRangeAsync(_keys.ApplicationEventOutbox(), count: max).WaitAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<OutboxEntry>(entries.Length);
        foreach (var entry in entries)
        {
            var topic = (string?)entry[TopicField];
            var type = (string?)entry[TypeField];
            var payload = (byte[]?)entry[PayloadField];
            if (topic is null || type is null || payload is null)
            {
                // Not written by this class; kept out of the way rather than published half.
                await Db.StreamDeleteAsync(_keys.ApplicationEventOutbox(), [entry.Id]).ConfigureAwait(false);
                continue;
            }

            result.Add(new OutboxEntry((string)entry.Id!, new OutboxMessage(topic, payload, type)));
        }

        return result;
    }

    public async ValueTask DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }

        await Db.StreamDeleteAsync(_keys.ApplicationEventOutbox(), ids.Select(id => (RedisValue)id).ToArray()).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken) =>
        await Db.StreamLengthAsync(_keys.ApplicationEventOutbox()).WaitAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask<bool> TryLeaseAsync(string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var reply = await Db.ScriptEvaluateAsync(ExtendLease, new
        {
            Lease = _keys.ApplicationEventOutboxLease(),
            Owner = owner,
            Milliseconds = Math.Max(1, (long)lease.TotalMilliseconds),
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)reply == 1;
    }
}
