using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.Offload.Heartbeats;
using WirelessNet.Offload.Metering;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Settlement;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Lns.Offload;

/// <summary>
/// <see cref="IOffloadStore"/> in Redis (<c>Store:Kind=Redis</c>; keys in docs/redis-keys.md, "Carrier offload").
/// Everything of one carrier shares the hash tag <c>{off:&lt;carrier&gt;}</c>, so one Lua script per batch claims
/// event_ids, advances RADIUS sessions, appends records and increments usage atomically on one node, whichever
/// instance runs it. Configuration shares <c>{offcfg}</c>; heartbeats are tagged per hotspot.
/// </summary>
/// <remarks>
/// The commit script derives its keys from the carrier's base key (passed as KEYS[1]) by appending suffixes; they all
/// carry the same hash tag, hence the same slot, which Redis Cluster serves from the node that owns KEYS[1].
/// </remarks>
public sealed class RedisOffloadStore : IOffloadStore
{
    private const int ArgsPerRecord = 12 + 16 + 3;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Per record: event id, fingerprint, expiry (ms), kind, session id, up, down, rewardable, cancelled, opens,
    // billed, body, then 8 × (index, member), then settlement period start (Unix s), settlement member, record time
    // (Unix s). Returns one string per record: "A:<up>:<down>:<rew>", "again:<status>", "dup", "B" (counter went
    // backwards) or "S" (session already stopped).
    private static readonly string CommitScript = """
        local base = KEYS[1]
        local n = tonumber(ARGV[1])
        local out = {}
        -- Settlement: the current epoch's tallies per (period, hotspot/payer/hex), summed over the batch and written
        -- once per tally; records of periods marked closed are also listed one by one for the late adjustment.
        local epoch = redis.call('GET', base .. ':st:epoch') or '0'
        local closed = {}
        local tallies = {}
        -- Usage is summed per bucket over the batch and written once per bucket: records of one batch share
        -- their carrier, hour and day buckets, so this saves most of the HINCRBYs (all in the same atomic script).
        local sums = {}
        local members = {}
        for i = 0, n - 1 do
          local o = 1 + i * 31
          local dkey = base .. ':dedup:' .. ARGV[o + 1]
          local fp = ARGV[o + 2]
          local prior = redis.call('GET', dkey)
          if prior then
            local sep = string.find(prior, '|', 1, true)
            if string.sub(prior, 1, sep - 1) == fp then
              out[#out + 1] = 'again:' .. string.sub(prior, sep + 1, sep + 1)
            else
              out[#out + 1] = 'dup'
            end
          else
            local expiry = ARGV[o + 3]
            local kind = tonumber(ARGV[o + 4])
            local up, dn, rw = tonumber(ARGV[o + 6]), tonumber(ARGV[o + 7]), tonumber(ARGV[o + 8])
            local status = 'A'
            if kind ~= 0 then
              local akey = base .. ':acct:' .. ARGV[o + 5]
              local mark = redis.call('HMGET', akey, 'u', 'd', 'r', 's')
              local mu, md, mr = tonumber(mark[1] or '0'), tonumber(mark[2] or '0'), tonumber(mark[3] or '0')
              local stopped = mark[4] == '1'
              if up < mu or dn < md or rw < mr then
                status = 'B'
              elseif stopped and (up ~= mu or dn ~= md or rw ~= mr) then
                status = 'S'
              else
                local nowStopped = '0'
                if stopped or kind == 3 then nowStopped = '1' end
                redis.call('HSET', akey, 'u', ARGV[o + 6], 'd', ARGV[o + 7], 'r', ARGV[o + 8], 's', nowStopped)
                redis.call('PEXPIREAT', akey, expiry)
                up, dn, rw = up - mu, dn - md, rw - mr
              end
            end
            if status == 'A' then
              if ARGV[o + 9] == '1' then rw = 0 end
              local fu, fd, fr = string.format('%.0f', up), string.format('%.0f', dn), string.format('%.0f', rw)
              local stored = fu .. '|' .. fd .. '|' .. fr .. '|' .. ARGV[o + 12]
              local length = redis.call('RPUSH', base .. ':records', stored)
              redis.call('SET', dkey, fp .. '|A|' .. (length - 1) .. '|' .. epoch, 'PXAT', expiry)
              local period, member, at = ARGV[o + 29], ARGV[o + 30], tonumber(ARGV[o + 31])
              local isClosed = closed[period]
              if isClosed == nil then
                isClosed = redis.call('HEXISTS', base .. ':st:closed', period) == 1
                closed[period] = isClosed
              end
              if isClosed then
                redis.call('RPUSH', base .. ':st:late:' .. epoch, stored)
              end
              local byMember = tallies[period]
              if not byMember then
                byMember = {}
                tallies[period] = byMember
              end
              local t = byMember[member]
              if not t then
                t = {0, 0, 0, 0, 0, at, at}
                byMember[member] = t
              end
              t[1] = t[1] + 1
              t[2] = t[2] + tonumber(ARGV[o + 11])
              t[3] = t[3] + up
              t[4] = t[4] + dn
              t[5] = t[5] + rw
              if at < t[6] then t[6] = at end
              if at > t[7] then t[7] = at end
              for b = 0, 7 do
                local index = ARGV[o + 13 + b * 2]
                local member = ARGV[o + 14 + b * 2]
                local bucket = index .. ':' .. member
                local sum = sums[bucket]
                if not sum then
                  sum = {0, 0, 0, 0, 0, 0}
                  sums[bucket] = sum
                  local list = members[index]
                  if not list then
                    list = {}
                    members[index] = list
                  end
                  list[#list + 1] = member
                end
                sum[1] = sum[1] + 1
                sum[2] = sum[2] + tonumber(ARGV[o + 10])
                sum[3] = sum[3] + tonumber(ARGV[o + 11])
                sum[4] = sum[4] + up
                sum[5] = sum[5] + dn
                sum[6] = sum[6] + rw
              end
              out[#out + 1] = 'A:' .. fu .. ':' .. fd .. ':' .. fr
            else
              redis.call('SET', dkey, fp .. '|' .. status, 'PXAT', expiry)
              out[#out + 1] = status
            end
          end
        end
        local fields = {'r', 's', 'b', 'up', 'dn', 'rw'}
        for bucket, sum in pairs(sums) do
          local key = base .. ':' .. bucket
          for f = 1, 6 do
            if sum[f] ~= 0 then
              redis.call('HINCRBY', key, fields[f], string.format('%.0f', sum[f]))
            end
          end
        end
        for index, list in pairs(members) do
          -- In slices: unpack is bounded by the Lua stack.
          for first = 1, #list, 1000 do
            redis.call('SADD', base .. ':' .. index, unpack(list, first, math.min(first + 999, #list)))
          end
        end
        local hotspots = {}
        for period, byMember in pairs(tallies) do
          local key = base .. ':st:tally:' .. epoch .. ':' .. period
          redis.call('SADD', base .. ':st:periods:' .. epoch, period)
          for member, t in pairs(byMember) do
            local prior = redis.call('HGET', key, member)
            if prior then
              local p = {}
              for v in string.gmatch(prior, '[^:]+') do p[#p + 1] = tonumber(v) end
              for f = 1, 5 do t[f] = t[f] + p[f] end
              if p[6] < t[6] then t[6] = p[6] end
              if p[7] > t[7] then t[7] = p[7] end
            end
            redis.call('HSET', key, member, string.format('%.0f:%.0f:%.0f:%.0f:%.0f:%.0f:%.0f', t[1], t[2], t[3], t[4], t[5], t[6], t[7]))
            hotspots[string.sub(member, 1, string.find(member, '/', 1, true) - 1)] = true
          end
        end
        local seen = {}
        for hotspot in pairs(hotspots) do seen[#seen + 1] = hotspot end
        for first = 1, #seen, 1000 do
          redis.call('SADD', base .. ':hotspots', unpack(seen, first, math.min(first + 999, #seen)))
        end
        return out
        """;

    // KEYS[1] the carrier's base key. ARGV: expected log length, entry, statement count, statements…, then
    // optionally the checkpoint, book count, (period, book)…, first and last epoch to drop.
    private static readonly string AppendSettlementScript = """
        local base = KEYS[1]
        local log = base .. ':settlement-log'
        if redis.call('LLEN', log) ~= tonumber(ARGV[1]) then
          return 0
        end
        redis.call('RPUSH', log, ARGV[2])
        local statements = tonumber(ARGV[3])
        for i = 4, 3 + statements do
          redis.call('RPUSH', base .. ':statements', ARGV[i])
        end
        local o = 4 + statements
        if #ARGV >= o then
          redis.call('SET', base .. ':st:state', ARGV[o])
          local books = tonumber(ARGV[o + 1])
          for i = 0, books - 1 do
            redis.call('HSET', base .. ':st:books', ARGV[o + 2 + i * 2], ARGV[o + 3 + i * 2])
          end
          local last = tonumber(ARGV[o + 3 + books * 2])
          for e = tonumber(ARGV[o + 2 + books * 2]), last do
            local prefix = base .. ':st:'
            for _, period in ipairs(redis.call('SMEMBERS', prefix .. 'periods:' .. e)) do
              redis.call('UNLINK', prefix .. 'tally:' .. e .. ':' .. period)
            end
            redis.call('UNLINK', prefix .. 'periods:' .. e, prefix .. 'late:' .. e)
          end
        end
        return 1
        """;

    private static readonly string CutScript = """
        local base = KEYS[1]
        if redis.call('LLEN', base .. ':settlement-log') ~= tonumber(ARGV[1]) then
          return -1
        end
        redis.call('HSET', base .. ':st:closed', ARGV[2], '1')
        return redis.call('INCR', base .. ':st:epoch') - 1
        """;

    private static readonly string CheckpointScript = """
        return {redis.call('LLEN', KEYS[1] .. ':settlement-log'), redis.call('GET', KEYS[1] .. ':st:state')}
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly int _database;
    private readonly string _prefix;

    private readonly SettlementOptions _periods;

    /// <summary>A store on <paramref name="connection"/>, tallying settlement per <paramref name="settlementPeriod"/> (default a day).</summary>
    public RedisOffloadStore(IConnectionMultiplexer connection, RedisStoreOptions? options = null, TimeSpan? settlementPeriod = null)
    {
        _periods = new SettlementOptions { PeriodLength = settlementPeriod ?? TimeSpan.FromDays(1) };
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new RedisStoreOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(options.KeyPrefix);
        if (options.KeyPrefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            throw new ArgumentException("The Redis key prefix must not contain '{' or '}'.", nameof(options));
        }

        _connection = connection;
        _database = options.Database;
        _prefix = options.KeyPrefix;
    }

    private IDatabase Db => _connection.GetDatabase(_database);

    /// <summary>Base of every key of one carrier: <c>&lt;prefix&gt;:{off:&lt;carrier&gt;}</c>.</summary>
    internal string CarrierBase(string carrierId) => $"{_prefix}:{{off:{RedisKeys.EncodeIdentifier(carrierId)}}}";

    private RedisKey Config(string name) => $"{_prefix}:{{offcfg}}:{name}";

    private RedisKey HeartbeatDay(HeliumPublicKey hotspot, DateOnly day) =>
        $"{_prefix}:{{offhb:{hotspot.ToAddress()}}}:{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";

    public async Task<IReadOnlyList<CommitOutcome>> CommitAsync(string carrierId, IReadOnlyList<PendingTransfer> records, TimeSpan retention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return [];
        }

        var args = new RedisValue[1 + (records.Count * ArgsPerRecord)];
        args[0] = records.Count;
        var drafts = new AcceptedTransfer[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var pending = records[i];
            var draft = pending.Draft;
            drafts[i] = draft;
            var o = 1 + (i * ArgsPerRecord);
            args[o] = RedisKeys.EncodeIdentifier(draft.EventId);
            args[o + 1] = pending.Fingerprint;
            args[o + 2] = (draft.Timestamp + retention).ToUnixTimeMilliseconds();
            args[o + 3] = (int)pending.Kind;
            args[o + 4] = draft.AccountingSessionId is null ? string.Empty : RedisKeys.EncodeIdentifier(draft.AccountingSessionId);
            args[o + 5] = pending.Reported.UploadBytes;
            args[o + 6] = pending.Reported.DownloadBytes;
            args[o + 7] = pending.Reported.RewardableBytes;
            args[o + 8] = draft.RewardCancelled ? 1 : 0;
            args[o + 9] = draft.OpensSession ? 1 : 0;
            args[o + 10] = draft.IsBilled ? 1 : 0;
            args[o + 11] = OffloadRecordCodec.Body(draft);
            var b = 0;
            foreach (var (index, member) in OffloadRecordCodec.Buckets(draft))
            {
                args[o + 12 + (b * 2)] = index;
                args[o + 13 + (b * 2)] = member;
                b++;
            }

            args[o + 28] = _periods.PeriodOf(draft.Timestamp).Start.ToUnixTimeSeconds();
            args[o + 29] = OffloadRecordCodec.SettlementMember(draft);
            args[o + 30] = draft.Timestamp.ToUnixTimeSeconds();
        }

        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(CommitScript, [CarrierBase(carrierId)], args).WaitAsync(cancellationToken).ConfigureAwait(false))!;
        var outcomes = new CommitOutcome[records.Count];
        for (var i = 0; i < reply.Length; i++)
        {
            var text = (string)reply[i]!;
            if (text.StartsWith("A:", StringComparison.Ordinal))
            {
                var parts = text.Split(':');
                outcomes[i] = new CommitOutcome(CommitStatus.Accepted, drafts[i] with
                {
                    UploadBytes = long.Parse(parts[1], CultureInfo.InvariantCulture),
                    DownloadBytes = long.Parse(parts[2], CultureInfo.InvariantCulture),
                    RewardableBytes = long.Parse(parts[3], CultureInfo.InvariantCulture),
                });
            }
            else
            {
                outcomes[i] = new CommitOutcome(
                    text switch
                    {
                        "dup" => CommitStatus.Duplicate,
                        "B" => CommitStatus.CounterWentBackwards,
                        "S" => CommitStatus.SessionAlreadyStopped,
                        _ => InMemoryOffloadStore.Again(text["again:".Length..]),
                    },
                    null);
            }
        }

        return outcomes;
    }

    public async Task<IReadOnlyList<AcceptedTransfer>> ReadRecordsAsync(string carrierId, long from, int count, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return [];
        }

        var values = await Db.ListRangeAsync(CarrierBase(carrierId) + ":records", from, from + count - 1).WaitAsync(cancellationToken).ConfigureAwait(false);
        return Array.ConvertAll(values, value => OffloadRecordCodec.Decode(carrierId, value!));
    }

    public async Task<long> CountRecordsAsync(string carrierId, CancellationToken cancellationToken) =>
        await Db.ListLengthAsync(CarrierBase(carrierId) + ":records").WaitAsync(cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<KeyValuePair<UsageBucketKey, UsageCounters>>> ReadUsageAsync(MeterGranularity granularity, DateTimeOffset periodStart, string carrierId, UsageScope scope, CancellationToken cancellationToken)
    {
        var db = Db;
        var index = CarrierBase(carrierId) + ":" + OffloadRecordCodec.Index(granularity, periodStart, scope);
        var members = (await db.SetMembersAsync(index).WaitAsync(cancellationToken).ConfigureAwait(false))
            .Select(member => (string)member!)
            .Order(StringComparer.Ordinal)
            .ToList();
        var reads = members.ConvertAll(member => db.HashGetAsync(index + ":" + member, ["r", "s", "b", "up", "dn", "rw"]));
        await Task.WhenAll(reads).WaitAsync(cancellationToken).ConfigureAwait(false);
        var buckets = new List<KeyValuePair<UsageBucketKey, UsageCounters>>(members.Count);
        for (var i = 0; i < members.Count; i++)
        {
            var v = await reads[i].ConfigureAwait(false);
            buckets.Add(KeyValuePair.Create(
                OffloadRecordCodec.BucketKey(granularity, periodStart, carrierId, scope, members[i]),
                new UsageCounters(ToLong(v[0]), ToLong(v[1]), ToLong(v[2]), ToLong(v[3]), ToLong(v[4]), ToLong(v[5]))));
        }

        return buckets;
    }

    public async Task AddRejectionsAsync(string carrierId, IReadOnlyList<RejectedRecord> rejections, int keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejections);
        if (rejections.Count == 0)
        {
            return;
        }

        RedisKey key = CarrierBase(carrierId) + ":rejections";
        var transaction = Db.CreateTransaction();
        var push = transaction.ListLeftPushAsync(key, rejections.Select(r => (RedisValue)JsonSerializer.Serialize(r, Json)).ToArray());
        var trim = transaction.ListTrimAsync(key, 0, Math.Max(0, keep - 1));
        await transaction.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(push, trim).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RejectedRecord>> GetRejectionsAsync(string carrierId, int offset, int count, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return [];
        }

        var values = await Db.ListRangeAsync(CarrierBase(carrierId) + ":rejections", offset, offset + count - 1).WaitAsync(cancellationToken).ConfigureAwait(false);
        return values.Select(value => JsonSerializer.Deserialize<RejectedRecord>((string)value!, Json)!).ToList();
    }

    public async Task<bool> CountHeartbeatAsync(HeliumPublicKey hotspot, DateTimeOffset hour, decimal trust, CancellationToken cancellationToken)
    {
        var utc = hour.UtcDateTime;
        return await Db.HashSetAsync(
                HeartbeatDay(hotspot, DateOnly.FromDateTime(utc)),
                utc.Hour,
                trust.ToString(CultureInfo.InvariantCulture),
                When.NotExists)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<HeartbeatDaySummary> GetHeartbeatDayAsync(HeliumPublicKey hotspot, DateOnly day, CancellationToken cancellationToken)
    {
        var values = await Db.HashValuesAsync(HeartbeatDay(hotspot, day)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return OffloadHeartbeats.Summarize(values.Select(value => decimal.Parse((string)value!, CultureInfo.InvariantCulture)).ToList());
    }

    public async Task AddSpeedtestAsync(Speedtest speedtest, int keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(speedtest);
        RedisKey key = Speedtests(speedtest.HotspotKey);
        var transaction = Db.CreateTransaction();
        var add = transaction.SortedSetAddAsync(key, string.Create(CultureInfo.InvariantCulture, $"{speedtest.TimestampUnixSeconds}:{speedtest.UploadBytesPerSecond}:{speedtest.DownloadBytesPerSecond}:{speedtest.LatencyMs}"), speedtest.TimestampUnixSeconds);
        var trim = transaction.SortedSetRemoveRangeByRankAsync(key, 0, -(keep + 1L));
        await transaction.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(add, trim).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Speedtest>> GetSpeedtestsAsync(HeliumPublicKey hotspot, DateTimeOffset before, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hotspot);
        var values = await Db.SortedSetRangeByScoreAsync(Speedtests(hotspot), double.NegativeInfinity, before.ToUnixTimeSeconds(), Exclude.Stop, Order.Descending, 0, count)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return values.Select(value =>
        {
            var parts = ((string)value!).Split(':');
            return new Speedtest(
                hotspot,
                long.Parse(parts[0], CultureInfo.InvariantCulture),
                long.Parse(parts[1], CultureInfo.InvariantCulture),
                long.Parse(parts[2], CultureInfo.InvariantCulture),
                int.Parse(parts[3], CultureInfo.InvariantCulture));
        }).ToList();
    }

    public async Task<bool> CarrierUsedHotspotAsync(string carrierId, HeliumPublicKey hotspot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hotspot);
        return await Db.SetContainsAsync(CarrierBase(carrierId) + ":hotspots", hotspot.ToAddress()).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private RedisKey Speedtests(HeliumPublicKey hotspot) => $"{_prefix}:{{offhb:{hotspot.ToAddress()}}}:speedtests";

    public Task PutCarrierAsync(CarrierSettings carrier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        return Db.HashSetAsync(Config("carriers"), carrier.CarrierId, JsonSerializer.Serialize(carrier, Json)).WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CarrierSettings>> GetCarriersAsync(CancellationToken cancellationToken) =>
        (await Db.HashValuesAsync(Config("carriers")).WaitAsync(cancellationToken).ConfigureAwait(false))
            .Select(value => JsonSerializer.Deserialize<CarrierSettings>((string)value!, Json)!)
            .ToList();

    public Task PutHotspotAsync(HotspotSettings hotspot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hotspot);
        return Db.HashSetAsync(Config("hotspots"), hotspot.HotspotKey, JsonSerializer.Serialize(hotspot, Json)).WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<HotspotSettings>> GetHotspotsAsync(CancellationToken cancellationToken) =>
        (await Db.HashValuesAsync(Config("hotspots")).WaitAsync(cancellationToken).ConfigureAwait(false))
            .Select(value => JsonSerializer.Deserialize<HotspotSettings>((string)value!, Json)!)
            .ToList();

    public Task PutRateCardAsync(string carrierId, DateTimeOffset effectiveFrom, string json, CancellationToken cancellationToken) =>
        Db.HashSetAsync(Config("rate-cards"), string.Create(CultureInfo.InvariantCulture, $"{carrierId}|{effectiveFrom.ToUnixTimeSeconds()}"), json).WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<string>> GetRateCardsAsync(CancellationToken cancellationToken) =>
        (await Db.HashValuesAsync(Config("rate-cards")).WaitAsync(cancellationToken).ConfigureAwait(false)).Select(value => (string)value!).ToList();

    public Task PutPartnerKeyAsync(PartnerKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Db.HashSetAsync(Config("partner-keys"), key.KeyId, JsonSerializer.Serialize(key, Json)).WaitAsync(cancellationToken);
    }

    public async Task<PartnerKeyRecord?> GetPartnerKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        var value = await Db.HashGetAsync(Config("partner-keys"), keyId).WaitAsync(cancellationToken).ConfigureAwait(false);
        return value.IsNull ? null : JsonSerializer.Deserialize<PartnerKeyRecord>((string)value!, Json);
    }

    public async Task<IReadOnlyList<SettlementLogEntry>> GetSettlementLogAsync(string carrierId, CancellationToken cancellationToken) =>
        (await Db.ListRangeAsync(CarrierBase(carrierId) + ":settlement-log").WaitAsync(cancellationToken).ConfigureAwait(false))
            .Select(value => JsonSerializer.Deserialize<SettlementLogEntry>((string)value!, Json)!)
            .ToList();

    public async Task<bool> AppendSettlementAsync(string carrierId, long expectedLogLength, SettlementLogEntry entry, IReadOnlyList<StoredStatement> statements, SettlementCheckpointWrite? checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var args = new List<RedisValue> { expectedLogLength, JsonSerializer.Serialize(entry, Json), statements.Count };
        args.AddRange(statements.Select(s => (RedisValue)JsonSerializer.Serialize(s, Json)));
        if (checkpoint is not null)
        {
            args.Add(checkpoint.State);
            args.Add(checkpoint.Books.Count);
            foreach (var (period, book) in checkpoint.Books)
            {
                args.Add(period);
                args.Add(book);
            }

            args.Add(checkpoint.DropEpochsFrom);
            args.Add(checkpoint.DropEpochsThrough);
        }

        var result = await Db.ScriptEvaluateAsync(AppendSettlementScript, [CarrierBase(carrierId)], [.. args])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    public async Task<StoredSettlementCheckpoint> GetSettlementCheckpointAsync(string carrierId, CancellationToken cancellationToken)
    {
        var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(CheckpointScript, [CarrierBase(carrierId)]).WaitAsync(cancellationToken).ConfigureAwait(false))!;
        return new StoredSettlementCheckpoint((long)reply[0], reply[1].IsNull ? null : (string?)reply[1]);
    }

    public async Task<IReadOnlyDictionary<long, string>> GetSettlementBooksAsync(string carrierId, IReadOnlyCollection<long> periodStarts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(periodStarts);
        var books = new Dictionary<long, string>();
        if (periodStarts.Count == 0)
        {
            return books;
        }

        var fields = periodStarts.Select(period => (RedisValue)period).ToArray();
        var values = await Db.HashGetAsync(CarrierBase(carrierId) + ":st:books", fields).WaitAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < fields.Length; i++)
        {
            if (!values[i].IsNull)
            {
                books[(long)fields[i]] = (string)values[i]!;
            }
        }

        return books;
    }

    public async Task<long?> CutSettlementEpochAsync(string carrierId, long expectedLogLength, DateTimeOffset periodStart, CancellationToken cancellationToken)
    {
        var ended = (long)(await Db.ScriptEvaluateAsync(CutScript, [CarrierBase(carrierId)], [expectedLogLength, periodStart.ToUnixTimeSeconds()])
            .WaitAsync(cancellationToken).ConfigureAwait(false));
        return ended < 0 ? null : ended;
    }

    public async Task<SettlementEpoch> ReadSettlementEpochAsync(string carrierId, long epoch, CancellationToken cancellationToken)
    {
        var db = Db;
        var prefix = CarrierBase(carrierId) + ":st:";
        var epochText = epoch.ToString(CultureInfo.InvariantCulture);
        var periods = (await db.SetMembersAsync(prefix + "periods:" + epochText).WaitAsync(cancellationToken).ConfigureAwait(false))
            .Select(period => (long)period)
            .Order()
            .ToList();
        var buckets = new List<SettlementBucket>();
        foreach (var period in periods)
        {
            var start = DateTimeOffset.FromUnixTimeSeconds(period);
            var key = prefix + "tally:" + epochText + ":" + period.ToString(CultureInfo.InvariantCulture);
            // HSCAN in pages: a period of many hotspots and payers is a big hash, and one HGETALL would block Redis.
            await foreach (var entry in db.HashScanAsync(key, pageSize: 5_000).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                buckets.Add(ParseTally(start, entry.Name!, entry.Value!));
            }
        }

        var late = await db.ListRangeAsync(prefix + "late:" + epochText).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new SettlementEpoch(buckets, Array.ConvertAll(late, value => OffloadRecordCodec.Decode(carrierId, value!)));
    }

    public async Task<LocatedRecord?> FindRecordAsync(string carrierId, string eventId, CancellationToken cancellationToken)
    {
        var carrier = CarrierBase(carrierId);
        var claim = await Db.StringGetAsync(carrier + ":dedup:" + RedisKeys.EncodeIdentifier(eventId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (claim.IsNull)
        {
            return null;
        }

        var parts = ((string)claim!).Split('|');
        if (parts.Length < 4 || parts[1] != "A")
        {
            return null;
        }

        var stored = await Db.ListGetByIndexAsync(carrier + ":records", long.Parse(parts[2], CultureInfo.InvariantCulture)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return stored.IsNull ? null : new LocatedRecord(OffloadRecordCodec.Decode(carrierId, stored!), long.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    private static SettlementBucket ParseTally(DateTimeOffset period, string member, string value)
    {
        Span<long> v = stackalloc long[7];
        var rest = value.AsSpan();
        for (var i = 0; i < 7; i++)
        {
            var colon = rest.IndexOf(':');
            var field = colon < 0 ? rest : rest[..colon];
            v[i] = long.Parse(field, CultureInfo.InvariantCulture);
            rest = colon < 0 ? [] : rest[(colon + 1)..];
        }

        return new SettlementBucket(period, member, new TransferTally(v[0], v[1], v[2], v[3], v[4]), v[5], v[6]);
    }

    public async Task<IReadOnlyList<StoredStatement>> GetStatementsAsync(string carrierId, long fromSequence, int count, CancellationToken cancellationToken)
    {
        if (fromSequence < 1 || count <= 0)
        {
            return [];
        }

        // Statement n is the list's element n − 1: the append script pushes them in sequence order.
        return (await Db.ListRangeAsync(CarrierBase(carrierId) + ":statements", fromSequence - 1, fromSequence - 2 + count).WaitAsync(cancellationToken).ConfigureAwait(false))
            .Select(value => JsonSerializer.Deserialize<StoredStatement>((string)value!, Json)!)
            .ToList();
    }

    public async Task<IReadOnlyList<StoredStatement>> GetStatementsAsync(string carrierId, CancellationToken cancellationToken) =>
        (await Db.ListRangeAsync(CarrierBase(carrierId) + ":statements").WaitAsync(cancellationToken).ConfigureAwait(false))
            .Select(value => JsonSerializer.Deserialize<StoredStatement>((string)value!, Json)!)
            .ToList();

    private static long ToLong(RedisValue value) => value.IsNull ? 0 : (long)value;
}
