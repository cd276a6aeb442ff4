using System.Net;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using WirelessNet.Lns.Metering;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Api;

namespace WirelessNet.Lns.Tests.Api;

/// <summary>
/// Metered usage through the management API (JSON and gRPC): known charges recorded into the host's meter, read back
/// per tenant, per gateway and per hour; a tenant sees only its own, the admin key sees all; lists are paged.
/// </summary>
public sealed class UsageApiTests(ApiTestServer server) : IClassFixture<ApiTestServer>
{
    private static readonly DateTimeOffset Hour = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private const string Range = "from=2026-11-20T10:00:00Z&to=2026-11-20T12:59:59Z";

    [Fact]
    public async Task A_tenant_sees_its_own_usage_per_hour_and_per_gateway_and_nothing_of_others()
    {
        var world = await SeedAsync();

        // The tenant's hours: 10:00 two copies of a 30-byte frame (2 DC each), 11:00 one 10-byte copy (1 DC).
        var (status, list) = await server.GetAsync($"/api/usage/tenants?{Range}", world.KeyA);
        Assert.Equal(HttpStatusCode.OK, status);
        var own = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(world.TenantA, own.GetProperty("tenantId").GetString());
        AssertTotals(own.GetProperty("total"), 3, 70, 5);
        var hours = own.GetProperty("hours").EnumerateArray().ToArray();
        Assert.Equal(2, hours.Length);
        Assert.Equal(Hour, hours[0].GetProperty("hour").GetDateTimeOffset());
        AssertTotals(hours[0], 2, 60, 4);
        Assert.Equal(Hour.AddHours(1), hours[1].GetProperty("hour").GetDateTimeOffset());
        AssertTotals(hours[1], 1, 10, 1);

        (status, var single) = await server.GetAsync($"/api/usage/tenants/{world.TenantA}?{Range}", world.KeyA);
        Assert.Equal(HttpStatusCode.OK, status);
        AssertTotals(single.GetProperty("total"), 3, 70, 5);

        // Per gateway: what each hotspot delivered. Paged one at a time, both come back.
        var gateways = await CollectAsync($"/api/usage/gateways?{Range}&pageSize=1", world.KeyA);
        Assert.Equal(new[] { world.A1.ToString(), world.A2.ToString() }.Order(StringComparer.Ordinal), gateways.Select(g => g.GetProperty("gatewayId").GetString()).Order(StringComparer.Ordinal));
        var a1 = gateways.Single(g => g.GetProperty("gatewayId").GetString() == world.A1.ToString());
        AssertTotals(a1.GetProperty("total"), 2, 40, 3);
        Assert.Equal(world.TenantA, a1.GetProperty("tenantId").GetString());
        (status, var a2) = await server.GetAsync($"/api/usage/gateways/{world.A2}?{Range}", world.KeyA);
        Assert.Equal(HttpStatusCode.OK, status);
        AssertTotals(a2.GetProperty("total"), 1, 30, 2);

        // Another tenant's tenant, gateway or gateway list: not found, as anywhere in the API.
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync($"/api/usage/tenants/{world.TenantB}?{Range}", world.KeyA)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync($"/api/usage/gateways/{world.B1}?{Range}", world.KeyA)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync($"/api/usage/gateways?tenantId={world.TenantB}&{Range}", world.KeyA)).Status);
    }

    [Fact]
    public async Task The_admin_key_sees_every_tenant_and_gateway()
    {
        var world = await SeedAsync();

        var tenants = await CollectAsync($"/api/usage/tenants?{Range}&pageSize=1", ApiTestServer.AdminKey);
        AssertTotals(tenants.Single(t => t.GetProperty("tenantId").GetString() == world.TenantA).GetProperty("total"), 3, 70, 5);
        AssertTotals(tenants.Single(t => t.GetProperty("tenantId").GetString() == world.TenantB).GetProperty("total"), 1, 50, 3);

        var (status, b1) = await server.GetAsync($"/api/usage/gateways/{world.B1}?{Range}", ApiTestServer.AdminKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(world.TenantB, b1.GetProperty("tenantId").GetString());
        AssertTotals(b1.GetProperty("total"), 1, 50, 3);

        var ofB = await CollectAsync($"/api/usage/gateways?tenantId={world.TenantB}&{Range}", ApiTestServer.AdminKey);
        Assert.Equal(world.B1.ToString(), Assert.Single(ofB).GetProperty("gatewayId").GetString());

        // The admin key must say whose gateways.
        Assert.Equal(HttpStatusCode.BadRequest, (await server.GetAsync($"/api/usage/gateways?{Range}", ApiTestServer.AdminKey)).Status);
    }

    [Theory]
    [InlineData("from=2026-11-20T12:00:00Z&to=2026-11-20T10:00:00Z", "from must not be after to")]
    [InlineData("from=2025-01-01T00:00:00Z&to=2026-11-20T10:00:00Z", "at most 2232 may be asked for")]
    [InlineData("from=yesterday", "from must be an ISO 8601 time")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageToken=garbage", "pageToken")]
    public async Task Bad_ranges_and_pages_are_refused_with_a_reason(string query, string reason)
    {
        var world = await SeedAsync();
        var (status, body) = await server.GetAsync($"/api/usage/tenants?{query}", ApiTestServer.AdminKey);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.GetAsync($"/api/usage/tenants/{world.TenantA}", null)).Status);
    }

    [Fact]
    public async Task Without_a_range_the_last_24_hours_are_shown()
    {
        var world = await SeedAsync();
        var now = DateTimeOffset.UtcNow;
        await server.Meter.RecordAsync(new MeteredPacket(world.TenantA, now, 1, 24, 1, [world.A1], []), default);
        await server.Meter.RecordAsync(new MeteredPacket(world.TenantA, now.AddHours(-30), 1, 24, 1, [world.A1], []), default);

        var (_, usage) = await server.GetAsync($"/api/usage/tenants/{world.TenantA}", world.KeyA);
        AssertTotals(usage.GetProperty("total"), 1, 24, 1);
        Assert.Equal(MeterHours.Truncate(now), Assert.Single(usage.GetProperty("hours").EnumerateArray()).GetProperty("hour").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_grpc_usage_service_answers_the_same_with_the_same_isolation()
    {
        var world = await SeedAsync();
        var client = new UsageService.UsageServiceClient(server.Grpc);
        var from = Timestamp.FromDateTimeOffset(Hour);
        var to = Timestamp.FromDateTimeOffset(Hour.AddHours(2));

        var list = await client.ListTenantUsageAsync(new ListUsageRequest { From = from, To = to }, ApiTestServer.Bearer(world.KeyB));
        var own = Assert.Single(list.Items);
        Assert.Equal(world.TenantB, own.TenantId);
        Assert.Equal(new UsageTotals { Copies = 1, Bytes = 50, DataCredits = 3 }, own.Total);
        Assert.Equal(Timestamp.FromDateTimeOffset(Hour), Assert.Single(own.Hours).Hour);

        var gateways = await client.ListGatewayUsageAsync(new ListUsageRequest { From = from, To = to }, ApiTestServer.Bearer(world.KeyA));
        Assert.Equal(2, gateways.Items.Count);
        Assert.Equal(5, gateways.Items.Sum(g => g.Total.DataCredits));

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.GetGatewayUsageAsync(new UsageRequest { Id = world.A1.ToString(), From = from, To = to }, ApiTestServer.Bearer(world.KeyB)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        var admin = await client.GetGatewayUsageAsync(new UsageRequest { Id = world.A1.ToString(), From = from, To = to }, ApiTestServer.Bearer(ApiTestServer.AdminKey));
        Assert.Equal(world.TenantA, admin.TenantId);
        Assert.Equal(3, admin.Total.DataCredits);

        var unauthenticated = await Assert.ThrowsAsync<RpcException>(() => client.GetTenantUsageAsync(new UsageRequest { Id = world.TenantA }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);
    }

    private async Task<List<JsonElement>> CollectAsync(string path, string key)
    {
        var items = new List<JsonElement>();
        string? token = null;
        for (var page = 0; page < 1000; page++)
        {
            var (status, body) = await server.GetAsync(token is null ? path : $"{path}&pageToken={Uri.EscapeDataString(token)}", key);
            Assert.Equal(HttpStatusCode.OK, status);
            items.AddRange(body.GetProperty("items").EnumerateArray());
            token = body.GetProperty("nextPageToken").GetString();
            if (token is null)
            {
                return items;
            }
        }

        throw new InvalidOperationException("paging did not end");
    }

    private static void AssertTotals(JsonElement element, long copies, long bytes, long dataCredits)
    {
        Assert.Equal(copies, element.GetProperty("copies").GetInt64());
        Assert.Equal(bytes, element.GetProperty("bytes").GetInt64());
        Assert.Equal(dataCredits, element.GetProperty("dataCredits").GetInt64());
    }

    /// <summary>Two tenants with their gateways, and known charges in the meter.</summary>
    private async Task<World> SeedAsync()
    {
        var (tenantA, keyA) = await server.CreateTenantAsync("usage A");
        var (tenantB, keyB) = await server.CreateTenantAsync("usage B");
        var a1 = new Eui64((ulong)Random.Shared.NextInt64(1, long.MaxValue));
        var a2 = new Eui64((ulong)Random.Shared.NextInt64(1, long.MaxValue));
        var b1 = new Eui64((ulong)Random.Shared.NextInt64(1, long.MaxValue));
        foreach (var (gateway, key) in new[] { (a1, keyA), (a2, keyA), (b1, keyB) })
        {
            Assert.Equal(HttpStatusCode.Created, (await server.PostAsync("/api/gateways", key, new { gatewayId = gateway.ToString(), region = "eu868" })).Status);
        }

        await server.Meter.RecordAsync(new MeteredPacket(tenantA, Hour.AddMinutes(5), 2, 60, 4, [a1, a2], []), default);
        await server.Meter.RecordAsync(new MeteredPacket(tenantA, Hour.AddMinutes(70), 1, 10, 1, [a1], []), default);
        await server.Meter.RecordAsync(new MeteredPacket(tenantB, Hour.AddMinutes(30), 1, 50, 3, [b1], []), default);

        // Outside the range asked for: never counted.
        await server.Meter.RecordAsync(new MeteredPacket(tenantA, Hour.AddHours(5), 1, 10, 1, [a1], []), default);
        return new World(tenantA, keyA, tenantB, keyB, a1, a2, b1);
    }

    private sealed record World(string TenantA, string KeyA, string TenantB, string KeyB, Eui64 A1, Eui64 A2, Eui64 B1);
}
