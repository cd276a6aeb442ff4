using Grpc.Core;
using static WirelessNet.Lns.Api.Grpc.GrpcMapping;
using ApiPb = WirelessNet.Proto.Api;

namespace WirelessNet.Lns.Api.Grpc;

/// <summary>The gRPC front end of <see cref="UsageQueries"/> (<c>wirelessnet.api.UsageService</c>).</summary>
public sealed class UsageGrpcService(UsageQueries queries) : ApiPb.UsageService.UsageServiceBase
{
    public override async Task<ApiPb.ListTenantUsageResponse> ListTenantUsage(ApiPb.ListUsageRequest request, ServerCallContext context)
    {
        var page = await queries.ListTenantUsageAsync(ManagementGrpcInterceptor.Caller(context), From(request.From), From(request.To), PageSize(request.PageSize), NullIfEmpty(request.PageToken), context.CancellationToken).ConfigureAwait(false);
        return new ApiPb.ListTenantUsageResponse { Items = { page.Items.Select(ToProto) }, NextPageToken = Token(page.NextPageToken) };
    }

    public override async Task<ApiPb.TenantUsage> GetTenantUsage(ApiPb.UsageRequest request, ServerCallContext context) =>
        ToProto(await queries.GetTenantUsageAsync(ManagementGrpcInterceptor.Caller(context), request.Id, From(request.From), From(request.To), context.CancellationToken).ConfigureAwait(false));

    public override async Task<ApiPb.ListGatewayUsageResponse> ListGatewayUsage(ApiPb.ListUsageRequest request, ServerCallContext context)
    {
        var page = await queries.ListGatewayUsageAsync(ManagementGrpcInterceptor.Caller(context), NullIfEmpty(request.TenantId), From(request.From), From(request.To), PageSize(request.PageSize), NullIfEmpty(request.PageToken), context.CancellationToken).ConfigureAwait(false);
        return new ApiPb.ListGatewayUsageResponse { Items = { page.Items.Select(ToProto) }, NextPageToken = Token(page.NextPageToken) };
    }

    public override async Task<ApiPb.GatewayUsage> GetGatewayUsage(ApiPb.UsageRequest request, ServerCallContext context) =>
        ToProto(await queries.GetGatewayUsageAsync(ManagementGrpcInterceptor.Caller(context), request.Id, From(request.From), From(request.To), context.CancellationToken).ConfigureAwait(false));

    private static DateTimeOffset? From(Google.Protobuf.WellKnownTypes.Timestamp? at) => at?.ToDateTimeOffset();

    private static ApiPb.TenantUsage ToProto(TenantUsageResponse u) =>
        new() { TenantId = u.TenantId, Total = ToProto(u.Total), Hours = { u.Hours.Select(ToProto) } };

    private static ApiPb.GatewayUsage ToProto(GatewayUsageResponse u) =>
        new() { GatewayId = u.GatewayId, TenantId = u.TenantId, Total = ToProto(u.Total), Hours = { u.Hours.Select(ToProto) } };

    private static ApiPb.UsageTotals ToProto(UsageTotalsDto t) => new() { Copies = t.Copies, Bytes = t.Bytes, DataCredits = t.DataCredits };

    private static ApiPb.UsageHour ToProto(UsageHourDto h) =>
        new() { Hour = Time(h.Hour), Copies = h.Copies, Bytes = h.Bytes, DataCredits = h.DataCredits };
}
