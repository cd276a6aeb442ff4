using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Uplinks;
using WirelessNet.LoRaWan.Primitives;
using static WirelessNet.Lns.Storage.Redis.RedisScripts;

namespace WirelessNet.Lns.Storage.Redis;

/// <summary>
/// The shared store for running several network server instances: sessions, join state, deduplication, downlink
/// queues and the registry in Redis (standalone or Cluster). The key schema is in docs/redis-keys.md.
/// </summary>
/// <remarks>
/// <para>Every operation that decides something (counter claims, DevNonce use, collector election, TxAck take) is a
/// single atomic Lua script or command, and every method returns only after Redis has answered, so an acknowledged
/// write is in Redis before the server acts on it (for example, sends the Join-Accept).</para>
/// <para>The DevAddr index lives in other slots than the device's keys and cannot be updated in the same script. It
/// is maintained after each session write (add after the session is written, remove with a re-check) and may hold
/// stale entries briefly; readers filter sessions whose address no longer matches.</para>
/// <para>Sessions hold keys. This class logs nothing, and no serialized value goes into an exception message.</para>
/// </remarks>
public sealed class RedisStore : ISessionStore, IJoinStore, IDeduplicationStore, IDownlinkQueueStore, IDeviceRegistry
{
    private readonly IConnectionMultiplexer _connection;
    private readonly int _database;
    private readonly RedisKeys _keys;

    public RedisStore(IConnectionMultiplexer connection, RedisStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new RedisStoreOptions();
        _connection = connection;
        _database = options.Database;
        _keys = new RedisKeys(options.KeyPrefix);
    }

    // Asked for every call rather than kept: GetDatabase is cheap, and a proxy multiplexer (tests) sees each use.
    private IDatabase Db => _connection.GetDatabase(_database);

    // Sessions

    public async ValueTask<IReadOnlyList<DeviceSession>> GetCandidatesAsync(DevAddr devAddr, int maxCandidates, CancellationToken cancellationToken)
    {
        if (maxCandidates <= 0)
        {
            return [];
        }

        var db = Db;
        var members = await db.SetMembersAsync(_keys.DevAddrIndex(devAddr)).WaitAsync(cancellationToken).ConfigureAwait(false);
        var devEuis = new List<Eui64>(members.Length);
        foreach (var member in members)
        {
            if (Eui64.TryParse((string?)member, null, out var devEui))
            {
                devEuis.Add(devEui);
            }
        }

        // Stable order across calls and instances; the set's own order is arbitrary.
        devEuis.Sort();

        var result = new List<DeviceSession>();

        // Read in batches of the remaining budget: stale index entries yield nothing, so a batch can fall short.
        var next = 0;
        while (result.Count < maxCandidates && next < devEuis.Count)
        {
            var batch = devEuis.GetRange(next, Math.Min(maxCandidates - result.Count, devEuis.Count - next));
            next += batch.Count;

            // Issued together, so they travel pipelined. Per device the pending session is read before the active one:
            // a promotion (pending renamed to active) between the two reads then shows the session twice (as a device
            // that rejoined with the same address would), never not at all. Two plain reads cost Redis a fraction of
            // one script, and this runs for every frame.
            var reads = batch.ConvertAll(devEui => (
                Pending: db.HashGetAllAsync(_keys.PendingSession(devEui)),
                Active: db.HashGetAllAsync(_keys.ActiveSession(devEui))));
            await Task.WhenAll(reads.SelectMany(r => new[] { r.Pending, r.Active })).WaitAsync(cancellationToken).ConfigureAwait(false);

            foreach (var read in reads)
            {
                var pending = SessionFromFields(await read.Pending.ConfigureAwait(false), pending: true);
                var active = SessionFromFields(await read.Active.ConfigureAwait(false), pending: false);
                if (pending is not null && pending.DevAddr == devAddr && result.Count < maxCandidates)
                {
                    result.Add(pending);
                }

                if (active is not null && active.DevAddr == devAddr && result.Count < maxCandidates)
                {
                    result.Add(active);
                }
            }
        }

        return result;
    }

    public async ValueTask<DeviceSession?> GetActiveSessionAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        var fields = await Db.HashGetAllAsync(_keys.ActiveSession(devEui)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return SessionFromFields(fields, pending: false);
    }

    public async ValueTask<DeviceSession?> GetPendingSessionAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        var fields = await Db.HashGetAllAsync(_keys.PendingSession(devEui)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return SessionFromFields(fields, pending: true);
    }

    public ValueTask SavePendingSessionAsync(DeviceSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return SaveSessionAsync(session, _keys.PendingSession(session.DevEui), _keys.ActiveSession(session.DevEui), cancellationToken);
    }

    public ValueTask SaveActiveSessionAsync(DeviceSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return SaveSessionAsync(session, _keys.ActiveSession(session.DevEui), _keys.PendingSession(session.DevEui), cancellationToken);
    }

    private async ValueTask SaveSessionAsync(DeviceSession session, RedisKey target, RedisKey other, CancellationToken cancellationToken)
    {
        // Cancellation is honoured only before the write is sent: once the session is in Redis, its index entries
        // must follow, or the session would be unreachable by DevAddr.
        cancellationToken.ThrowIfCancellationRequested();
        var db = Db;
        var replacedAddress = await db.ScriptEvaluateAsync(SaveSession, new
        {
            Target = target,
            Other = other,
            Json = JsonSerializer.Serialize(session, StoreJson.SessionStaticPart),
            DevAddr = session.DevAddr.ToString(),
            FCntUp = session.FCntUp is { } fCntUp ? fCntUp.ToString(CultureInfo.InvariantCulture) : string.Empty,
            NFCntDown = (long)session.NFCntDown,
            AFCntDown = (long)session.AFCntDown,
            SeparateAppFCntDown = session.MacVersion.Is11() ? 1 : 0,
        }).ConfigureAwait(false);

        // Index after the session is written: see UnindexAsync for why this order keeps concurrent updates correct.
        await db.SetAddAsync(_keys.DevAddrIndex(session.DevAddr), session.DevEui.ToString()).ConfigureAwait(false);
        if (!replacedAddress.IsNull && DevAddr.TryParse((string?)replacedAddress, null, out var unused))
        {
            await UnindexAsync(db, session.DevEui, unused).ConfigureAwait(false);
        }
    }

    public async ValueTask UpdateActiveSessionSettingsAsync(DeviceSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);

        // The address is compared in the script: settings computed from a session that a join has since replaced
        // must not be applied to the new one. The address is unchanged, so the index needs no update.
        await Db.ScriptEvaluateAsync(UpdateSessionSettings, new
        {
            Active = _keys.ActiveSession(session.DevEui),
            DevAddr = session.DevAddr.ToString(),
            Json = JsonSerializer.Serialize(session, StoreJson.SessionStaticPart),
            SeparateAppFCntDown = session.MacVersion.Is11() ? 1 : 0,
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<UplinkClaim> TryClaimUplinkAsync(Eui64 devEui, DevAddr devAddr, bool fromPending, uint fCnt, CancellationToken cancellationToken) =>
        ClaimAsync(devEui, devAddr, fromPending, fCnt, settings: null, eventEntry: null, cancellationToken);

    public ValueTask<UplinkClaim> TryClaimUplinkAsync(DeviceSession settings, bool fromPending, uint fCnt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ClaimAsync(settings.DevEui, settings.DevAddr, fromPending, fCnt, settings, eventEntry: null, cancellationToken);
    }

    public ValueTask<UplinkClaim> TryClaimUplinkAsync(DeviceSession settings, bool fromPending, uint fCnt, byte[] eventEntry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(eventEntry);
        return ClaimAsync(settings.DevEui, settings.DevAddr, fromPending, fCnt, settings, eventEntry, cancellationToken);
    }

    public ValueTask CompleteUplinkEventAsync(Eui64 devEui, byte[] eventEntry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventEntry);

        // Fire and forget: on this connection it is ordered after the claim, and should it be lost, the sweep only
        // publishes the event once more (same deduplicationId).
        Db.ListRemove(_keys.UplinkEvents(devEui), eventEntry, 1, CommandFlags.FireAndForget);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<IReadOnlyList<(Eui64 DevEui, byte[] Entry)>> ReadUplinkEventsAsync(DateTimeOffset recordedBefore, int max, CancellationToken cancellationToken)
    {
        var found = new List<(Eui64, byte[])>();
        var db = Db;

        // Every primary (one for a standalone server); the keys exist only while a device has an event in flight.
        foreach (var server in _connection.GetServers())
        {
            if (server.IsReplica || !server.IsConnected)
            {
                continue;
            }

            await foreach (var key in server.KeysAsync(_database, _keys.UplinkEventsPattern, pageSize: 1000).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (!RedisKeys.TryParseUplinkEventsKey(key!, out var devEui))
                {
                    continue;
                }

                foreach (var value in await db.ListRangeAsync(key).ConfigureAwait(false))
                {
                    var entry = (byte[])value!;
                    if (!JournaledUplinkEvent.TryReadTime(entry, out var at) || at < recordedBefore)
                    {
                        found.Add((devEui, entry));
                        if (found.Count >= max)
                        {
                            return found;
                        }
                    }
                }
            }
        }

        return found;
    }

    private async ValueTask<UplinkClaim> ClaimAsync(Eui64 devEui, DevAddr devAddr, bool fromPending, uint fCnt, DeviceSession? settings, byte[]? eventEntry, CancellationToken cancellationToken)
    {
        // Not cancellable once sent: an accepted claim must be reported, or the frame would be lost (and its
        // replaced session left indexed).
        cancellationToken.ThrowIfCancellationRequested();
        var db = Db;
        var reply = (RedisResult[])(await db.ScriptEvaluateAsync(ClaimUplink, new
        {
            Active = _keys.ActiveSession(devEui),
            Pending = _keys.PendingSession(devEui),
            FromPending = fromPending ? 1 : 0,
            DevAddr = devAddr.ToString(),
            FCnt = (long)fCnt,
            Json = settings is null ? string.Empty : JsonSerializer.Serialize(settings, StoreJson.SessionStaticPart),
            SeparateAppFCntDown = settings is not null && settings.MacVersion.Is11() ? 1 : 0,
            Events = _keys.UplinkEvents(devEui),
            Event = eventEntry is null ? RedisValue.EmptyString : (RedisValue)eventEntry,
        }).ConfigureAwait(false))!;

        var outcome = (long)reply[0];
        if (outcome == ClaimAccepted && reply.Length > 1 && DevAddr.TryParse((string?)reply[1], null, out var replaced))
        {
            await UnindexAsync(db, devEui, replaced).ConfigureAwait(false);
        }

        return outcome switch
        {
            ClaimAccepted => UplinkClaim.Accepted,
            ClaimReplay => UplinkClaim.Replay,
            _ => UplinkClaim.SessionChanged,
        };
    }

    public async ValueTask<bool> TryAdvanceDownlinkCounterAsync(Eui64 devEui, bool applicationCounter, uint usedFCnt, CancellationToken cancellationToken)
    {
        var reply = await Db.ScriptEvaluateAsync(AdvanceDownlinkCounter, new
        {
            Active = _keys.ActiveSession(devEui),
            ApplicationCounter = applicationCounter ? 1 : 0,
            UsedFCnt = (long)usedFCnt,

            // Wraps like the 32-bit counter it is (and like the in-memory store).
            NextFCnt = (long)unchecked(usedFCnt + 1),
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)reply == 1;
    }

    public async ValueTask DeleteAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        // As for saves: once the sessions are gone, their index entries go too, whatever the token says.
        cancellationToken.ThrowIfCancellationRequested();
        var db = Db;
        var reply = (RedisResult[])(await db.ScriptEvaluateAsync(DeleteSessions, new
        {
            Active = _keys.ActiveSession(devEui),
            Pending = _keys.PendingSession(devEui),
        }).ConfigureAwait(false))!;

        foreach (var address in reply.Select(r => (string?)r).Where(a => a is not null).Distinct(StringComparer.Ordinal))
        {
            if (DevAddr.TryParse(address, null, out var devAddr))
            {
                await UnindexAsync(db, devEui, devAddr).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Removes the device from the index of an address its sessions no longer use. A concurrent write may have given
    /// the device that address again; such a writer stores its session before adding its index entry, so if its SADD
    /// came before our SREM, the re-read below sees its session and puts the entry back. (If its SADD comes later, the
    /// entry is there anyway.)
    /// </summary>
    private async ValueTask UnindexAsync(IDatabase db, Eui64 devEui, DevAddr devAddr)
    {
        var indexKey = _keys.DevAddrIndex(devAddr);
        var member = devEui.ToString();
        await db.SetRemoveAsync(indexKey, member).ConfigureAwait(false);

        var addresses = (RedisResult[])(await db.ScriptEvaluateAsync(SessionAddresses, new
        {
            Active = _keys.ActiveSession(devEui),
            Pending = _keys.PendingSession(devEui),
        }).ConfigureAwait(false))!;
        var text = devAddr.ToString();
        if (addresses.Any(a => string.Equals((string?)a, text, StringComparison.Ordinal)))
        {
            await db.SetAddAsync(indexKey, member).ConfigureAwait(false);
        }
    }

    private static DeviceSession? SessionFromFields(HashEntry[] entries, bool pending)
    {
        if (entries.Length == 0)
        {
            return null;
        }

        var fields = new Dictionary<string, RedisValue>(entries.Length, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            fields[entry.Name!] = entry.Value;
        }

        return SessionFromFields(fields, pending);
    }

    // HGETALL inside a script replies with a flat name, value, name, value… array.
    private static DeviceSession? SessionFromFields(RedisResult[] flat, bool pending)
    {
        if (flat.Length == 0)
        {
            return null;
        }

        var fields = new Dictionary<string, RedisValue>(flat.Length / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            fields[(string)flat[i]!] = (RedisValue)flat[i + 1];
        }

        return SessionFromFields(fields, pending);
    }

    private static DeviceSession? SessionFromFields(Dictionary<string, RedisValue> fields, bool pending)
    {
        if (!fields.TryGetValue(SessionField.Json, out var json) || json.IsNullOrEmpty)
        {
            return null;
        }

        var staticPart = JsonSerializer.Deserialize((string)json!, StoreJson.SessionStaticPart)
            ?? throw new InvalidDataException("A stored session is the JSON literal null.");
        return staticPart with
        {
            FCntUp = fields.TryGetValue(SessionField.FCntUp, out var fCntUp) && !fCntUp.IsNullOrEmpty ? ParseCounter(fCntUp) : null,
            NFCntDown = fields.TryGetValue(SessionField.NFCntDown, out var nFCntDown) ? ParseCounter(nFCntDown) : 0,
            AFCntDown = fields.TryGetValue(SessionField.AFCntDown, out var aFCntDown) ? ParseCounter(aFCntDown) : 0,
            Pending = pending,
        };
    }

    private static uint ParseCounter(RedisValue value) =>
        uint.TryParse((string?)value, NumberStyles.None, CultureInfo.InvariantCulture, out var counter)
            ? counter
            : throw new InvalidDataException("A stored session counter is not a 32-bit unsigned number.");

    // Joins

    public async ValueTask<bool> TryUseDevNonceAsync(Eui64 devEui, ushort devNonce, bool mustIncrease, CancellationToken cancellationToken)
    {
        var reply = await Db.ScriptEvaluateAsync(UseDevNonce, new
        {
            JoinState = _keys.JoinState(devEui),
            UsedDevNonces = _keys.UsedDevNonces(devEui),
            DevNonce = (int)devNonce,
            MustIncrease = mustIncrease ? 1 : 0,
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)reply == 1;
    }

    public async ValueTask<uint> NextJoinNonceAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        var reply = await Db.ScriptEvaluateAsync(NextJoinNonce, new { JoinState = _keys.JoinState(devEui) })
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return (uint)(long)reply;
    }

    // Deduplication

    public async ValueTask<bool> AddReceptionAsync(string key, ReadOnlyMemory<byte> reception, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var db = Db;
        var receptions = _keys.Deduplication(key);

        // The push decides the collector (the call that creates the list); the expiry follows in the same write on the
        // same connection, so it runs right after the push. NX: only the first expiry counts, later receptions do not
        // extend the window. Two plain commands cost Redis a fraction of one Lua script, and this runs per reception.
        var push = db.ListRightPushAsync(receptions, reception);
        _ = db.KeyExpireAsync(receptions, TimeSpan.FromMilliseconds(ToPositiveMilliseconds(lifetime)), ExpireWhen.HasNoExpiry, CommandFlags.FireAndForget);
        return await push.WaitAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<IReadOnlyList<byte[]>> GetReceptionsAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var values = await Db.ListRangeAsync(_keys.Deduplication(key)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return Array.ConvertAll(values, v => (byte[])v!);
    }

    // PEXPIRE and SET PX need a positive time; a zero or negative lifetime expires (almost) at once, as in memory.
    private static long ToPositiveMilliseconds(TimeSpan lifetime) => Math.Max(1, (long)Math.Ceiling(lifetime.TotalMilliseconds));

    // Downlink queue

    public async ValueTask EnqueueAsync(QueuedDownlink item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        await Db.ScriptEvaluateAsync(Enqueue, new
        {
            Queue = _keys.DownlinkQueue(item.DevEui),
            Items = _keys.DownlinkQueueItems(item.DevEui),
            ItemId = QueueItemId(item.Id),
            Json = JsonSerializer.Serialize(item, StoreJson.QueuedDownlink),
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<QueuedDownlink?> PeekAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        var reply = await Db.ScriptEvaluateAsync(Peek, new
        {
            Queue = _keys.DownlinkQueue(devEui),
            Items = _keys.DownlinkQueueItems(devEui),
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        return reply.IsNull ? null : JsonSerializer.Deserialize((string)reply!, StoreJson.QueuedDownlink);
    }

    public async ValueTask<IReadOnlyList<QueuedDownlink>> ListAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        var reply = await Db.ScriptEvaluateAsync(List, new
        {
            Queue = _keys.DownlinkQueue(devEui),
            Items = _keys.DownlinkQueueItems(devEui),
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        var items = (RedisResult[])reply!;
        var result = new List<QueuedDownlink>(items.Length);
        foreach (var json in items)
        {
            if (JsonSerializer.Deserialize((string)json!, StoreJson.QueuedDownlink) is { } item)
            {
                result.Add(item);
            }
        }

        return result;
    }

    public async ValueTask<bool> RemoveAsync(Eui64 devEui, Guid itemId, CancellationToken cancellationToken)
    {
        var reply = await Db.ScriptEvaluateAsync(Remove, new
        {
            Queue = _keys.DownlinkQueue(devEui),
            Items = _keys.DownlinkQueueItems(devEui),
            ItemId = QueueItemId(itemId),
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)reply > 0;
    }

    public async ValueTask ClearAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        // One DEL of both keys (same slot): the list and the hash disappear together.
        await Db.KeyDeleteAsync([_keys.DownlinkQueue(devEui), _keys.DownlinkQueueItems(devEui)]).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string QueueItemId(Guid id) => id.ToString("N", CultureInfo.InvariantCulture);

    public async ValueTask SaveInFlightAsync(InFlightDownlink downlink, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(downlink);
        await Db.StringSetAsync(
                _keys.InFlightDownlink(downlink.DownlinkId),
                JsonSerializer.Serialize(downlink, StoreJson.InFlightDownlink),
                TimeSpan.FromMilliseconds(ToPositiveMilliseconds(lifetime)))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<InFlightDownlink?> TakeInFlightAsync(uint downlinkId, CancellationToken cancellationToken)
    {
        // GETDEL: of several TxAcks (or instances) racing for one downlink, exactly one gets the record.
        var json = await Db.StringGetDeleteAsync(_keys.InFlightDownlink(downlinkId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return json.IsNull ? null : JsonSerializer.Deserialize((string)json!, StoreJson.InFlightDownlink);
    }

    // Registry

    public async ValueTask<Device?> GetDeviceAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        var json = await Db.StringGetAsync(_keys.Device(devEui)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return json.IsNull ? null : JsonSerializer.Deserialize((string)json!, StoreJson.Device);
    }

    public async ValueTask PutDeviceAsync(Device device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        await Db.StringSetAsync(_keys.Device(device.DevEui), JsonSerializer.Serialize(device, StoreJson.Device))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> DeleteDeviceAsync(Eui64 devEui, CancellationToken cancellationToken) =>
        await Db.KeyDeleteAsync(_keys.Device(devEui)).WaitAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask<DeviceProfile?> GetProfileAsync(string profileId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profileId);
        var json = await Db.StringGetAsync(_keys.Profile(profileId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return json.IsNull ? null : JsonSerializer.Deserialize((string)json!, StoreJson.Profile);
    }

    public async ValueTask PutProfileAsync(DeviceProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        await Db.StringSetAsync(_keys.Profile(profile.Id), JsonSerializer.Serialize(profile, StoreJson.Profile))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<Gateway?> GetGatewayAsync(Eui64 gatewayId, CancellationToken cancellationToken)
    {
        var json = await Db.StringGetAsync(_keys.Gateway(gatewayId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return json.IsNull ? null : JsonSerializer.Deserialize((string)json!, StoreJson.Gateway);
    }

    public async ValueTask PutGatewayAsync(Gateway gateway, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        await Db.StringSetAsync(_keys.Gateway(gateway.GatewayId), JsonSerializer.Serialize(gateway, StoreJson.Gateway))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> DeleteGatewayAsync(Eui64 gatewayId, CancellationToken cancellationToken) =>
        await Db.KeyDeleteAsync(_keys.Gateway(gatewayId)).WaitAsync(cancellationToken).ConfigureAwait(false);
}
