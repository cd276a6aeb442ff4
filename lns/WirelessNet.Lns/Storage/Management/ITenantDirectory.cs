using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Storage.Management;

/// <summary>
/// Tenants, applications, hashed API keys, and the ownership indexes of the objects kept in
/// <see cref="IDeviceRegistry"/> (devices per application, gateways, device profiles and applications per tenant).
/// </summary>
/// <remarks>
/// Listings are ordered by the ordinal order of the sort key (ids; EUIs as 16 lower-case hex digits) and paged with
/// a cursor: the sort key after which the page starts (exclusive), so items added or removed between calls never
/// make a walk return an item twice or skip one that existed throughout. Device and gateway EUIs are claimed
/// atomically, first come first served, because the registry has a single namespace of EUIs for all tenants.
/// </remarks>
public interface ITenantDirectory
{
    // Tenants

    /// <summary>Adds a tenant; false when the id exists.</summary>
    ValueTask<bool> CreateTenantAsync(Tenant tenant, CancellationToken cancellationToken);

    ValueTask<Tenant?> GetTenantAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Replaces an existing tenant's record; false when it does not exist.</summary>
    ValueTask<bool> UpdateTenantAsync(Tenant tenant, CancellationToken cancellationToken);

    /// <summary>Removes the tenant and its API keys. The caller checks first that it owns nothing else.</summary>
    ValueTask<bool> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken);

    ValueTask<DirectoryPage<Tenant>> ListTenantsAsync(string? cursor, int pageSize, CancellationToken cancellationToken);

    // Applications

    /// <summary>Creates or replaces an application and indexes it under its tenant.</summary>
    ValueTask PutApplicationAsync(Application application, CancellationToken cancellationToken);

    /// <summary>The application when it exists and belongs to <paramref name="tenantId"/>.</summary>
    ValueTask<Application?> GetApplicationAsync(string tenantId, string applicationId, CancellationToken cancellationToken);

    ValueTask<bool> DeleteApplicationAsync(string tenantId, string applicationId, CancellationToken cancellationToken);

    ValueTask<DirectoryPage<Application>> ListApplicationsAsync(string tenantId, string? cursor, int pageSize, CancellationToken cancellationToken);

    // API keys

    ValueTask CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    ValueTask<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken cancellationToken);

    ValueTask<bool> DeleteApiKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken);

    ValueTask<DirectoryPage<ApiKeyRecord>> ListApiKeysAsync(string tenantId, string? cursor, int pageSize, CancellationToken cancellationToken);

    // Devices

    /// <summary>Claims <paramref name="devEui"/> for an application; false when any tenant already owns it.</summary>
    ValueTask<bool> TryAddDeviceAsync(Eui64 devEui, DeviceOwner owner, CancellationToken cancellationToken);

    ValueTask<DeviceOwner?> GetDeviceOwnerAsync(Eui64 devEui, CancellationToken cancellationToken);

    /// <summary>Releases the claim and the index entry; false when <paramref name="owner"/> did not own it.</summary>
    ValueTask<bool> RemoveDeviceAsync(Eui64 devEui, DeviceOwner owner, CancellationToken cancellationToken);

    ValueTask<DirectoryPage<Eui64>> ListDevicesAsync(DeviceOwner application, string? cursor, int pageSize, CancellationToken cancellationToken);

    // Gateways

    /// <summary>Claims <paramref name="gatewayId"/> for a tenant; false when any tenant already owns it.</summary>
    ValueTask<bool> TryAddGatewayAsync(Eui64 gatewayId, string tenantId, CancellationToken cancellationToken);

    ValueTask<string?> GetGatewayOwnerAsync(Eui64 gatewayId, CancellationToken cancellationToken);

    ValueTask<bool> RemoveGatewayAsync(Eui64 gatewayId, string tenantId, CancellationToken cancellationToken);

    ValueTask<DirectoryPage<Eui64>> ListGatewaysAsync(string tenantId, string? cursor, int pageSize, CancellationToken cancellationToken);

    // Device profiles

    ValueTask AddProfileAsync(string profileId, string tenantId, CancellationToken cancellationToken);

    ValueTask<bool> IsProfileOwnedByAsync(string profileId, string tenantId, CancellationToken cancellationToken);

    ValueTask<bool> RemoveProfileAsync(string profileId, string tenantId, CancellationToken cancellationToken);

    ValueTask<DirectoryPage<string>> ListProfilesAsync(string tenantId, string? cursor, int pageSize, CancellationToken cancellationToken);
}
