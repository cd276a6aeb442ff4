using System.Collections.Concurrent;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Uplinks;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Storage;

/// <summary>
/// The zero-configuration store: everything in this process, lost on restart. Semantics match the Redis store
/// (atomic counters, collector election, expiry) so the pipeline behaves the same on both.
/// </summary>
public sealed class InMemoryStore : ISessionStore, IJoinStore, IDeduplicationStore, IDownlinkQueueStore, IDeviceRegistry
{
    private readonly TimeProvider _time;
    private readonly Lock _sessionsLock = new();
    private readonly Dictionary<Eui64, DeviceSession> _active = [];
    private readonly Dictionary<Eui64, DeviceSession> _pending = [];
    private readonly Dictionary<DevAddr, HashSet<Eui64>> _devAddrIndex = [];
    private readonly Dictionary<Eui64, List<byte[]>> _uplinkEvents = [];
    private readonly ConcurrentDictionary<Eui64, JoinState> _joins = new();
    private readonly ConcurrentDictionary<string, DedupSet> _dedup = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Eui64, List<QueuedDownlink>> _queues = new();
    private readonly ConcurrentDictionary<uint, (InFlightDownlink Downlink, DateTimeOffset Expires)> _inFlight = new();
    private readonly ConcurrentDictionary<Eui64, Device> _devices = new();
    private readonly ConcurrentDictionary<string, DeviceProfile> _profiles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Eui64, Gateway> _gateways = new();

    public InMemoryStore(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    // Sessions

    public ValueTask<IReadOnlyList<DeviceSession>> GetCandidatesAsync(DevAddr devAddr, int maxCandidates, CancellationToken cancellationToken)
    {
        lock (_sessionsLock)
        {
            var result = new List<DeviceSession>();
            if (_devAddrIndex.TryGetValue(devAddr, out var devEuis))
            {
                foreach (var devEui in devEuis)
                {
                    if (result.Count >= maxCandidates)
                    {
                        break;
                    }

                    if (_pending.TryGetValue(devEui, out var p) && p.DevAddr == devAddr)
                    {
                        result.Add(p);
                    }

                    if (result.Count < maxCandidates && _active.TryGetValue(devEui, out var a) && a.DevAddr == devAddr)
                    {
                        result.Add(a);
                    }
                }
            }

            return ValueTask.FromResult<IReadOnlyList<DeviceSession>>(result);
        }
    }

    public ValueTask<DeviceSession?> GetActiveSessionAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        lock (_sessionsLock)
        {
            return ValueTask.FromResult(_active.GetValueOrDefault(devEui));
        }
    }

    public ValueTask<DeviceSession?> GetPendingSessionAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        lock (_sessionsLock)
        {
            return ValueTask.FromResult(_pending.GetValueOrDefault(devEui));
        }
    }

    public ValueTask SavePendingSessionAsync(DeviceSession session, CancellationToken cancellationToken)
    {
        lock (_sessionsLock)
        {
            if (_pending.TryGetValue(session.DevEui, out var old))
            {
                Unindex(old);
            }

            _pending[session.DevEui] = session with { Pending = true };
            Index(session);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask SaveActiveSessionAsync(DeviceSession session, CancellationToken cancellationToken)
    {
        lock (_sessionsLock)
        {
            if (_active.TryGetValue(session.DevEui, out var old))
            {
                Unindex(old);
            }

            _active[session.DevEui] = session with { Pending = false };
            Index(session);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateActiveSessionSettingsAsync(DeviceSession session, CancellationToken cancellationToken)
    {
        lock (_sessionsLock)
        {
            if (_active.TryGetValue(session.DevEui, out var current) && current.DevAddr == session.DevAddr)
            {
                _active[session.DevEui] = session with
                {
                    Pending = false,
                    FCntUp = current.FCntUp,
                    NFCntDown = current.NFCntDown,
                    AFCntDown = current.AFCntDown,
                };
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<UplinkClaim> TryClaimUplinkAsync(Eui64 devEui, DevAddr devAddr, bool fromPending, uint fCnt, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Claim(devEui, devAddr, fromPending, fCnt, settings: null));

    public ValueTask<UplinkClaim> TryClaimUplinkAsync(DeviceSession settings, bool fromPending, uint fCnt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ValueTask.FromResult(Claim(settings.DevEui, settings.DevAddr, fromPending, fCnt, settings));
    }

    public ValueTask<UplinkClaim> TryClaimUplinkAsync(DeviceSession settings, bool fromPending, uint fCnt, byte[] eventEntry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(eventEntry);
        var claim = Claim(settings.DevEui, settings.DevAddr, fromPending, fCnt, settings);
        if (claim == UplinkClaim.Accepted && eventEntry.Length > 0)
        {
            lock (_sessionsLock)
            {
                if (!_uplinkEvents.TryGetValue(settings.DevEui, out var entries))
                {
                    _uplinkEvents[settings.DevEui] = entries = [];
                }

                entries.Add(eventEntry);
            }
        }

        return ValueTask.FromResult(claim);
    }

    public ValueTask CompleteUplinkEventAsync(Eui64 devEui, byte[] eventEntry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventEntry);
        lock (_sessionsLock)
        {
            if (_uplinkEvents.TryGetValue(devEui, out var entries))
            {
                var index = entries.FindIndex(e => e.AsSpan().SequenceEqual(eventEntry));
                if (index >= 0)
                {
                    entries.RemoveAt(index);
                }

                if (entries.Count == 0)
                {
                    _uplinkEvents.Remove(devEui);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<(Eui64 DevEui, byte[] Entry)>> ReadUplinkEventsAsync(DateTimeOffset recordedBefore, int max, CancellationToken cancellationToken)
    {
        var found = new List<(Eui64, byte[])>();
        lock (_sessionsLock)
        {
            foreach (var (devEui, entries) in _uplinkEvents)
            {
                foreach (var entry in entries)
                {
                    if (found.Count < max && (!JournaledUplinkEvent.TryReadTime(entry, out var at) || at < recordedBefore))
                    {
                        found.Add((devEui, entry));
                    }
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<(Eui64, byte[])>>(found);
    }

    private UplinkClaim Claim(Eui64 devEui, DevAddr devAddr, bool fromPending, uint fCnt, DeviceSession? settings)
    {
        lock (_sessionsLock)
        {
            if (fromPending)
            {
                if (!_pending.TryGetValue(devEui, out var pending) || pending.DevAddr != devAddr)
                {
                    return UplinkClaim.SessionChanged;
                }

                if (_active.TryGetValue(devEui, out var previous))
                {
                    Unindex(previous);
                }

                _pending.Remove(devEui);
                _active[devEui] = WithSettings(pending, settings) with { Pending = false, FCntUp = fCnt };
                Index(pending);
                return UplinkClaim.Accepted;
            }

            if (!_active.TryGetValue(devEui, out var active) || active.DevAddr != devAddr)
            {
                return UplinkClaim.SessionChanged;
            }

            if (active.FCntUp is { } last && fCnt <= last)
            {
                return UplinkClaim.Replay;
            }

            _active[devEui] = WithSettings(active, settings) with { FCntUp = fCnt };
            return UplinkClaim.Accepted;
        }
    }

    // The stored counters stay; everything else comes from the settings (as UpdateActiveSessionSettingsAsync does).
    private static DeviceSession WithSettings(DeviceSession stored, DeviceSession? settings) =>
        settings is null ? stored : settings with { NFCntDown = stored.NFCntDown, AFCntDown = stored.AFCntDown };

    public ValueTask<bool> TryAdvanceDownlinkCounterAsync(Eui64 devEui, bool applicationCounter, uint usedFCnt, CancellationToken cancellationToken)
    {
        lock (_sessionsLock)
        {
            if (!_active.TryGetValue(devEui, out var session))
            {
                return ValueTask.FromResult(false);
            }

            if (applicationCounter && session.MacVersion.Is11())
            {
                if (session.AFCntDown != usedFCnt)
                {
                    return ValueTask.FromResult(false);
                }

                _active[devEui] = session with { AFCntDown = usedFCnt + 1 };
                return ValueTask.FromResult(true);
            }

            if (session.NFCntDown != usedFCnt)
            {
                return ValueTask.FromResult(false);
            }

            _active[devEui] = session with { NFCntDown = usedFCnt + 1 };
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask DeleteAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        lock (_sessionsLock)
        {
            if (_active.Remove(devEui, out var a))
            {
                Unindex(a);
            }

            if (_pending.Remove(devEui, out var p))
            {
                Unindex(p);
            }
        }

        return ValueTask.CompletedTask;
    }

    private void Index(DeviceSession session)
    {
        if (!_devAddrIndex.TryGetValue(session.DevAddr, out var set))
        {
            set = [];
            _devAddrIndex[session.DevAddr] = set;
        }

        set.Add(session.DevEui);
    }

    // Removes the index entry only when neither of the device's sessions still uses the address.
    private void Unindex(DeviceSession session)
    {
        var stillUsed = (_active.TryGetValue(session.DevEui, out var a) && !ReferenceEquals(a, session) && a.DevAddr == session.DevAddr)
            || (_pending.TryGetValue(session.DevEui, out var p) && !ReferenceEquals(p, session) && p.DevAddr == session.DevAddr);
        if (!stillUsed && _devAddrIndex.TryGetValue(session.DevAddr, out var set))
        {
            set.Remove(session.DevEui);
            if (set.Count == 0)
            {
                _devAddrIndex.Remove(session.DevAddr);
            }
        }
    }

    // Joins

    public ValueTask<bool> TryUseDevNonceAsync(Eui64 devEui, ushort devNonce, bool mustIncrease, CancellationToken cancellationToken)
    {
        var state = _joins.GetOrAdd(devEui, _ => new JoinState());
        lock (state)
        {
            if (mustIncrease)
            {
                if (state.LastDevNonce is { } last && devNonce <= last)
                {
                    return ValueTask.FromResult(false);
                }
            }
            else if (state.UsedDevNonces.Contains(devNonce))
            {
                return ValueTask.FromResult(false);
            }

            state.LastDevNonce = state.LastDevNonce is { } l ? Math.Max(l, devNonce) : devNonce;
            state.UsedDevNonces.Add(devNonce);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<uint> NextJoinNonceAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        var state = _joins.GetOrAdd(devEui, _ => new JoinState());
        lock (state)
        {
            state.JoinNonce = (state.JoinNonce + 1) & 0xFF_FFFF;
            return ValueTask.FromResult(state.JoinNonce);
        }
    }

    // Deduplication

    public ValueTask<bool> AddReceptionAsync(string key, ReadOnlyMemory<byte> reception, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var created = false;
        var set = _dedup.AddOrUpdate(
            key,
            _ =>
            {
                created = true;
                return new DedupSet(now + lifetime);
            },
            (_, existing) =>
            {
                if (existing.Expires > now)
                {
                    return existing;
                }

                created = true;
                return new DedupSet(now + lifetime);
            });
        lock (set)
        {
            set.Receptions.Add(reception.ToArray());
        }

        if (created)
        {
            SweepExpiredDeduplicationSets(now);
        }

        return ValueTask.FromResult(created);
    }

    public ValueTask<IReadOnlyList<byte[]>> GetReceptionsAsync(string key, CancellationToken cancellationToken)
    {
        if (!_dedup.TryGetValue(key, out var set))
        {
            return ValueTask.FromResult<IReadOnlyList<byte[]>>([]);
        }

        lock (set)
        {
            return ValueTask.FromResult<IReadOnlyList<byte[]>>([.. set.Receptions]);
        }
    }

    private long _lastSweepTicks;

    // Amortised expiry: at most once a second, on the path that creates sets.
    private void SweepExpiredDeduplicationSets(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last < TimeSpan.TicksPerSecond || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        foreach (var (key, set) in _dedup)
        {
            if (set.Expires <= now)
            {
                _dedup.TryRemove(key, out _);
            }
        }
    }

    // Downlink queue

    public ValueTask EnqueueAsync(QueuedDownlink item, CancellationToken cancellationToken)
    {
        var queue = _queues.GetOrAdd(item.DevEui, _ => []);
        lock (queue)
        {
            queue.Add(item);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<QueuedDownlink?> PeekAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        if (!_queues.TryGetValue(devEui, out var queue))
        {
            return ValueTask.FromResult<QueuedDownlink?>(null);
        }

        lock (queue)
        {
            return ValueTask.FromResult(queue.Count > 0 ? queue[0] : null);
        }
    }

    public ValueTask<IReadOnlyList<QueuedDownlink>> ListAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        if (!_queues.TryGetValue(devEui, out var queue))
        {
            return ValueTask.FromResult<IReadOnlyList<QueuedDownlink>>([]);
        }

        lock (queue)
        {
            return ValueTask.FromResult<IReadOnlyList<QueuedDownlink>>([.. queue]);
        }
    }

    public ValueTask<bool> RemoveAsync(Eui64 devEui, Guid itemId, CancellationToken cancellationToken)
    {
        if (!_queues.TryGetValue(devEui, out var queue))
        {
            return ValueTask.FromResult(false);
        }

        lock (queue)
        {
            return ValueTask.FromResult(queue.RemoveAll(i => i.Id == itemId) > 0);
        }
    }

    public ValueTask ClearAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        if (_queues.TryGetValue(devEui, out var queue))
        {
            lock (queue)
            {
                queue.Clear();
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask SaveInFlightAsync(InFlightDownlink downlink, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        _inFlight[downlink.DownlinkId] = (downlink, now + lifetime);
        foreach (var (id, entry) in _inFlight)
        {
            if (entry.Expires <= now)
            {
                _inFlight.TryRemove(id, out _);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<InFlightDownlink?> TakeInFlightAsync(uint downlinkId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_inFlight.TryRemove(downlinkId, out var entry) && entry.Expires > _time.GetUtcNow() ? entry.Downlink : null);

    // Registry

    public ValueTask<Device?> GetDeviceAsync(Eui64 devEui, CancellationToken cancellationToken) => ValueTask.FromResult(_devices.GetValueOrDefault(devEui));

    public ValueTask PutDeviceAsync(Device device, CancellationToken cancellationToken)
    {
        _devices[device.DevEui] = device;
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteDeviceAsync(Eui64 devEui, CancellationToken cancellationToken) => ValueTask.FromResult(_devices.TryRemove(devEui, out _));

    public ValueTask<DeviceProfile?> GetProfileAsync(string profileId, CancellationToken cancellationToken) => ValueTask.FromResult(_profiles.GetValueOrDefault(profileId));

    public ValueTask PutProfileAsync(DeviceProfile profile, CancellationToken cancellationToken)
    {
        _profiles[profile.Id] = profile;
        return ValueTask.CompletedTask;
    }

    public ValueTask<Gateway?> GetGatewayAsync(Eui64 gatewayId, CancellationToken cancellationToken) => ValueTask.FromResult(_gateways.GetValueOrDefault(gatewayId));

    public ValueTask PutGatewayAsync(Gateway gateway, CancellationToken cancellationToken)
    {
        _gateways[gateway.GatewayId] = gateway;
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteGatewayAsync(Eui64 gatewayId, CancellationToken cancellationToken) => ValueTask.FromResult(_gateways.TryRemove(gatewayId, out _));

    private sealed class JoinState
    {
        public ushort? LastDevNonce { get; set; }

        public HashSet<ushort> UsedDevNonces { get; } = [];

        public uint JoinNonce { get; set; }
    }

    private sealed class DedupSet(DateTimeOffset expires)
    {
        public DateTimeOffset Expires { get; } = expires;

        public List<byte[]> Receptions { get; } = [];
    }
}
