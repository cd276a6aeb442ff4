using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static WirelessNet.Lns.Api.Grpc.GrpcMapping;
using ApiPb = WirelessNet.Proto.Api;

namespace WirelessNet.Lns.Api.Grpc;

// The gRPC front end: each method converts the message, calls ManagementService with the caller that
// ManagementGrpcInterceptor authenticated, and converts the answer. Refusals surface as ApiException, which the
// interceptor maps to status codes.

public sealed class TenantGrpcService(ManagementService service) : ApiPb.TenantService.TenantServiceBase
{
    public override async Task<ApiPb.Tenant> CreateTenant(ApiPb.CreateTenantRequest request, ServerCallContext context) =>
        ToProto(await service.CreateTenantAsync(ManagementGrpcInterceptor.Caller(context), new CreateTenantRequest(request.Name), context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.Tenant> GetTenant(ApiPb.IdRequest request, ServerCallContext context) =>
        ToProto(await service.GetTenantAsync(ManagementGrpcInterceptor.Caller(context), request.Id, context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.ListTenantsResponse> ListTenants(ApiPb.ListRequest request, ServerCallContext context)
    {
        var page = await service.ListTenantsAsync(ManagementGrpcInterceptor.Caller(context), PageSize(request.PageSize), NullIfEmpty(request.PageToken), context.CancellationToken).ConfigureAwait(false);
        return new ApiPb.ListTenantsResponse { Items = { page.Items.Select(ToProto) }, NextPageToken = Token(page.NextPageToken) };
    }

    public override async Task<ApiPb.Tenant> UpdateTenant(ApiPb.UpdateTenantRequest request, ServerCallContext context) =>
        ToProto(await service.UpdateTenantAsync(ManagementGrpcInterceptor.Caller(context), request.Id, new CreateTenantRequest(request.Name), context.CancellationToken).ConfigureAwait(false));

    public override async Task<Empty> DeleteTenant(ApiPb.IdRequest request, ServerCallContext context)
    {
        await service.DeleteTenantAsync(ManagementGrpcInterceptor.Caller(context), request.Id, context.CancellationToken).ConfigureAwait(false);
        return new Empty();
    }

    public override async Task<ApiPb.ApiKey> CreateApiKey(ApiPb.CreateApiKeyRequest request, ServerCallContext context) =>
        ToProto(await service.CreateApiKeyAsync(ManagementGrpcInterceptor.Caller(context), request.TenantId, new CreateApiKeyRequest(request.Name), context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.ListApiKeysResponse> ListApiKeys(ApiPb.ListApiKeysRequest request, ServerCallContext context)
    {
        var page = await service.ListApiKeysAsync(ManagementGrpcInterceptor.Caller(context), request.TenantId, PageSize(request.PageSize), NullIfEmpty(request.PageToken), context.CancellationToken).ConfigureAwait(false);
        return new ApiPb.ListApiKeysResponse { Items = { page.Items.Select(ToProto) }, NextPageToken = Token(page.NextPageToken) };
    }

    public override async Task<Empty> DeleteApiKey(ApiPb.DeleteApiKeyRequest request, ServerCallContext context)
    {
        await service.DeleteApiKeyAsync(ManagementGrpcInterceptor.Caller(context), request.TenantId, request.KeyId, context.CancellationToken).ConfigureAwait(false);
        return new Empty();
    }
}

public sealed class ApplicationGrpcService(ManagementService service) : ApiPb.ApplicationService.ApplicationServiceBase
{
    public override async Task<ApiPb.Application> Create(ApiPb.CreateApplicationRequest request, ServerCallContext context) =>
        ToProto(await service.CreateApplicationAsync(ManagementGrpcInterceptor.Caller(context), new ApplicationRequest(request.Name, request.Description), context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.Application> Get(ApiPb.IdRequest request, ServerCallContext context) =>
        ToProto(await service.GetApplicationAsync(ManagementGrpcInterceptor.Caller(context), request.Id, context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.Application> Update(ApiPb.UpdateApplicationRequest request, ServerCallContext context) =>
        ToProto(await service.UpdateApplicationAsync(
            ManagementGrpcInterceptor.Caller(context),
            request.Id,
            new ApplicationRequest(request.HasName ? request.Name : null, request.HasDescription ? request.Description : null),
            context.CancellationToken).ConfigureAwait(false));

    public override async Task<Empty> Delete(ApiPb.IdRequest request, ServerCallContext context)
    {
        await service.DeleteApplicationAsync(ManagementGrpcInterceptor.Caller(context), request.Id, context.CancellationToken).ConfigureAwait(false);
        return new Empty();
    }

    public override async Task<ApiPb.ListApplicationsResponse> List(ApiPb.ListRequest request, ServerCallContext context)
    {
        var page = await service.ListApplicationsAsync(ManagementGrpcInterceptor.Caller(context), PageSize(request.PageSize), NullIfEmpty(request.PageToken), context.CancellationToken).ConfigureAwait(false);
        return new ApiPb.ListApplicationsResponse { Items = { page.Items.Select(ToProto) }, NextPageToken = Token(page.NextPageToken) };
    }
}

public sealed class DeviceProfileGrpcService(ManagementService service) : ApiPb.DeviceProfileService.DeviceProfileServiceBase
{
    public override async Task<ApiPb.DeviceProfile> Create(ApiPb.CreateDeviceProfileRequest request, ServerCallContext context) =>
        ToProto(await service.CreateProfileAsync(
            ManagementGrpcInterceptor.Caller(context),
            new DeviceProfileRequest(
                request.Name,
                request.Region,
                request.HasMacVersion ? request.MacVersion : null,
                request.HasSupportsOtaa ? request.SupportsOtaa : null,
                request.HasSupportsClassC ? request.SupportsClassC : null,
                request.HasMaxCopies ? request.MaxCopies : null),
            context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.DeviceProfile> Get(ApiPb.IdRequest request, ServerCallContext context) =>
        ToProto(await service.GetProfileAsync(ManagementGrpcInterceptor.Caller(context), request.Id, context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.DeviceProfile> Update(ApiPb.UpdateDeviceProfileRequest request, ServerCallContext context) =>
        ToProto(await service.UpdateProfileAsync(
            ManagementGrpcInterceptor.Caller(context),
            request.Id,
            new DeviceProfileRequest(
                request.HasName ? request.Name : null,
                request.HasRegion ? request.Region : null,
                request.HasMacVersion ? request.MacVersion : null,
                request.HasSupportsOtaa ? request.SupportsOtaa : null,
                request.HasSupportsClassC ? request.SupportsClassC : null,
                request.HasMaxCopies ? request.MaxCopies : null),
            context.CancellationToken).ConfigureAwait(false));

    public override async Task<Empty> Delete(ApiPb.IdRequest request, ServerCallContext context)
    {
        await service.DeleteProfileAsync(ManagementGrpcInterceptor.Caller(context), request.Id, context.CancellationToken).ConfigureAwait(false);
        return new Empty();
    }

    public override async Task<ApiPb.ListDeviceProfilesResponse> List(ApiPb.ListRequest request, ServerCallContext context)
    {
        var page = await service.ListProfilesAsync(ManagementGrpcInterceptor.Caller(context), PageSize(request.PageSize), NullIfEmpty(request.PageToken), context.CancellationToken).ConfigureAwait(false);
        return new ApiPb.ListDeviceProfilesResponse { Items = { page.Items.Select(ToProto) }, NextPageToken = Token(page.NextPageToken) };
    }
}

public sealed class DeviceGrpcService(ManagementService service) : ApiPb.DeviceService.DeviceServiceBase
{
    public override async Task<ApiPb.Device> Create(ApiPb.CreateDeviceRequest request, ServerCallContext context) =>
        ToProto(await service.CreateDeviceAsync(
            ManagementGrpcInterceptor.Caller(context),
            new CreateDeviceRequest(
                request.DevEui,
                request.ApplicationId,
                request.ProfileId,
                request.Name,
                NullIfEmpty(request.JoinEui),
                request.HasAppKey ? request.AppKey : null,
                request.HasNwkKey ? request.NwkKey : null,
                request.Disabled,
                FromProto(request.Location)),
            context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.Device> Get(ApiPb.DevEuiRequest request, ServerCallContext context) =>
        ToProto(await service.GetDeviceAsync(ManagementGrpcInterceptor.Caller(context), request.DevEui, context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.Device> Update(ApiPb.UpdateDeviceRequest request, ServerCallContext context) =>
        ToProto(await service.UpdateDeviceAsync(
            ManagementGrpcInterceptor.Caller(context),
            request.DevEui,
            new UpdateDeviceRequest(
                request.HasProfileId ? request.ProfileId : null,
                request.HasName ? request.Name : null,
                request.HasJoinEui ? request.JoinEui : null,
                request.HasDisabled ? request.Disabled : null,
                FromProto(request.Location)),
            context.CancellationToken).ConfigureAwait(false));

    public override async Task<Empty> Delete(ApiPb.DevEuiRequest request, ServerCallContext context)
    {
        await service.DeleteDeviceAsync(ManagementGrpcInterceptor.Caller(context), request.DevEui, context.CancellationToken).ConfigureAwait(false);
        return new Empty();
    }

    public override async Task<ApiPb.ListDevicesResponse> List(ApiPb.ListDevicesRequest request, ServerCallContext context)
    {
        var page = await service.ListDevicesAsync(ManagementGrpcInterceptor.Caller(context), request.ApplicationId, PageSize(request.PageSize), NullIfEmpty(request.PageToken), context.CancellationToken).ConfigureAwait(false);
        return new ApiPb.ListDevicesResponse { Items = { page.Items.Select(ToProto) }, NextPageToken = Token(page.NextPageToken) };
    }

    public override async Task<ApiPb.DeviceKeys> GetKeys(ApiPb.DevEuiRequest request, ServerCallContext context) =>
        ToProto(await service.GetDeviceKeysAsync(ManagementGrpcInterceptor.Caller(context), request.DevEui, context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.DeviceKeys> SetKeys(ApiPb.SetDeviceKeysRequest request, ServerCallContext context) =>
        ToProto(await service.SetDeviceKeysAsync(
            ManagementGrpcInterceptor.Caller(context),
            request.DevEui,
            new DeviceKeysRequest(request.HasAppKey ? request.AppKey : null, request.HasNwkKey ? request.NwkKey : null),
            context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.Activation> Activate(ApiPb.ActivateDeviceRequest request, ServerCallContext context) =>
        ToProto(await service.ActivateDeviceAsync(
            ManagementGrpcInterceptor.Caller(context),
            request.DevEui,
            new ActivateDeviceRequest(
                request.DevAddr,
                request.HasNwkSKey ? request.NwkSKey : null,
                request.HasFNwkSIntKey ? request.FNwkSIntKey : null,
                request.HasSNwkSIntKey ? request.SNwkSIntKey : null,
                request.HasNwkSEncKey ? request.NwkSEncKey : null,
                request.AppSKey,
                request.HasFCntUp ? request.FCntUp : null,
                request.HasNFCntDown ? request.NFCntDown : null,
                request.HasAFCntDown ? request.AFCntDown : null),
            context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.Activation> GetActivation(ApiPb.DevEuiRequest request, ServerCallContext context) =>
        ToProto(await service.GetActivationAsync(ManagementGrpcInterceptor.Caller(context), request.DevEui, context.CancellationToken).ConfigureAwait(false));

    public override async Task<Empty> Deactivate(ApiPb.DevEuiRequest request, ServerCallContext context)
    {
        await service.DeactivateDeviceAsync(ManagementGrpcInterceptor.Caller(context), request.DevEui, context.CancellationToken).ConfigureAwait(false);
        return new Empty();
    }

    public override async Task<ApiPb.ListRecentFramesResponse> ListRecentFrames(ApiPb.DevEuiRequest request, ServerCallContext context)
    {
        var frames = await service.ListRecentFramesAsync(ManagementGrpcInterceptor.Caller(context), request.DevEui, context.CancellationToken).ConfigureAwait(false);
        return new ApiPb.ListRecentFramesResponse { Items = { frames.Items.Select(ToProto) } };
    }

    public override async Task<ApiPb.QueuedDownlink> Enqueue(ApiPb.EnqueueDownlinkRequest request, ServerCallContext context) =>
        ToProto(await service.EnqueueDownlinkAsync(
            ManagementGrpcInterceptor.Caller(context),
            request.DevEui,
            new EnqueueDownlinkRequest(request.FPort, request.Data.ToBase64(), request.Confirmed),
            context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.ListQueueResponse> ListQueue(ApiPb.DevEuiRequest request, ServerCallContext context)
    {
        var items = await service.ListDownlinksAsync(ManagementGrpcInterceptor.Caller(context), request.DevEui, context.CancellationToken).ConfigureAwait(false);
        return new ApiPb.ListQueueResponse { Items = { items.Items.Select(ToProto) } };
    }

    public override async Task<Empty> FlushQueue(ApiPb.DevEuiRequest request, ServerCallContext context)
    {
        await service.FlushDownlinksAsync(ManagementGrpcInterceptor.Caller(context), request.DevEui, context.CancellationToken).ConfigureAwait(false);
        return new Empty();
    }
}

public sealed class GatewayGrpcService(ManagementService service) : ApiPb.GatewayService.GatewayServiceBase
{
    public override async Task<ApiPb.Gateway> Create(ApiPb.CreateGatewayRequest request, ServerCallContext context) =>
        ToProto(await service.CreateGatewayAsync(
            ManagementGrpcInterceptor.Caller(context),
            new GatewayRequest(NullIfEmpty(request.GatewayId), request.Name, request.Region, FromProto(request.Location), request.AntennaGainDbi10, request.ElevationMetres, request.Denied, NullIfEmpty(request.HeliumAddress)),
            context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.Gateway> Get(ApiPb.GatewayIdRequest request, ServerCallContext context) =>
        ToProto(await service.GetGatewayAsync(ManagementGrpcInterceptor.Caller(context), request.GatewayId, context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.Gateway> Update(ApiPb.UpdateGatewayRequest request, ServerCallContext context) =>
        ToProto(await service.UpdateGatewayAsync(
            ManagementGrpcInterceptor.Caller(context),
            request.GatewayId,
            new GatewayRequest(
                null,
                request.HasName ? request.Name : null,
                request.HasRegion ? request.Region : null,
                FromProto(request.Location),
                request.HasAntennaGainDbi10 ? request.AntennaGainDbi10 : null,
                request.HasElevationMetres ? request.ElevationMetres : null,
                request.HasDenied ? request.Denied : null),
            context.CancellationToken).ConfigureAwait(false));

    public override async Task<Empty> Delete(ApiPb.GatewayIdRequest request, ServerCallContext context)
    {
        await service.DeleteGatewayAsync(ManagementGrpcInterceptor.Caller(context), request.GatewayId, context.CancellationToken).ConfigureAwait(false);
        return new Empty();
    }

    public override async Task<ApiPb.ListGatewaysResponse> List(ApiPb.ListRequest request, ServerCallContext context)
    {
        var page = await service.ListGatewaysAsync(ManagementGrpcInterceptor.Caller(context), PageSize(request.PageSize), NullIfEmpty(request.PageToken), context.CancellationToken).ConfigureAwait(false);
        return new ApiPb.ListGatewaysResponse { Items = { page.Items.Select(ToProto) }, NextPageToken = Token(page.NextPageToken) };
    }
}
