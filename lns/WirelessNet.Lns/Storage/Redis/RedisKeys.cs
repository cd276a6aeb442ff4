using System.Buffers;
using System.IO.Hashing;
using System.Text;
using StackExchange.Redis;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Storage.Redis;

/// <summary>
/// The key schema of the Redis store (documented in docs/redis-keys.md). Every key carries a hash tag, the part in
/// braces, which alone decides the Redis Cluster slot: all keys of one device share <c>{dev:&lt;deveui&gt;}</c>, so the
/// Lua scripts that touch several of them run on one node. Keys of different concepts are spread over the cluster.
/// </summary>
internal sealed class RedisKeys
{
    // Identifiers longer than this, or with characters outside SafeIdentifierCharacters, are hashed into the key
    // name: braces would end the hash tag early, and unbounded names would cost memory on every key.
    private const int MaxVerbatimIdentifierLength = 100;

    private static readonly SearchValues<char> SafeIdentifierCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/+=");

    private readonly string _prefix;

    public RedisKeys(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (prefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            // A brace in the prefix would become (part of) the hash tag and put every key into one slot.
            throw new ArgumentException("The Redis key prefix must not contain '{' or '}'.", nameof(prefix));
        }

        _prefix = prefix;
    }

    /// <summary>Hash: the active session (static part as JSON, plus the per-frame counters as separate fields).</summary>
    public RedisKey ActiveSession(Eui64 devEui) => Device(devEui, "session");

    /// <summary>Hash: the session of the latest join, until its first uplink promotes it; same fields as the active one.</summary>
    public RedisKey PendingSession(Eui64 devEui) => Device(devEui, "pending");

    /// <summary>Hash: join state (highest DevNonce seen, last JoinNonce).</summary>
    public RedisKey JoinState(Eui64 devEui) => Device(devEui, "join");

    /// <summary>Set: every DevNonce the device has used.</summary>
    public RedisKey UsedDevNonces(Eui64 devEui) => Device(devEui, "devnonces");

    /// <summary>List: ids of the queued application downlinks, oldest first.</summary>
    public RedisKey DownlinkQueue(Eui64 devEui) => Device(devEui, "queue");

    /// <summary>Hash: queued downlink id → JSON of the item.</summary>
    public RedisKey DownlinkQueueItems(Eui64 devEui) => Device(devEui, "queue:items");

    /// <summary>Set: DevEUIs whose active or pending session uses the address (may hold stale entries, see docs).</summary>
    /// <summary>Journaled application events of accepted uplinks not yet handed to the broker or the outbox.</summary>
    public RedisKey UplinkEvents(Eui64 devEui) => Device(devEui, "events");

    /// <summary>Pattern matching every device's <see cref="UplinkEvents"/> key (for SCAN).</summary>
    public string UplinkEventsPattern => $"{EscapeGlob(_prefix)}:{{dev:*}}:events";

    /// <summary>The DevEUI of a key matched by <see cref="UplinkEventsPattern"/>.</summary>
    public static bool TryParseUplinkEventsKey(string key, out Eui64 devEui)
    {
        devEui = default;
        var start = key.LastIndexOf("{dev:", StringComparison.Ordinal);
        var end = start < 0 ? -1 : key.IndexOf('}', start);
        return end > start && Eui64.TryParse(key.AsSpan(start + 5, end - start - 5), null, out devEui);
    }

    private static string EscapeGlob(string text)
    {
        var escaped = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    public RedisKey DevAddrIndex(DevAddr devAddr) => $"{_prefix}:{{devaddr:{devAddr}}}";

    /// <summary>List: receptions of one frame, with a TTL of the deduplication lifetime.</summary>
    public RedisKey Deduplication(string key) => $"{_prefix}:{{dedup:{EncodeIdentifier(key)}}}";

    /// <summary>String: JSON of a downlink in flight, with a TTL of the TxAck timeout.</summary>
    public RedisKey InFlightDownlink(uint downlinkId) => $"{_prefix}:{{dl:{downlinkId:x8}}}";

    /// <summary>String: JSON of a provisioned device (holds its root keys).</summary>
    public RedisKey Device(Eui64 devEui) => $"{_prefix}:{{device:{devEui}}}";

    /// <summary>String: JSON of a device profile.</summary>
    public RedisKey Profile(string profileId) => $"{_prefix}:{{profile:{EncodeIdentifier(profileId)}}}";

    /// <summary>String: JSON of a provisioned gateway.</summary>
    public RedisKey Gateway(Eui64 gatewayId) => $"{_prefix}:{{gw:{gatewayId}}}";

    /// <summary>Stream: application events waiting for the broker (fields <c>t</c> topic, <c>k</c> type, <c>p</c> payload).</summary>
    public RedisKey ApplicationEventOutbox() => $"{_prefix}:{{app-outbox}}";

    /// <summary>String: the instance currently draining the outbox, with a TTL of its lease.</summary>
    public RedisKey ApplicationEventOutboxLease() => $"{_prefix}:{{app-outbox}}:relay";

    private RedisKey Device(Eui64 devEui, string suffix) => $"{_prefix}:{{dev:{devEui}}}:{suffix}";

    /// <summary>
    /// Keeps short, plain identifiers readable in the key (for operators using redis-cli); anything else becomes '#'
    /// and its 128-bit XXH3 hash. '#' is not a plain character, so an encoded name never equals a verbatim one.
    /// </summary>
    internal static string EncodeIdentifier(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        if (identifier.Length is > 0 and <= MaxVerbatimIdentifierLength && !identifier.AsSpan().ContainsAnyExcept(SafeIdentifierCharacters))
        {
            return identifier;
        }

        var hash = XxHash128.Hash(Encoding.UTF8.GetBytes(identifier));
        return "#" + Convert.ToHexStringLower(hash);
    }
}
