using System.Net;
using Grpc.Core;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Helium;
using WirelessNet.Proto.Api;

namespace WirelessNet.Lns.Tests.Api;

/// <summary>Helium hotspots in the management API: provisioned by base58 address, shown with it.</summary>
public sealed class HeliumGatewayApiTests(ApiTestServer server) : IClassFixture<ApiTestServer>
{
    [Theory]
    [InlineData(HeliumKeyType.Ed25519)]
    [InlineData(HeliumKeyType.EccCompact)]
    public async Task A_hotspot_is_provisioned_by_its_address_under_the_id_derived_from_its_key(HeliumKeyType keyType)
    {
        var (_, key) = await server.CreateTenantAsync("hotspots " + keyType);
        using var hotspot = HeliumKeyPair.Generate(keyType, HeliumNetwork.MainNet);
        var address = hotspot.PublicKey.ToAddress();
        var expectedId = HeliumGatewayIds.FromPublicKey(hotspot.PublicKey).ToString();

        var (status, created) = await server.PostAsync("/api/gateways", key, new { heliumAddress = address, region = "eu868", name = "roof" });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(expectedId, created.GetProperty("gatewayId").GetString());
        Assert.Equal(address, created.GetProperty("heliumAddress").GetString());

        (status, var read) = await server.GetAsync($"/api/gateways/{expectedId}", key);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(address, read.GetProperty("heliumAddress").GetString());

        // The address is the hotspot's identity: it cannot be changed, and an update leaves it in place.
        Assert.Equal(HttpStatusCode.BadRequest, (await server.PutAsync($"/api/gateways/{expectedId}", key, new { heliumAddress = HeliumKeyPair.Generate(keyType, HeliumNetwork.MainNet).PublicKey.ToAddress() })).Status);
        (status, var renamed) = await server.PutAsync($"/api/gateways/{expectedId}", key, new { name = "mast" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(address, renamed.GetProperty("heliumAddress").GetString());
    }

    [Fact]
    public async Task A_wrong_address_or_a_gateway_id_that_is_not_the_derived_one_is_refused()
    {
        var (_, key) = await server.CreateTenantAsync("hotspot errors");
        using var hotspot = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        var address = hotspot.PublicKey.ToAddress();

        var (status, body) = await server.PostAsync("/api/gateways", key, new { heliumAddress = address, gatewayId = "0102030405060708", region = "eu868" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(HeliumGatewayIds.FromPublicKey(hotspot.PublicKey).ToString(), body.GetProperty("error").GetString(), StringComparison.Ordinal);

        // One character changed breaks the base58check checksum.
        var broken = address[..^1] + (address[^1] == '1' ? '2' : '1');
        (status, body) = await server.PostAsync("/api/gateways", key, new { heliumAddress = broken, region = "eu868" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("heliumAddress is not a Helium public key address", body.GetProperty("error").GetString(), StringComparison.Ordinal);

        // Other gateways have no address.
        (status, body) = await server.PostAsync("/api/gateways", key, new { gatewayId = "0a0b0c0d0e0f1011", region = "eu868" });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("heliumAddress").ValueKind);
    }

    [Fact]
    public async Task The_grpc_api_takes_and_shows_the_address_too()
    {
        var admin = ApiTestServer.Bearer(ApiTestServer.AdminKey);
        var tenants = new TenantService.TenantServiceClient(server.Grpc);
        var tenant = await tenants.CreateTenantAsync(new CreateTenantRequest { Name = "grpc hotspots" }, admin);
        var apiKey = await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = tenant.Id, Name = "k" }, admin);
        var gateways = new GatewayService.GatewayServiceClient(server.Grpc);
        using var hotspot = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.TestNet);

        var created = await gateways.CreateAsync(new CreateGatewayRequest { HeliumAddress = hotspot.PublicKey.ToAddress(), Region = "eu868" }, ApiTestServer.Bearer(apiKey.Key));
        Assert.Equal(HeliumGatewayIds.FromPublicKey(hotspot.PublicKey).ToString(), created.GatewayId);
        Assert.Equal(hotspot.PublicKey.ToAddress(), created.HeliumAddress);

        var error = await Assert.ThrowsAsync<RpcException>(() => gateways.CreateAsync(new CreateGatewayRequest { HeliumAddress = "not-an-address", Region = "eu868" }, ApiTestServer.Bearer(apiKey.Key)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
