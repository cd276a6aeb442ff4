namespace WirelessNet.Lns.Coverage;

/// <summary>
/// The Lua scripts of <see cref="RedisCoverageStore"/>. Each touches the keys of one hex (or one gateway's hash), which
/// share a hash tag, so they run on Redis Cluster too. They are plain KEYS/ARGV scripts because the update takes a
/// variable number of gateway ids; StackExchange.Redis sends them as EVALSHA once the server knows them.
/// </summary>
/// <remarks>
/// Sums go through HINCRBYFLOAT, never through Lua arithmetic: Lua turns numbers back into strings with 14 significant
/// digits, HINCRBYFLOAT keeps 17. Best values and the last-seen time are written as the strings the client sent, so a
/// stored value is exactly a value that was observed. Times are 19-digit UTC tick strings: ticks exceed 2^53, where Lua's
/// doubles stop being exact, so they are compared as two halves of at most 10 digits each.
/// </remarks>
internal static class RedisCoverageScripts
{
    /// <summary>Statistics fields (of a hex's hash, or after "&lt;cell&gt;:" in a gateway's hash).</summary>
    public static class Field
    {
        public const string Count = "n";
        public const string SumRssi = "rs";
        public const string SumSnr = "ss";
        public const string BestRssi = "rb";
        public const string BestSnr = "sb";
        public const string LastSeenTicks = "t";
    }

    /// <summary>
    /// Adds a batch's partial statistics of one hex. KEYS[1] = statistics hash; for a hex also KEYS[2] = gateway set and
    /// KEYS[3] = gateway sketch. ARGV = field prefix, count, RSSI sum, SNR sum, best RSSI, best SNR, latest ticks (19 digits),
    /// exact gateway capacity, then the batch's distinct gateway ids. Once the set would exceed the capacity its members
    /// move into the HyperLogLog and the set is deleted; from then on ids go to the HyperLogLog only (as in memory).
    /// </summary>
    public const string Add = """
        local h, p = KEYS[1], ARGV[1]
        local function later(a, b)
          local ha, hb = tonumber(string.sub(a, 1, 10)), tonumber(string.sub(b, 1, 10))
          if ha ~= hb then return ha > hb end
          return tonumber(string.sub(a, 11)) > tonumber(string.sub(b, 11))
        end
        local function addAll(command, key, ids)
          for i = 1, #ids, 1000 do
            redis.call(command, key, unpack(ids, i, math.min(i + 999, #ids)))
          end
        end
        redis.call('HINCRBY', h, p .. 'n', ARGV[2])
        redis.call('HINCRBYFLOAT', h, p .. 'rs', ARGV[3])
        redis.call('HINCRBYFLOAT', h, p .. 'ss', ARGV[4])
        local v = redis.call('HGET', h, p .. 'rb')
        if not v or tonumber(ARGV[5]) > tonumber(v) then redis.call('HSET', h, p .. 'rb', ARGV[5]) end
        v = redis.call('HGET', h, p .. 'sb')
        if not v or tonumber(ARGV[6]) > tonumber(v) then redis.call('HSET', h, p .. 'sb', ARGV[6]) end
        v = redis.call('HGET', h, p .. 't')
        if not v or later(ARGV[7], v) then redis.call('HSET', h, p .. 't', ARGV[7]) end
        if #KEYS < 3 or #ARGV < 9 then return 1 end
        local ids = {}
        for i = 9, #ARGV do ids[#ids + 1] = ARGV[i] end
        if redis.call('EXISTS', KEYS[3]) == 0 then
          addAll('SADD', KEYS[2], ids)
          if redis.call('SCARD', KEYS[2]) <= tonumber(ARGV[8]) then return 1 end
          ids = redis.call('SMEMBERS', KEYS[2])
          redis.call('DEL', KEYS[2])
        end
        addAll('PFADD', KEYS[3], ids)
        return 1
        """;

    /// <summary>
    /// Reads a hex's statistics and distinct gateway count together. KEYS = hash, gateway set, gateway sketch. Returns
    /// nil when the hex has none, else { n, rs, ss, rb, sb, t, gateways, exact (1/0) }.
    /// </summary>
    public const string ReadHex = """
        local v = redis.call('HMGET', KEYS[1], 'n', 'rs', 'ss', 'rb', 'sb', 't')
        if not v[1] then return false end
        if redis.call('EXISTS', KEYS[3]) == 1 then
          v[7] = redis.call('PFCOUNT', KEYS[3])
          v[8] = 0
        else
          v[7] = redis.call('SCARD', KEYS[2])
          v[8] = 1
        end
        return v
        """;

    /// <summary>
    /// Stores a hotspot. KEYS = hotspot hash, geo index. ARGV = id, JSON, "1" when GEOADD can index the position, longitude,
    /// latitude. A hotspot moved where GEOADD cannot go (near a pole) leaves the index, so box queries never see it at its
    /// old place.
    /// </summary>
    public const string UpsertHotspot = """
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        if ARGV[3] == '1' then
          redis.call('GEOADD', KEYS[2], ARGV[4], ARGV[5], ARGV[1])
        else
          redis.call('ZREM', KEYS[2], ARGV[1])
        end
        return 1
        """;
}
