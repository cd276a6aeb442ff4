using System.Text.Json;
using System.Text.Json.Serialization;
using StackExchange.Redis;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Storage.Management;

/// <summary>
/// <see cref="ITenantDirectory"/> in Redis. Everything of one tenant shares the hash tag <c>{tenant:&lt;id&gt;}</c>, so
/// a tenant's writes that touch several keys run as one MULTI on one cluster node. Lookups that cannot know the
/// tenant (an API key by id, the owner of an EUI) have keys of their own: <c>{apikey:&lt;id&gt;}</c> and the device's
/// <c>{dev:&lt;eui&gt;}</c> slot (next to its sessions), <c>{gw:&lt;eui&gt;}</c> for gateways.
/// </summary>
/// <remarks>
/// Indexes are sorted sets with every score 0, so ZRANGEBYLEX pages them in ordinal order with an exclusive cursor.
/// EUI claims are SET NX: the first writer wins, the same rule as the in-memory directory. Writes spanning two slots
/// (claim + index) are two commands; the claim is written first and removed last, so a failure between them leaves
/// at worst a claimed EUI missing from a listing, never a listed EUI without an owner.
/// </remarks>
public sealed class RedisTenantDirectory : ITenantDirectory
{
    private const string OwnerSeparator = "\n";

    // Compare-and-delete in one step on the server (works on every Redis version, unlike DELEX).
    private const string DeleteIfEqualScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private readonly IDatabase _db;
    private readonly string _prefix;

    public RedisTenantDirectory(IConnectionMultiplexer connection, string prefix = "wn", int database = -1)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (prefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            throw new ArgumentException("The key prefix must not contain '{' or '}'.", nameof(prefix));
        }

        _db = connection.GetDatabase(database);
        _prefix = prefix;
    }

    // Tenants

    public async ValueTask<bool> CreateTenantAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (!await _db.StringSetAsync(TenantKey(tenant.Id, "tenant"), Serialize(tenant, DirectoryJson.Default.Tenant), when: When.NotExists).ConfigureAwait(false))
        {
            return false;
        }

        await _db.SortedSetAddAsync(TenantsKey, tenant.Id, 0).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<Tenant?> GetTenantAsync(string tenantId, CancellationToken cancellationToken) =>
        Deserialize(await _db.StringGetAsync(TenantKey(tenantId, "tenant")).ConfigureAwait(false), DirectoryJson.Default.Tenant);

    public async ValueTask<bool> UpdateTenantAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return await _db.StringSetAsync(TenantKey(tenant.Id, "tenant"), Serialize(tenant, DirectoryJson.Default.Tenant), when: When.Exists).ConfigureAwait(false);
    }

    public async ValueTask<bool> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        // The record first: keys of a tenant without a record are refused, so the tenant is gone from here on.
        if (!await _db.KeyDeleteAsync(TenantKey(tenantId, "tenant")).ConfigureAwait(false))
        {
            return false;
        }

        await _db.SortedSetRemoveAsync(TenantsKey, tenantId).ConfigureAwait(false);
        var keyIds = await _db.SortedSetRangeByRankAsync(TenantKey(tenantId, "apikeys")).ConfigureAwait(false);
        foreach (var keyId in keyIds)
        {
            await _db.KeyDeleteAsync(ApiKeyKey(keyId.ToString())).ConfigureAwait(false);
        }

        await _db.KeyDeleteAsync(TenantKey(tenantId, "apikeys")).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<DirectoryPage<Tenant>> ListTenantsAsync(string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var (ids, next) = await PageAsync(TenantsKey, cursor, pageSize).ConfigureAwait(false);
        var values = ids.Length == 0 ? [] : await _db.StringGetAsync([.. ids.Select(id => TenantKey(id, "tenant"))]).ConfigureAwait(false);
        return new DirectoryPage<Tenant>([.. values.Select(v => Deserialize(v, DirectoryJson.Default.Tenant)).OfType<Tenant>()], next);
    }

    // Applications

    public async ValueTask PutApplicationAsync(Application application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(application);
        var tx = _db.CreateTransaction();
        _ = tx.StringSetAsync(TenantKey(application.TenantId, "app:" + Checked(application.Id)), Serialize(application, DirectoryJson.Default.Application));
        _ = tx.SortedSetAddAsync(TenantKey(application.TenantId, "apps"), application.Id, 0);
        await tx.ExecuteAsync().ConfigureAwait(false);
    }

    public async ValueTask<Application?> GetApplicationAsync(string tenantId, string applicationId, CancellationToken cancellationToken)
    {
        var application = Deserialize(await _db.StringGetAsync(TenantKey(tenantId, "app:" + Checked(applicationId))).ConfigureAwait(false), DirectoryJson.Default.Application);
        return application?.TenantId == tenantId ? application : null;
    }

    public async ValueTask<bool> DeleteApplicationAsync(string tenantId, string applicationId, CancellationToken cancellationToken)
    {
        var tx = _db.CreateTransaction();
        var deleted = tx.KeyDeleteAsync(TenantKey(tenantId, "app:" + Checked(applicationId)));
        _ = tx.SortedSetRemoveAsync(TenantKey(tenantId, "apps"), applicationId);
        await tx.ExecuteAsync().ConfigureAwait(false);
        return await deleted.ConfigureAwait(false);
    }

    public async ValueTask<DirectoryPage<Application>> ListApplicationsAsync(string tenantId, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var (ids, next) = await PageAsync(TenantKey(tenantId, "apps"), cursor, pageSize).ConfigureAwait(false);
        var values = ids.Length == 0 ? [] : await _db.StringGetAsync([.. ids.Select(id => TenantKey(tenantId, "app:" + Checked(id)))]).ConfigureAwait(false);
        return new DirectoryPage<Application>([.. values.Select(v => Deserialize(v, DirectoryJson.Default.Application)).OfType<Application>()], next);
    }

    // API keys: the record under its own slot (found by id alone), the id indexed under the tenant.

    public async ValueTask CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await _db.StringSetAsync(ApiKeyKey(key.Id), Serialize(key, DirectoryJson.Default.ApiKeyRecord)).ConfigureAwait(false);
        await _db.SortedSetAddAsync(TenantKey(key.TenantId, "apikeys"), key.Id, 0).ConfigureAwait(false);
    }

    public async ValueTask<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken cancellationToken) =>
        Deserialize(await _db.StringGetAsync(ApiKeyKey(keyId)).ConfigureAwait(false), DirectoryJson.Default.ApiKeyRecord);

    public async ValueTask<bool> DeleteApiKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken)
    {
        var key = await GetApiKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
        if (key is null || key.TenantId != tenantId)
        {
            return false;
        }

        // The record first: that alone revokes the key.
        var deleted = await _db.KeyDeleteAsync(ApiKeyKey(keyId)).ConfigureAwait(false);
        await _db.SortedSetRemoveAsync(TenantKey(tenantId, "apikeys"), keyId).ConfigureAwait(false);
        return deleted;
    }

    public async ValueTask<DirectoryPage<ApiKeyRecord>> ListApiKeysAsync(string tenantId, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var (ids, next) = await PageAsync(TenantKey(tenantId, "apikeys"), cursor, pageSize).ConfigureAwait(false);
        var values = new List<ApiKeyRecord>(ids.Length);
        foreach (var id in ids)
        {
            if (await GetApiKeyAsync(id, cancellationToken).ConfigureAwait(false) is { } key && key.TenantId == tenantId)
            {
                values.Add(key);
            }
        }

        return new DirectoryPage<ApiKeyRecord>(values, next);
    }

    // Devices

    public async ValueTask<bool> TryAddDeviceAsync(Eui64 devEui, DeviceOwner owner, CancellationToken cancellationToken)
    {
        if (!await _db.StringSetAsync(DeviceOwnerKey(devEui), Encode(owner), when: When.NotExists).ConfigureAwait(false))
        {
            return false;
        }

        await _db.SortedSetAddAsync(DevicesKey(owner), devEui.ToString(), 0).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<DeviceOwner?> GetDeviceOwnerAsync(Eui64 devEui, CancellationToken cancellationToken)
    {
        var value = await _db.StringGetAsync(DeviceOwnerKey(devEui)).ConfigureAwait(false);
        return value.IsNull ? null : Decode(value.ToString());
    }

    public async ValueTask<bool> RemoveDeviceAsync(Eui64 devEui, DeviceOwner owner, CancellationToken cancellationToken)
    {
        if (await GetDeviceOwnerAsync(devEui, cancellationToken).ConfigureAwait(false) != owner)
        {
            return false;
        }

        // Index first, claim last (see the remarks). The delete is conditional on the owner still being the same.
        await _db.SortedSetRemoveAsync(DevicesKey(owner), devEui.ToString()).ConfigureAwait(false);
        return await DeleteIfEqualAsync(DeviceOwnerKey(devEui), Encode(owner)).ConfigureAwait(false);
    }

    public async ValueTask<DirectoryPage<Eui64>> ListDevicesAsync(DeviceOwner application, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var (ids, next) = await PageAsync(DevicesKey(application), cursor, pageSize).ConfigureAwait(false);
        return new DirectoryPage<Eui64>([.. ids.Select(id => Eui64.Parse(id, null))], next);
    }

    // Gateways

    public async ValueTask<bool> TryAddGatewayAsync(Eui64 gatewayId, string tenantId, CancellationToken cancellationToken)
    {
        if (!await _db.StringSetAsync(GatewayOwnerKey(gatewayId), Checked(tenantId), when: When.NotExists).ConfigureAwait(false))
        {
            return false;
        }

        await _db.SortedSetAddAsync(TenantKey(tenantId, "gateways"), gatewayId.ToString(), 0).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<string?> GetGatewayOwnerAsync(Eui64 gatewayId, CancellationToken cancellationToken)
    {
        var value = await _db.StringGetAsync(GatewayOwnerKey(gatewayId)).ConfigureAwait(false);
        return value.IsNull ? null : value.ToString();
    }

    public async ValueTask<bool> RemoveGatewayAsync(Eui64 gatewayId, string tenantId, CancellationToken cancellationToken)
    {
        if (await GetGatewayOwnerAsync(gatewayId, cancellationToken).ConfigureAwait(false) != tenantId)
        {
            return false;
        }

        await _db.SortedSetRemoveAsync(TenantKey(tenantId, "gateways"), gatewayId.ToString()).ConfigureAwait(false);
        return await DeleteIfEqualAsync(GatewayOwnerKey(gatewayId), tenantId).ConfigureAwait(false);
    }

    public async ValueTask<DirectoryPage<Eui64>> ListGatewaysAsync(string tenantId, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var (ids, next) = await PageAsync(TenantKey(tenantId, "gateways"), cursor, pageSize).ConfigureAwait(false);
        return new DirectoryPage<Eui64>([.. ids.Select(id => Eui64.Parse(id, null))], next);
    }

    // Device profiles: ids are generated per tenant, so membership of the tenant's set is the ownership.

    public async ValueTask AddProfileAsync(string profileId, string tenantId, CancellationToken cancellationToken) =>
        await _db.SortedSetAddAsync(TenantKey(tenantId, "profiles"), Checked(profileId), 0).ConfigureAwait(false);

    public async ValueTask<bool> IsProfileOwnedByAsync(string profileId, string tenantId, CancellationToken cancellationToken) =>
        (await _db.SortedSetScoreAsync(TenantKey(tenantId, "profiles"), profileId).ConfigureAwait(false)).HasValue;

    public async ValueTask<bool> RemoveProfileAsync(string profileId, string tenantId, CancellationToken cancellationToken) =>
        await _db.SortedSetRemoveAsync(TenantKey(tenantId, "profiles"), profileId).ConfigureAwait(false);

    public async ValueTask<DirectoryPage<string>> ListProfilesAsync(string tenantId, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var (ids, next) = await PageAsync(TenantKey(tenantId, "profiles"), cursor, pageSize).ConfigureAwait(false);
        return new DirectoryPage<string>(ids, next);
    }

    // Keys

    private RedisKey TenantsKey => $"{_prefix}:{{tenants}}";

    private RedisKey TenantKey(string tenantId, string suffix) => $"{_prefix}:{{tenant:{Checked(tenantId)}}}:{suffix}";

    private RedisKey DevicesKey(DeviceOwner owner) => TenantKey(owner.TenantId, "app:" + Checked(owner.ApplicationId) + ":devices");

    private RedisKey ApiKeyKey(string keyId) => $"{_prefix}:{{apikey:{Checked(keyId)}}}";

    private RedisKey DeviceOwnerKey(Eui64 devEui) => $"{_prefix}:{{dev:{devEui}}}:mgmt:owner";

    private RedisKey GatewayOwnerKey(Eui64 gatewayId) => $"{_prefix}:{{gw:{gatewayId}}}:mgmt:owner";

    // Ids go into key names: a brace would move the hash tag, a newline would break the owner encoding.
    private static string Checked(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (id.AsSpan().IndexOfAny("{}\n") >= 0)
        {
            throw new ArgumentException("Directory ids must not contain braces or newlines.", nameof(id));
        }

        return id;
    }

    private static string Encode(DeviceOwner owner) => Checked(owner.TenantId) + OwnerSeparator + Checked(owner.ApplicationId);

    private static DeviceOwner? Decode(string value)
    {
        var parts = value.Split(OwnerSeparator);
        return parts.Length == 2 ? new DeviceOwner(parts[0], parts[1]) : null;
    }

    // Members strictly after the cursor in lexicographic (= ordinal for our ASCII ids) order; one extra to know
    // whether another page follows.
    private async Task<(string[] Ids, string? Next)> PageAsync(RedisKey key, string? cursor, int pageSize)
    {
        var members = await _db.SortedSetRangeByValueAsync(
            key,
            min: cursor is null ? default : (RedisValue)cursor,
            max: default,
            exclude: cursor is null ? Exclude.None : Exclude.Start,
            order: Order.Ascending,
            skip: 0,
            take: pageSize + 1).ConfigureAwait(false);
        var ids = members.Take(pageSize).Select(m => m.ToString()).ToArray();
        return (ids, members.Length > pageSize ? ids[^1] : null);
    }

    private async Task<bool> DeleteIfEqualAsync(RedisKey key, string expected) =>
        (long)await _db.ScriptEvaluateAsync(DeleteIfEqualScript, [key], [expected]).ConfigureAwait(false) == 1;

    private static RedisValue Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    private static T? Deserialize<T>(RedisValue value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class => value.IsNull ? null : JsonSerializer.Deserialize((byte[])value!, type);
}

/// <summary>Source-generated JSON of the directory records kept in Redis.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Tenant))]
[JsonSerializable(typeof(Application))]
[JsonSerializable(typeof(ApiKeyRecord))]
internal sealed partial class DirectoryJson : JsonSerializerContext;
