using System.Globalization;
using StackExchange.Redis;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Poc.Entropy;

namespace WirelessNet.Lns.Poc;

/// <summary>
/// <see cref="IPocStore"/> in Redis (standalone or Cluster), shared by every server instance. Key schema in
/// docs/redis-keys.md ("Proof of coverage"): network-wide state under the hash tag <c>{poc}</c>, each round's reports
/// under <c>{pocr:&lt;round&gt;}</c> and each epoch's verified rounds under <c>{poce:&lt;epoch&gt;}</c>, so rounds and
/// epochs spread over the cluster while every multi-key script stays in one slot.
/// </summary>
public sealed class RedisPocStore : IPocStore
{
    // Moves hash fields forward only: ARGV = field, value, field, value… (Unix ms, exact in Lua doubles up to 2^53).
    private const string MaxFieldsScript = """
        for i = 1, #ARGV, 2 do
          local v = redis.call('HGET', KEYS[1], ARGV[i])
          if not v or tonumber(ARGV[i + 1]) > tonumber(v) then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
        end
        return 1
        """;

    // Leases due rounds: ARGV = due score, lease-end score, max. Re-scoring (not removing) keeps a round whose
    // verifier died: it is due again when the lease ends.
    private const string ClaimDueScript = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
        for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], ARGV[2], id) end
        return ids
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly int _database;
    private readonly string _prefix;
    private readonly TimeSpan _retention;

    public RedisPocStore(IConnectionMultiplexer connection, RedisStoreOptions options, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        if (options.KeyPrefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            throw new ArgumentException("The Redis key prefix must not contain '{' or '}'.", nameof(options));
        }

        _connection = connection;
        _database = options.Database;
        _prefix = options.KeyPrefix;
        _retention = retention;
    }

    private IDatabase Db => _connection.GetDatabase(_database);

    public async ValueTask<byte[]> GetOrCreateValueAsync(string name, byte[] candidate, CancellationToken cancellationToken)
    {
        var key = Key("v:" + name);
        await Db.StringSetAsync(key, candidate, when: When.NotExists).ConfigureAwait(false);
        return (byte[])(await Db.StringGetAsync(key).ConfigureAwait(false))!;
    }

    public async ValueTask AddEntropyAsync(IReadOnlyList<EntropyReport> reports, CancellationToken cancellationToken)
    {
        if (reports.Count == 0)
        {
            return;
        }

        var entries = reports.Select(r => new SortedSetEntry(EncodeEntropy(r), r.Timestamp)).ToArray();
        await Db.SortedSetAddAsync(Key("entropy"), entries, SortedSetWhen.NotExists).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<EntropyReport>> GetEntropyAsync(long fromUnixSeconds, long toUnixSeconds, int max, CancellationToken cancellationToken)
    {
        var values = await Db.SortedSetRangeByScoreAsync(Key("entropy"), fromUnixSeconds, toUnixSeconds, take: max).ConfigureAwait(false);
        return values.Select(v => DecodeEntropy(v!)).ToList();
    }

    public async ValueTask TouchParticipantAsync(PocParticipant participant, CancellationToken cancellationToken)
    {
        var db = Db;
        var identity = string.Create(CultureInfo.InvariantCulture, $"{participant.GatewayId}|{(int)participant.Transport}");
        await Task.WhenAll(
            db.HashSetAsync(Key("hotspots"), participant.Address, identity),
            db.ScriptEvaluateAsync(MaxFieldsScript, [Key("activity")], ["a:" + participant.Address, participant.LastActive.ToUnixTimeMilliseconds()])).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<PocParticipant>> GetParticipantsAsync(CancellationToken cancellationToken)
    {
        var db = Db;
        var hotspots = await db.HashGetAllAsync(Key("hotspots")).ConfigureAwait(false);
        if (hotspots.Length == 0)
        {
            return [];
        }

        var active = await db.HashGetAsync(Key("activity"), hotspots.Select(h => (RedisValue)("a:" + h.Name)).ToArray()).ConfigureAwait(false);
        var participants = new List<PocParticipant>(hotspots.Length);
        for (var i = 0; i < hotspots.Length; i++)
        {
            var parts = ((string)hotspots[i].Value!).Split('|');
            if (parts.Length == 2
                && Eui64.TryParse(parts[0], CultureInfo.InvariantCulture, out var gatewayId)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var transport))
            {
                var lastActive = !active[i].IsNull && active[i].TryParse(out long ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.UnixEpoch;
                participants.Add(new PocParticipant(hotspots[i].Name!, gatewayId, (GatewayTransport)transport, lastActive));
            }
        }

        return participants;
    }

    public async ValueTask<bool> TryClaimAsync(string claim, TimeSpan lifetime, CancellationToken cancellationToken) =>
        await Db.StringSetAsync(Key("claim:" + claim), "1", lifetime, When.NotExists).ConfigureAwait(false);

    public async ValueTask<bool> AddReportAsync(string roundId, bool beacon, string reportId, byte[] ingestReport, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var db = Db;
        var key = RoundKey(roundId, beacon);
        if (!await db.HashSetAsync(key, reportId, ingestReport, When.NotExists).ConfigureAwait(false))
        {
            return false;
        }

        await Task.WhenAll(
            db.KeyExpireAsync(key, _retention),
            db.SortedSetAddAsync(Key("pending"), roundId, receivedAt.ToUnixTimeMilliseconds(), SortedSetWhen.NotExists)).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<IReadOnlyList<string>> ClaimDueRoundsAsync(DateTimeOffset dueBefore, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        var result = await Db.ScriptEvaluateAsync(
            ClaimDueScript,
            [Key("pending")],
            [dueBefore.ToUnixTimeMilliseconds(), (now + lease).ToUnixTimeMilliseconds(), max]).ConfigureAwait(false);
        return ((RedisResult[])result!).Select(r => (string)r!).ToList();
    }

    public async ValueTask<PocRoundReports> GetRoundReportsAsync(string roundId, CancellationToken cancellationToken)
    {
        var db = Db;
        var beacons = db.HashValuesAsync(RoundKey(roundId, beacon: true));
        var witnesses = db.HashValuesAsync(RoundKey(roundId, beacon: false));
        await Task.WhenAll(beacons, witnesses).ConfigureAwait(false);
        return new PocRoundReports(beacons.Result.Select(v => (byte[])v!).ToList(), witnesses.Result.Select(v => (byte[])v!).ToList());
    }

    public async ValueTask<bool> CompleteRoundAsync(string roundId, long epochIndex, byte[]? record, CancellationToken cancellationToken)
    {
        var db = Db;
        var stored = true;
        if (record is not null)
        {
            var epoch = EpochKey(epochIndex);
            stored = await db.HashSetAsync(epoch, roundId, record, When.NotExists).ConfigureAwait(false);
            await db.KeyExpireAsync(epoch, _retention).ConfigureAwait(false);
        }

        await db.SortedSetRemoveAsync(Key("pending"), roundId).ConfigureAwait(false);
        await db.KeyDeleteAsync([RoundKey(roundId, beacon: true), RoundKey(roundId, beacon: false)]).ConfigureAwait(false);
        return stored;
    }

    public async ValueTask<byte[]?> GetRoundAsync(long epochIndex, string roundId, CancellationToken cancellationToken)
    {
        var value = await Db.HashGetAsync(EpochKey(epochIndex), roundId).ConfigureAwait(false);
        return value.IsNull ? null : (byte[])value!;
    }

    public async ValueTask<IReadOnlyList<byte[]>> GetEpochRoundsAsync(long epochIndex, CancellationToken cancellationToken)
    {
        var values = await Db.HashValuesAsync(EpochKey(epochIndex)).ConfigureAwait(false);
        return values.Select(v => (byte[])v!).ToList();
    }

    public async ValueTask<IReadOnlyList<(long? Beacon, long? Witness)>> GetActivityAsync(IReadOnlyList<string> addresses, CancellationToken cancellationToken)
    {
        if (addresses.Count == 0)
        {
            return [];
        }

        var fields = new RedisValue[addresses.Count * 2];
        for (var i = 0; i < addresses.Count; i++)
        {
            fields[2 * i] = "b:" + addresses[i];
            fields[(2 * i) + 1] = "w:" + addresses[i];
        }

        var values = await Db.HashGetAsync(Key("activity"), fields).ConfigureAwait(false);
        var marks = new (long?, long?)[addresses.Count];
        for (var i = 0; i < marks.Length; i++)
        {
            marks[i] = (Ms(values[2 * i]), Ms(values[(2 * i) + 1]));
        }

        return marks;

        static long? Ms(RedisValue value) => !value.IsNull && value.TryParse(out long ms) ? ms : null;
    }

    public async ValueTask RecordActivityAsync(IReadOnlyList<(string Address, bool Beacon, long UnixMs)> marks, CancellationToken cancellationToken)
    {
        if (marks.Count == 0)
        {
            return;
        }

        var args = new RedisValue[marks.Count * 2];
        for (var i = 0; i < marks.Count; i++)
        {
            args[2 * i] = (marks[i].Beacon ? "b:" : "w:") + marks[i].Address;
            args[(2 * i) + 1] = marks[i].UnixMs;
        }

        await Db.ScriptEvaluateAsync(MaxFieldsScript, [Key("activity")], args).ConfigureAwait(false);
    }

    public async ValueTask<(IReadOnlyList<string> Keys, IReadOnlyList<(string Beaconer, string Witness)> Edges)> GetDenylistAsync(CancellationToken cancellationToken)
    {
        var db = Db;
        var keys = db.SetMembersAsync(Key("deny:keys"));
        var edges = db.SetMembersAsync(Key("deny:edges"));
        await Task.WhenAll(keys, edges).ConfigureAwait(false);
        var pairs = new List<(string, string)>();
        foreach (var edge in edges.Result)
        {
            var parts = ((string)edge!).Split('>');
            if (parts.Length == 2)
            {
                pairs.Add((parts[0], parts[1]));
            }
        }

        return (keys.Result.Select(k => (string)k!).ToList(), pairs);
    }

    public async ValueTask SetDeniedKeyAsync(string address, bool denied, CancellationToken cancellationToken)
    {
        _ = denied
            ? await Db.SetAddAsync(Key("deny:keys"), address).ConfigureAwait(false)
            : await Db.SetRemoveAsync(Key("deny:keys"), address).ConfigureAwait(false);
    }

    public async ValueTask SetDeniedEdgeAsync(string beaconer, string witness, bool denied, CancellationToken cancellationToken)
    {
        var member = beaconer + ">" + witness;
        _ = denied
            ? await Db.SetAddAsync(Key("deny:edges"), member).ConfigureAwait(false)
            : await Db.SetRemoveAsync(Key("deny:edges"), member).ConfigureAwait(false);
    }

    public async ValueTask<byte[]?> GetEpochDocumentAsync(long epochIndex, string kind, CancellationToken cancellationToken)
    {
        var value = await Db.StringGetAsync(EpochDocumentKey(epochIndex, kind)).ConfigureAwait(false);
        return value.IsNull ? null : (byte[])value!;
    }

    public async ValueTask<byte[]> GetOrCreateEpochDocumentAsync(long epochIndex, string kind, byte[] candidate, CancellationToken cancellationToken)
    {
        var key = EpochDocumentKey(epochIndex, kind);
        await Db.StringSetAsync(key, candidate, _retention, When.NotExists).ConfigureAwait(false);
        return (byte[])(await Db.StringGetAsync(key).ConfigureAwait(false))!;
    }

    private RedisKey Key(string name) => $"{_prefix}:{{poc}}:{name}";

    private RedisKey RoundKey(string roundId, bool beacon) => $"{_prefix}:{{pocr:{roundId}}}:{(beacon ? 'b' : 'w')}";

    private RedisKey EpochKey(long epochIndex) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}:{{poce:{epochIndex}}}");

    private RedisKey EpochDocumentKey(long epochIndex, string kind) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}:{{poce:{epochIndex}}}:{kind}");

    private static string EncodeEntropy(EntropyReport report) =>
        string.Create(CultureInfo.InvariantCulture, $"{report.Timestamp}:{Convert.ToHexStringLower(report.Data)}:{report.Version}");

    private static EntropyReport DecodeEntropy(string value)
    {
        var parts = value.Split(':');
        return new EntropyReport(
            Convert.FromHexString(parts[1]),
            long.Parse(parts[0], CultureInfo.InvariantCulture),
            uint.Parse(parts[2], CultureInfo.InvariantCulture));
    }
}
