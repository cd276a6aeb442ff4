using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using WirelessNet.Lns.Api;
using WirelessNet.Lns.Storage.Management;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Testing;

namespace WirelessNet.Lns.Tests.Api;

/// <summary>The directory contract: claims, ownership checks, records and cursor paging. Run per implementation.</summary>
public abstract class TenantDirectoryContractTests
{
    protected abstract ITenantDirectory Directory { get; }


    [Fact]
    public async Task Device_claims_are_first_come_first_served_and_release_only_for_the_owner()
    {
        var eui = new Eui64(0x0102030405060708);
        var a = new DeviceOwner("tenant-a", "app-a");
        var b = new DeviceOwner("tenant-b", "app-b");

        Assert.True(await Directory.TryAddDeviceAsync(eui, a, default));
        Assert.False(await Directory.TryAddDeviceAsync(eui, b, default));
        Assert.False(await Directory.RemoveDeviceAsync(eui, b, default));
        Assert.Equal(a, await Directory.GetDeviceOwnerAsync(eui, default));
        Assert.Empty((await Directory.ListDevicesAsync(b, null, 10, default)).Items);

        Assert.True(await Directory.RemoveDeviceAsync(eui, a, default));
        Assert.True(await Directory.TryAddDeviceAsync(eui, b, default));
    }

    [Fact]
    public async Task Cursor_paging_survives_inserts_and_deletes_between_pages()
    {
        for (var i = 0; i < 25; i++)
        {
            Assert.True(await Directory.TryAddGatewayAsync(new Eui64((ulong)(i * 2) + 2), "t", default));
        }

        var first = await Directory.ListGatewaysAsync("t", null, 10, default);
        Assert.Equal(10, first.Items.Count);
        Assert.NotNull(first.NextCursor);

        // An item before the cursor and the cursor item itself change: the walk neither repeats nor skips the rest.
        Assert.True(await Directory.TryAddGatewayAsync(new Eui64(1), "t", default));
        Assert.True(await Directory.RemoveGatewayAsync(first.Items[^1], "t", default));

        var rest = new List<Eui64>();
        var cursor = first.NextCursor;
        while (cursor is not null)
        {
            var page = await Directory.ListGatewaysAsync("t", cursor, 10, default);
            rest.AddRange(page.Items);
            cursor = page.NextCursor;
        }

        Assert.Equal(15, rest.Count);
        Assert.Empty(rest.Intersect(first.Items));
        Assert.Equal(rest.OrderBy(e => e.Value), rest);
    }

    [Fact]
    public async Task Applications_and_profiles_are_visible_only_to_their_tenant()
    {
        await Directory.PutApplicationAsync(new Application { Id = "app1", TenantId = "a", Name = "n" }, default);
        await Directory.AddProfileAsync("p1", "a", default);

        Assert.NotNull(await Directory.GetApplicationAsync("a", "app1", default));
        Assert.Null(await Directory.GetApplicationAsync("b", "app1", default));
        Assert.False(await Directory.DeleteApplicationAsync("b", "app1", default));
        Assert.True(await Directory.IsProfileOwnedByAsync("p1", "a", default));
        Assert.False(await Directory.IsProfileOwnedByAsync("p1", "b", default));
        Assert.False(await Directory.RemoveProfileAsync("p1", "b", default));
        Assert.Empty((await Directory.ListApplicationsAsync("b", null, 10, default)).Items);
        Assert.Single((await Directory.ListProfilesAsync("a", null, 10, default)).Items);
    }

    [Fact]
    public async Task Tenants_applications_and_api_keys_round_trip()
    {
        var tenant = new Tenant { Id = "t-" + Guid.NewGuid().ToString("N"), Name = "Acme", CreatedAt = DateTimeOffset.UnixEpoch };
        Assert.True(await Directory.CreateTenantAsync(tenant, default));
        Assert.False(await Directory.CreateTenantAsync(tenant with { Name = "again" }, default));
        Assert.Equal(tenant, await Directory.GetTenantAsync(tenant.Id, default));
        Assert.Contains(tenant, (await Directory.ListTenantsAsync(null, 1000, default)).Items);

        var app = new Application { Id = "app", TenantId = tenant.Id, Name = "a", Description = "d" };
        await Directory.PutApplicationAsync(app, default);
        await Directory.PutApplicationAsync(app with { Name = "renamed" }, default);
        Assert.Equal("renamed", (await Directory.GetApplicationAsync(tenant.Id, "app", default))!.Name);
        Assert.Single((await Directory.ListApplicationsAsync(tenant.Id, null, 10, default)).Items);
        Assert.True(await Directory.DeleteApplicationAsync(tenant.Id, "app", default));
        Assert.Null(await Directory.GetApplicationAsync(tenant.Id, "app", default));

        var key = new ApiKeyRecord { Id = Guid.NewGuid().ToString("N"), TenantId = tenant.Id, Name = "k", KeyHash = [1, 2, 3] };
        await Directory.CreateApiKeyAsync(key, default);
        var read = await Directory.GetApiKeyAsync(key.Id, default);
        Assert.Equal([1, 2, 3], read!.KeyHash);
        Assert.Equal(tenant.Id, read.TenantId);
        Assert.Single((await Directory.ListApiKeysAsync(tenant.Id, null, 10, default)).Items);
        Assert.False(await Directory.DeleteApiKeyAsync("someone-else", key.Id, default));
        Assert.True(await Directory.DeleteApiKeyAsync(tenant.Id, key.Id, default));
        Assert.Null(await Directory.GetApiKeyAsync(key.Id, default));
        Assert.Empty((await Directory.ListApiKeysAsync(tenant.Id, null, 10, default)).Items);

        Assert.True(await Directory.UpdateTenantAsync(tenant with { Name = "Acme 2" }, default));
        Assert.Equal("Acme 2", (await Directory.GetTenantAsync(tenant.Id, default))!.Name);
        Assert.False(await Directory.UpdateTenantAsync(tenant with { Id = "missing" }, default));
        Assert.Null(await Directory.GetTenantAsync("missing", default));

        var second = new ApiKeyRecord { Id = Guid.NewGuid().ToString("N"), TenantId = tenant.Id, Name = "k2", KeyHash = [4] };
        await Directory.CreateApiKeyAsync(second, default);
        Assert.True(await Directory.DeleteTenantAsync(tenant.Id, default));
        Assert.False(await Directory.DeleteTenantAsync(tenant.Id, default));
        Assert.Null(await Directory.GetTenantAsync(tenant.Id, default));
        Assert.Null(await Directory.GetApiKeyAsync(second.Id, default));
        Assert.DoesNotContain((await Directory.ListTenantsAsync(null, 1000, default)).Items, t => t.Id == tenant.Id);
    }

    [Fact]
    public async Task Gateway_claims_are_exclusive()
    {
        var eui = new Eui64(0x0A0B0C0D0E0F1011);
        Assert.True(await Directory.TryAddGatewayAsync(eui, "a", default));
        Assert.False(await Directory.TryAddGatewayAsync(eui, "b", default));
        Assert.Equal("a", await Directory.GetGatewayOwnerAsync(eui, default));
        Assert.False(await Directory.RemoveGatewayAsync(eui, "b", default));
        Assert.True(await Directory.RemoveGatewayAsync(eui, "a", default));
        Assert.Null(await Directory.GetGatewayOwnerAsync(eui, default));
        Assert.Empty((await Directory.ListGatewaysAsync("a", null, 10, default)).Items);
    }
}

public sealed class InMemoryTenantDirectoryTests : TenantDirectoryContractTests
{
    protected override ITenantDirectory Directory { get; } = new InMemoryTenantDirectory();
}

/// <summary>The same contract against a real redis-server; each test has a key prefix of its own.</summary>
public sealed class RedisTenantDirectoryTests : TenantDirectoryContractTests, IClassFixture<RedisServerFixture>, IDisposable
{
    private readonly ConnectionMultiplexer _connection;

    public RedisTenantDirectoryTests(RedisServerFixture redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _connection = ConnectionMultiplexer.Connect(redis.ConnectionString);
        Directory = new RedisTenantDirectory(_connection, "wn-test-" + Guid.NewGuid().ToString("N"));
    }

    protected override ITenantDirectory Directory { get; }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void AddManagementApi_uses_the_redis_directory_when_the_store_is_redis()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConnectionMultiplexer>(_connection);
        services.AddManagementApi(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Store:Kind"] = "Redis" }).Build());
        using var provider = services.BuildServiceProvider();
        Assert.IsType<RedisTenantDirectory>(provider.GetRequiredService<ITenantDirectory>());
    }

    [Fact]
    public async Task Keys_are_hash_tagged_by_tenant()
    {
        await Directory.PutApplicationAsync(new Application { Id = "app", TenantId = "t1", Name = "a" }, default);
        await Directory.TryAddDeviceAsync(new Eui64(1), new DeviceOwner("t1", "app"), default);
        var server = _connection.GetServer(_connection.GetEndPoints()[0]);
        var keys = server.Keys(pattern: "wn-test-*{tenant:t1}*").Select(k => k.ToString()).ToList();
        Assert.Contains(keys, k => k.EndsWith("{tenant:t1}:apps", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.EndsWith("{tenant:t1}:app:app:devices", StringComparison.Ordinal));
    }
}

/// <summary>Page tokens and API key format.</summary>
public sealed class ApiKeyAndTokenTests
{
    [Fact]
    public void Page_tokens_round_trip_and_reject_foreign_text()
    {
        var token = PageTokens.Encode("0102030405060708");
        Assert.Equal("0102030405060708", PageTokens.Decode(token));
        Assert.Null(PageTokens.Decode(null));
        Assert.Equal(ApiErrorKind.InvalidArgument, Assert.Throws<ApiException>(() => PageTokens.Decode("!!")).Kind);
        Assert.Throws<ApiException>(() => PageTokens.Decode("MDEwMg"));
    }

    [Fact]
    public void Api_keys_are_high_entropy_and_stored_only_as_hashes()
    {
        var key = ApiKeys.Generate(out var id);
        var other = ApiKeys.Generate(out var otherId);
        Assert.NotEqual(key, other);
        Assert.NotEqual(id, otherId);
        Assert.True(ApiKeys.TryGetKeyId(key, out var parsed));
        Assert.Equal(id, parsed);
        Assert.Equal(32, ApiKeys.Hash(key).Length);
        Assert.True(key.Length >= ApiKeys.Prefix.Length + 32 + 1 + 43);
        Assert.False(ApiKeys.TryGetKeyId("wnk.XYZ", out _));
    }
}
