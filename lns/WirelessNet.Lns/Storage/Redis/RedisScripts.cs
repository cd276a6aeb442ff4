using StackExchange.Redis;

namespace WirelessNet.Lns.Storage.Redis;

/// <summary>
/// The Lua scripts of the Redis store. A script runs atomically on the server, which is what makes the counter
/// compare-and-set operations safe across server instances. Every script touches keys of one device only (one hash
/// slot, see <see cref="RedisKeys"/>), so they also run on Redis Cluster. Parameters are named: <c>@Name</c> is
/// replaced by KEYS[i] for <see cref="RedisKey"/> members of the parameter object and by ARGV[i] for the others.
/// </summary>
/// <remarks>
/// Redis returns a missing hash field as <c>false</c> in Lua; the comparisons below rely on <c>false ~= 'string'</c>.
/// Numbers arrive as strings and are compared with <c>tonumber</c> (exact for 32-bit counters).
/// </remarks>
internal static class RedisScripts
{
    /// <summary>Session hash fields. The JSON holds the static part; counters change per frame and are fields of their own.</summary>
    public static class SessionField
    {
        public const string Json = "json";
        public const string DevAddr = "devaddr";
        public const string FCntUp = "fcnt_up";
        public const string NFCntDown = "nfcnt_down";
        public const string AFCntDown = "afcnt_down";

        /// <summary>"1" when the application downlink counter is separate from the network one (LoRaWAN 1.1).</summary>
        public const string SeparateAppFCntDown = "app_fcnt";
    }

    /// <summary>Claim results; the script's first array element.</summary>
    public const long ClaimAccepted = 0;
    public const long ClaimReplay = 1;
    public const long ClaimSessionChanged = 2;

    /// <summary>
    /// Replaces one of the device's session hashes (@Target) entirely. Returns the address the replaced session used
    /// when no session of the device (@Other included) uses it any more, so the caller can drop its index entry; nil otherwise.
    /// </summary>
    public static readonly LuaScript SaveSession = LuaScript.Prepare("""
        local previous = redis.call('HGET', @Target, 'devaddr')
        redis.call('DEL', @Target)
        redis.call('HSET', @Target, 'json', @Json, 'devaddr', @DevAddr, 'nfcnt_down', @NFCntDown, 'afcnt_down', @AFCntDown, 'app_fcnt', @SeparateAppFCntDown)
        if @FCntUp ~= '' then
          redis.call('HSET', @Target, 'fcnt_up', @FCntUp)
        end
        if previous and previous ~= @DevAddr and redis.call('HGET', @Other, 'devaddr') ~= previous then
          return previous
        end
        return false
        """);

    /// <summary>
    /// Replaces the static part of the active session when it still has @DevAddr; the counter fields stay as the
    /// compare-and-set scripts left them. Returns 1 when updated.
    /// </summary>
    public static readonly LuaScript UpdateSessionSettings = LuaScript.Prepare("""
        if redis.call('HGET', @Active, 'devaddr') ~= @DevAddr then
          return 0
        end
        redis.call('HSET', @Active, 'json', @Json, 'app_fcnt', @SeparateAppFCntDown)
        return 1
        """);

    /// <summary>
    /// Uplink counter claim. From the pending session: its address must still be @DevAddr; it replaces the active
    /// session (RENAME keeps every field) and takes @FCnt. From the active session: the address must match and @FCnt
    /// must be beyond the stored counter. An accepted claim also stores @Json (the settings the frame led to) unless it
    /// is empty, so that the counter and the state derived from the frame change together, and appends @Event (the
    /// frame's journaled application event) to @Events unless it is empty. Returns {result} or
    /// {accepted, address the replaced active session used}.
    /// </summary>
    public static readonly LuaScript ClaimUplink = LuaScript.Prepare("""
        local replaced = false
        if @FromPending == '1' then
          if redis.call('HGET', @Pending, 'devaddr') ~= @DevAddr then
            return {2}
          end
          replaced = redis.call('HGET', @Active, 'devaddr')
          redis.call('RENAME', @Pending, @Active)
        else
          if redis.call('HGET', @Active, 'devaddr') ~= @DevAddr then
            return {2}
          end
          local last = redis.call('HGET', @Active, 'fcnt_up')
          if last and tonumber(last) >= tonumber(@FCnt) then
            return {1}
          end
        end
        if @Json ~= '' then
          redis.call('HSET', @Active, 'fcnt_up', @FCnt, 'json', @Json, 'app_fcnt', @SeparateAppFCntDown)
        else
          redis.call('HSET', @Active, 'fcnt_up', @FCnt)
        end
        if @Event ~= '' then
          redis.call('RPUSH', @Events, @Event)
        end
        if replaced and replaced ~= @DevAddr then
          return {0, replaced}
        end
        return {0}
        """);

    /// <summary>
    /// Downlink counter compare-and-set on the active session: the application counter for 1.1 sessions when asked
    /// for, the network counter otherwise. Returns 1 when it moved from @UsedFCnt to @NextFCnt, 0 when it had moved on.
    /// </summary>
    public static readonly LuaScript AdvanceDownlinkCounter = LuaScript.Prepare("""
        if redis.call('EXISTS', @Active) == 0 then
          return 0
        end
        local field = 'nfcnt_down'
        if @ApplicationCounter == '1' and redis.call('HGET', @Active, 'app_fcnt') == '1' then
          field = 'afcnt_down'
        end
        local current = redis.call('HGET', @Active, field)
        if not current or tonumber(current) ~= tonumber(@UsedFCnt) then
          return 0
        end
        redis.call('HSET', @Active, field, @NextFCnt)
        return 1
        """);

    /// <summary>The addresses of the device's sessions, read together: {active address or nil, pending address or nil}.</summary>
    public static readonly LuaScript SessionAddresses = LuaScript.Prepare("""
        return {redis.call('HGET', @Active, 'devaddr'), redis.call('HGET', @Pending, 'devaddr')}
        """);

    /// <summary>Deletes both sessions; returns the addresses they used: {active or nil, pending or nil}.</summary>
    public static readonly LuaScript DeleteSessions = LuaScript.Prepare("""
        local active = redis.call('HGET', @Active, 'devaddr')
        local pending = redis.call('HGET', @Pending, 'devaddr')
        redis.call('DEL', @Active, @Pending)
        return {active, pending}
        """);

    /// <summary>
    /// Accepts @DevNonce when greater than the highest seen (@MustIncrease = 1) or never used before; records it in
    /// both the maximum and the used set, so either rule can be applied later. Returns 1 when accepted.
    /// </summary>
    public static readonly LuaScript UseDevNonce = LuaScript.Prepare("""
        local nonce = tonumber(@DevNonce)
        local last = redis.call('HGET', @JoinState, 'last_devnonce')
        if @MustIncrease == '1' then
          if last and tonumber(last) >= nonce then
            return 0
          end
        elseif redis.call('SISMEMBER', @UsedDevNonces, @DevNonce) == 1 then
          return 0
        end
        if not last or tonumber(last) < nonce then
          redis.call('HSET', @JoinState, 'last_devnonce', @DevNonce)
        end
        redis.call('SADD', @UsedDevNonces, @DevNonce)
        return 1
        """);

    /// <summary>Increments the JoinNonce, wrapping within 24 bits as the field is 3 bytes on the air.</summary>
    public static readonly LuaScript NextJoinNonce = LuaScript.Prepare("""
        local nonce = redis.call('HINCRBY', @JoinState, 'join_nonce', 1)
        if nonce > 16777215 then
          nonce = nonce % 16777216
          redis.call('HSET', @JoinState, 'join_nonce', nonce)
        end
        return nonce
        """);

    /// <summary>Appends an item id to the queue list and its JSON to the item hash, together.</summary>
    public static readonly LuaScript Enqueue = LuaScript.Prepare("""
        redis.call('RPUSH', @Queue, @ItemId)
        redis.call('HSET', @Items, @ItemId, @Json)
        return 1
        """);

    /// <summary>The JSON of the oldest queued item, or nil.</summary>
    public static readonly LuaScript Peek = LuaScript.Prepare("""
        local id = redis.call('LINDEX', @Queue, 0)
        if not id then
          return false
        end
        return redis.call('HGET', @Items, id)
        """);

    /// <summary>The JSON of every queued item, oldest first.</summary>
    public static readonly LuaScript List = LuaScript.Prepare("""
        local ids = redis.call('LRANGE', @Queue, 0, -1)
        local items = {}
        for _, id in ipairs(ids) do
          local item = redis.call('HGET', @Items, id)
          if item then
            items[#items + 1] = item
          end
        end
        return items
        """);

    /// <summary>Removes an item from list and hash; returns how many list entries were removed.</summary>
    public static readonly LuaScript Remove = LuaScript.Prepare("""
        local removed = redis.call('LREM', @Queue, 0, @ItemId)
        redis.call('HDEL', @Items, @ItemId)
        return removed
        """);
}
