using Grpc.Core;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Api;

namespace WirelessNet.Lns.Tests.Api;

/// <summary>The gRPC services over h2c against the same host: device CRUD, isolation, auth and status codes.</summary>
public sealed class ManagementGrpcApiTests(ApiTestServer server) : IClassFixture<ApiTestServer>
{
    [Fact]
    public async Task Calls_without_a_valid_key_are_unauthenticated()
    {
        var devices = new DeviceService.DeviceServiceClient(server.Grpc);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await devices.GetAsync(new DevEuiRequest { DevEui = TestKeys.NewEui() }));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);

        e = await Assert.ThrowsAsync<RpcException>(async () => await devices.GetAsync(new DevEuiRequest { DevEui = TestKeys.NewEui() }, ApiTestServer.Bearer("wnk.nope")));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task Device_crud_and_isolation_over_grpc()
    {
        var admin = ApiTestServer.Bearer(ApiTestServer.AdminKey);
        var tenants = new TenantService.TenantServiceClient(server.Grpc);
        var tenantA = await tenants.CreateTenantAsync(new CreateTenantRequest { Name = "grpc A" }, admin);
        var tenantB = await tenants.CreateTenantAsync(new CreateTenantRequest { Name = "grpc B" }, admin);
        var keyA = (await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = tenantA.Id, Name = "a" }, admin)).Key;
        var keyB = (await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = tenantB.Id, Name = "b" }, admin)).Key;
        Assert.StartsWith("wnk.", keyA, StringComparison.Ordinal);
        var a = ApiTestServer.Bearer(keyA);
        var b = ApiTestServer.Bearer(keyB);

        var applications = new ApplicationService.ApplicationServiceClient(server.Grpc);
        var profiles = new DeviceProfileService.DeviceProfileServiceClient(server.Grpc);
        var devices = new DeviceService.DeviceServiceClient(server.Grpc);
        var app = await applications.CreateAsync(new CreateApplicationRequest { Name = "grpc app" }, a);
        var profile = await profiles.CreateAsync(new CreateDeviceProfileRequest { Name = "p", Region = "eu868" }, a);
        Assert.Equal("1.0.4", profile.MacVersion);
        Assert.True(profile.SupportsOtaa);

        var devEui = TestKeys.NewEui();
        var created = await devices.CreateAsync(
            new CreateDeviceRequest { DevEui = devEui, ApplicationId = app.Id, ProfileId = profile.Id, Name = "d", AppKey = TestKeys.AppKeyHex },
            a);
        Assert.True(created.AppKeySet);
        Assert.False(created.NwkKeySet);

        var read = await devices.GetAsync(new DevEuiRequest { DevEui = devEui }, a);
        Assert.Equal("d", read.Name);
        var updated = await devices.UpdateAsync(new UpdateDeviceRequest { DevEui = devEui, Name = "d2" }, a);
        Assert.Equal("d2", updated.Name);
        Assert.Equal(app.Id, updated.ApplicationId);
        var list = await devices.ListAsync(new ListDevicesRequest { ApplicationId = app.Id }, a);
        Assert.Equal(devEui, Assert.Single(list.Items).DevEui);
        Assert.Equal(string.Empty, list.NextPageToken);

        // B: not found everywhere, and nothing changes.
        await AssertStatus(StatusCode.NotFound, () => devices.GetAsync(new DevEuiRequest { DevEui = devEui }, b).ResponseAsync);
        await AssertStatus(StatusCode.NotFound, () => devices.UpdateAsync(new UpdateDeviceRequest { DevEui = devEui, Name = "x" }, b).ResponseAsync);
        await AssertStatus(StatusCode.NotFound, () => devices.DeleteAsync(new DevEuiRequest { DevEui = devEui }, b).ResponseAsync);
        await AssertStatus(StatusCode.NotFound, () => devices.ListAsync(new ListDevicesRequest { ApplicationId = app.Id }, b).ResponseAsync);
        await AssertStatus(StatusCode.NotFound, () => applications.GetAsync(new IdRequest { Id = app.Id }, b).ResponseAsync);
        await AssertStatus(StatusCode.NotFound, () => devices.EnqueueAsync(new EnqueueDownlinkRequest { DevEui = devEui, FPort = 1 }, b).ResponseAsync);
        Assert.Empty((await applications.ListAsync(new ListRequest(), b)).Items);
        Assert.Equal("d2", (await devices.GetAsync(new DevEuiRequest { DevEui = devEui }, a)).Name);

        // Validation and permission codes.
        await AssertStatus(StatusCode.InvalidArgument, () => devices.GetAsync(new DevEuiRequest { DevEui = "nope" }, a).ResponseAsync, "devEui");
        await AssertStatus(StatusCode.InvalidArgument, () => applications.ListAsync(new ListRequest { PageSize = 1001 }, a).ResponseAsync, "pageSize");
        await AssertStatus(StatusCode.AlreadyExists, () => devices.CreateAsync(new CreateDeviceRequest { DevEui = devEui, ApplicationId = app.Id, ProfileId = profile.Id }, a).ResponseAsync);
        await AssertStatus(StatusCode.PermissionDenied, () => tenants.CreateTenantAsync(new CreateTenantRequest { Name = "x" }, a).ResponseAsync);

        // ABP and queue through gRPC land in the stores.
        var activation = await devices.ActivateAsync(
            new ActivateDeviceRequest { DevEui = devEui, DevAddr = "26aabbcc", NwkSKey = TestKeys.NwkSKeyHex, AppSKey = TestKeys.AppSKeyHex, NFCntDown = 3 },
            a);
        Assert.Equal("26aabbcc", activation.DevAddr);
        Assert.False(activation.HasFCntUp);
        Assert.Equal(3u, (await server.Store.GetActiveSessionAsync(Eui64.Parse(devEui), default))!.NFCntDown);
        var queued = await devices.EnqueueAsync(new EnqueueDownlinkRequest { DevEui = devEui, FPort = 10, Data = Google.Protobuf.ByteString.CopyFrom(1, 2, 3) }, a);
        Assert.Equal([1, 2, 3], Assert.Single(await server.Store.ListAsync(Eui64.Parse(devEui), default)).Data);
        Assert.Equal(queued.Id, Assert.Single((await devices.ListQueueAsync(new DevEuiRequest { DevEui = devEui }, a)).Items).Id);

        await devices.DeleteAsync(new DevEuiRequest { DevEui = devEui }, a);
        await AssertStatus(StatusCode.NotFound, () => devices.GetAsync(new DevEuiRequest { DevEui = devEui }, a).ResponseAsync);
        Assert.Null(await server.Store.GetActiveSessionAsync(Eui64.Parse(devEui), default));
        Assert.Empty(await server.Store.ListAsync(Eui64.Parse(devEui), default));
    }

    [Fact]
    public async Task Gateways_over_grpc_carry_location_and_stay_isolated()
    {
        var admin = ApiTestServer.Bearer(ApiTestServer.AdminKey);
        var tenants = new TenantService.TenantServiceClient(server.Grpc);
        var tenant = await tenants.CreateTenantAsync(new CreateTenantRequest { Name = "gw owner" }, admin);
        var other = await tenants.CreateTenantAsync(new CreateTenantRequest { Name = "gw other" }, admin);
        var owner = ApiTestServer.Bearer((await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = tenant.Id, Name = "k" }, admin)).Key);
        var stranger = ApiTestServer.Bearer((await tenants.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = other.Id, Name = "k" }, admin)).Key);

        var gateways = new GatewayService.GatewayServiceClient(server.Grpc);
        var id = TestKeys.NewEui();
        var gw = await gateways.CreateAsync(
            new CreateGatewayRequest { GatewayId = id, Region = "us915", Location = new Location { Latitude = -33.9, Longitude = 151.2, Altitude = 40 }, AntennaGainDbi10 = 25 },
            owner);
        Assert.Equal("us915", gw.Region);
        Assert.Equal(-33.9, gw.Location.Latitude);
        Assert.Null(gw.Status);

        await AssertStatus(StatusCode.NotFound, () => gateways.GetAsync(new GatewayIdRequest { GatewayId = id }, stranger).ResponseAsync);
        await AssertStatus(StatusCode.AlreadyExists, () => gateways.CreateAsync(new CreateGatewayRequest { GatewayId = id, Region = "eu868" }, stranger).ResponseAsync);
        await AssertStatus(StatusCode.InvalidArgument, () => gateways.CreateAsync(new CreateGatewayRequest { GatewayId = TestKeys.NewEui(), Region = "eu868", Location = new Location { Latitude = 100 } }, owner).ResponseAsync, "latitude");
        Assert.Empty((await gateways.ListAsync(new ListRequest(), stranger)).Items);
        Assert.Single((await gateways.ListAsync(new ListRequest(), owner)).Items);
    }

    private static async Task AssertStatus<T>(StatusCode expected, Func<Task<T>> call, string? reason = null)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(expected, e.StatusCode);
        if (reason is not null)
        {
            Assert.Contains(reason, e.Status.Detail, StringComparison.Ordinal);
        }
    }
}
