using System.Globalization;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Storage.Management;

/// <summary>
/// The zero-configuration directory: everything in this process, lost on restart. One lock guards all of it:
/// management calls are rare next to the packet path, and one lock keeps the claims and indexes consistent.
/// </summary>
public sealed class InMemoryTenantDirectory : ITenantDirectory
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, Tenant> _tenants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Application> _applications = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _applicationsByTenant = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ApiKeyRecord> _apiKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _apiKeysByTenant = new(StringComparer.Ordinal);
    private readonly Dictionary<Eui64, DeviceOwner> _deviceOwners = [];
    private readonly Dictionary<(string TenantId, string ApplicationId), SortedSet<string>> _devicesByApplication = [];
    private readonly Dictionary<Eui64, string> _gatewayOwners = [];
    private readonly Dictionary<string, SortedSet<string>> _gatewaysByTenant = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _profileOwners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _profilesByTenant = new(StringComparer.Ordinal);

    // Tenants

    public ValueTask<bool> CreateTenantAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        lock (_lock)
        {
            return ValueTask.FromResult(_tenants.TryAdd(tenant.Id, tenant));
        }
    }

    public ValueTask<Tenant?> GetTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_tenants.GetValueOrDefault(tenantId));
        }
    }

    public ValueTask<bool> UpdateTenantAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        lock (_lock)
        {
            if (!_tenants.ContainsKey(tenant.Id))
            {
                return ValueTask.FromResult(false);
            }

            _tenants[tenant.Id] = tenant;
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<bool> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_tenants.Remove(tenantId))
            {
                return ValueTask.FromResult(false);
            }

            if (_apiKeysByTenant.Remove(tenantId, out var keys))
            {
                foreach (var keyId in keys)
                {
                    _apiKeys.Remove(keyId);
                }
            }

            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<DirectoryPage<Tenant>> ListTenantsAsync(string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var keys = Page(_tenants.Keys, cursor, pageSize, out var next);
            return ValueTask.FromResult(new DirectoryPage<Tenant>([.. keys.Select(k => _tenants[k])], next));
        }
    }

    // Applications

    public ValueTask PutApplicationAsync(Application application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(application);
        lock (_lock)
        {
            _applications[application.Id] = application;
            IndexOf(_applicationsByTenant, application.TenantId).Add(application.Id);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<Application?> GetApplicationAsync(string tenantId, string applicationId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_applications.TryGetValue(applicationId, out var a) && a.TenantId == tenantId ? a : null);
        }
    }

    public ValueTask<bool> DeleteApplicationAsync(string tenantId, string applicationId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_applications.TryGetValue(applicationId, out var a) || a.TenantId != tenantId)
            {
                return ValueTask.FromResult(false);
            }

            _applications.Remove(applicationId);
            Unindex(_applicationsByTenant, tenantId, applicationId);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<DirectoryPage<Application>> ListApplicationsAsync(string tenantId, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var keys = Page(_applicationsByTenant.GetValueOrDefault(tenantId) ?? [], cursor, pageSize, out var next);
            return ValueTask.FromResult(new DirectoryPage<Application>([.. keys.Select(k => _applications[k])], next));
        }
    }

    // API keys

    public ValueTask CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            _apiKeys[key.Id] = key;
            IndexOf(_apiKeysByTenant, key.TenantId).Add(key.Id);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_apiKeys.GetValueOrDefault(keyId));
        }
    }

    public ValueTask<bool> DeleteApiKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_apiKeys.TryGetValue(keyId, out var k) || k.TenantId != tenantId)
            {
                return ValueTask.FromResult(false);
            }

            _apiKeys.Remove(keyId);
            Unindex(_apiKeysByTenant, tenantId, keyId);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<DirectoryPage<ApiKeyRecord>> ListApiKeysAsync(string tenantId, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var keys = Page(_apiKeysByTenant.GetValueOrDefault(tenantId) ?? [], cursor, pageSize, out var next);
            return ValueTask.FromResult(new DirectoryPage<ApiKeyRecord>([.. keys.Select(k => _apiKeys[k])], next));
        }
    }

    // Devices

    public ValueTask<bool> TryAddDeviceAsync(Eui64 devEui, DeviceOwner owner, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_deviceOwners.TryAdd(devEui, owner))
            {
                return ValueTask.FromResult(false);
            }

            var key = (owner.TenantId, owner.ApplicationId);
            if (!_devicesByApplication.TryGetValue(key, out var set))
            {
                set = new SortedSet<string>(StringComparer.Ordinal);
                _devicesByApplication[key] = set;
            }

            set.Add(devEui.ToString());
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<DeviceOwner?> GetDeviceOwnerAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<DeviceOwner?>(_deviceOwners.TryGetValue(devEui, out var o) ? o : null);
        }
    }

    public ValueTask<bool> RemoveDeviceAsync(Eui64 devEui, DeviceOwner owner, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_deviceOwners.TryGetValue(devEui, out var current) || current != owner)
            {
                return ValueTask.FromResult(false);
            }

            _deviceOwners.Remove(devEui);
            var key = (owner.TenantId, owner.ApplicationId);
            if (_devicesByApplication.TryGetValue(key, out var set))
            {
                set.Remove(devEui.ToString());
                if (set.Count == 0)
                {
                    _devicesByApplication.Remove(key);
                }
            }

            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<DirectoryPage<Eui64>> ListDevicesAsync(DeviceOwner application, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var set = _devicesByApplication.GetValueOrDefault((application.TenantId, application.ApplicationId)) ?? [];
            var keys = Page(set, cursor, pageSize, out var next);
            return ValueTask.FromResult(new DirectoryPage<Eui64>([.. keys.Select(ParseEui)], next));
        }
    }

    // Gateways

    public ValueTask<bool> TryAddGatewayAsync(Eui64 gatewayId, string tenantId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_gatewayOwners.TryAdd(gatewayId, tenantId))
            {
                return ValueTask.FromResult(false);
            }

            IndexOf(_gatewaysByTenant, tenantId).Add(gatewayId.ToString());
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<string?> GetGatewayOwnerAsync(Eui64 gatewayId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_gatewayOwners.GetValueOrDefault(gatewayId));
        }
    }

    public ValueTask<bool> RemoveGatewayAsync(Eui64 gatewayId, string tenantId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_gatewayOwners.TryGetValue(gatewayId, out var owner) || owner != tenantId)
            {
                return ValueTask.FromResult(false);
            }

            _gatewayOwners.Remove(gatewayId);
            Unindex(_gatewaysByTenant, tenantId, gatewayId.ToString());
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<DirectoryPage<Eui64>> ListGatewaysAsync(string tenantId, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var keys = Page(_gatewaysByTenant.GetValueOrDefault(tenantId) ?? [], cursor, pageSize, out var next);
            return ValueTask.FromResult(new DirectoryPage<Eui64>([.. keys.Select(ParseEui)], next));
        }
    }

    // Device profiles

    public ValueTask AddProfileAsync(string profileId, string tenantId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _profileOwners[profileId] = tenantId;
            IndexOf(_profilesByTenant, tenantId).Add(profileId);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> IsProfileOwnedByAsync(string profileId, string tenantId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_profileOwners.TryGetValue(profileId, out var owner) && owner == tenantId);
        }
    }

    public ValueTask<bool> RemoveProfileAsync(string profileId, string tenantId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_profileOwners.TryGetValue(profileId, out var owner) || owner != tenantId)
            {
                return ValueTask.FromResult(false);
            }

            _profileOwners.Remove(profileId);
            Unindex(_profilesByTenant, tenantId, profileId);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<DirectoryPage<string>> ListProfilesAsync(string tenantId, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var keys = Page(_profilesByTenant.GetValueOrDefault(tenantId) ?? [], cursor, pageSize, out var next);
            return ValueTask.FromResult(new DirectoryPage<string>(keys, next));
        }
    }

    private static Eui64 ParseEui(string key) => Eui64.Parse(key, CultureInfo.InvariantCulture);

    private static SortedSet<string> IndexOf(Dictionary<string, SortedSet<string>> index, string owner)
    {
        if (!index.TryGetValue(owner, out var set))
        {
            set = new SortedSet<string>(StringComparer.Ordinal);
            index[owner] = set;
        }

        return set;
    }

    private static void Unindex(Dictionary<string, SortedSet<string>> index, string owner, string key)
    {
        if (index.TryGetValue(owner, out var set))
        {
            set.Remove(key);
            if (set.Count == 0)
            {
                index.Remove(owner);
            }
        }
    }

    // Keys strictly after the cursor, in ordinal order; the next cursor only when another key follows the page.
    private static List<string> Page(IEnumerable<string> orderedKeys, string? cursor, int pageSize, out string? nextCursor)
    {
        var keys = orderedKeys;
        if (cursor is not null)
        {
            keys = orderedKeys is SortedSet<string> { Count: > 0 } set && string.CompareOrdinal(cursor, set.Max) < 0
                ? set.GetViewBetween(cursor, set.Max).Where(k => !string.Equals(k, cursor, StringComparison.Ordinal))
                : orderedKeys.Where(k => string.CompareOrdinal(k, cursor) > 0);
        }

        var page = keys.Take(pageSize + 1).ToList();
        nextCursor = null;
        if (page.Count > pageSize)
        {
            page.RemoveAt(pageSize);
            nextCursor = page[^1];
        }

        return page;
    }
}
