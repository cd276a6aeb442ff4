using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Storage;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Pipeline;

/// <summary>
/// Read-through copies of provisioning (gateways, devices, device profiles) for the uplink path, which would
/// otherwise read the same few objects from the store for every frame. Entries live for
/// <see cref="NetworkServerOptions.ProvisioningCacheLifetime"/>; the management API of this instance drops an entry
/// when it changes the object, and another instance's change is seen at the latest when the entry expires.
/// Misses are cached too, so a flood from an unknown gateway costs one read per lifetime, not one per packet.
/// </summary>
public sealed class ProvisioningCache(IDeviceRegistry registry, IOptions<NetworkServerOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<Eui64, Entry<Gateway>> _gateways = new();
    private readonly ConcurrentDictionary<Eui64, Entry<Device>> _devices = new();
    private readonly ConcurrentDictionary<string, Entry<DeviceProfile>> _profiles = new(StringComparer.Ordinal);

    public ValueTask<Gateway?> GetGatewayAsync(Eui64 gatewayId, CancellationToken cancellationToken) =>
        GetAsync(_gateways, gatewayId, registry.GetGatewayAsync, cancellationToken);

    public ValueTask<Device?> GetDeviceAsync(Eui64 devEui, CancellationToken cancellationToken) =>
        GetAsync(_devices, devEui, registry.GetDeviceAsync, cancellationToken);

    public ValueTask<DeviceProfile?> GetProfileAsync(string profileId, CancellationToken cancellationToken) =>
        GetAsync(_profiles, profileId, registry.GetProfileAsync, cancellationToken);

    public void InvalidateGateway(Eui64 gatewayId) => _gateways.TryRemove(gatewayId, out _);

    public void InvalidateDevice(Eui64 devEui) => _devices.TryRemove(devEui, out _);

    public void InvalidateProfile(string profileId) => _profiles.TryRemove(profileId, out _);

    private ValueTask<T?> GetAsync<TKey, T>(
        ConcurrentDictionary<TKey, Entry<T>> entries,
        TKey key,
        Func<TKey, CancellationToken, ValueTask<T?>> read,
        CancellationToken cancellationToken)
        where TKey : notnull
        where T : class
    {
        var lifetime = options.Value.ProvisioningCacheLifetime;
        var now = time.GetTimestamp();
        if (lifetime > TimeSpan.Zero && entries.TryGetValue(key, out var cached) && now < cached.ExpiresAt)
        {
            return ValueTask.FromResult(cached.Value);
        }

        return ReadAsync(entries, key, read, lifetime, now, cancellationToken);
    }

    private async ValueTask<T?> ReadAsync<TKey, T>(
        ConcurrentDictionary<TKey, Entry<T>> entries,
        TKey key,
        Func<TKey, CancellationToken, ValueTask<T?>> read,
        TimeSpan lifetime,
        long now,
        CancellationToken cancellationToken)
        where TKey : notnull
        where T : class
    {
        var value = await read(key, cancellationToken).ConfigureAwait(false);
        if (lifetime > TimeSpan.Zero)
        {
            entries[key] = new Entry<T>(value, now + (long)(lifetime.TotalSeconds * time.TimestampFrequency));
        }

        return value;
    }

    private readonly record struct Entry<T>(T? Value, long ExpiresAt);
}
