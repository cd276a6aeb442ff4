using System.Globalization;
using Microsoft.AspNetCore.Routing;
using static WirelessNet.Lns.Api.ManagementHttpEndpoints;

namespace WirelessNet.Lns.Api;

/// <summary>
/// Metered usage as JSON under <c>/api/usage</c> (<see cref="UsageQueries"/>): same authentication and error
/// answers as the rest of <c>/api</c>; <c>from</c> and <c>to</c> are ISO 8601 times (UTC unless an offset is given).
/// </summary>
internal static class UsageHttpEndpoints
{
    private static ManagementJsonContext Json => ManagementJsonContext.Default;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var usage = endpoints.MapGroup("/api/usage");
        usage.MapGet("/tenants", ctx => Run(ctx, async (q, c, ct) =>
            Ok(await q.ListTenantUsageAsync(c, Time(ctx, "from"), Time(ctx, "to"), PageSize(ctx), Query(ctx, "pageToken"), ct), Json.ListResponseTenantUsageResponse)));
        usage.MapGet("/tenants/{tenantId}", ctx => Run(ctx, async (q, c, ct) =>
            Ok(await q.GetTenantUsageAsync(c, Route(ctx, "tenantId"), Time(ctx, "from"), Time(ctx, "to"), ct), Json.TenantUsageResponse)));
        usage.MapGet("/gateways", ctx => Run(ctx, async (q, c, ct) =>
            Ok(await q.ListGatewayUsageAsync(c, Query(ctx, "tenantId"), Time(ctx, "from"), Time(ctx, "to"), PageSize(ctx), Query(ctx, "pageToken"), ct), Json.ListResponseGatewayUsageResponse)));
        usage.MapGet("/gateways/{gatewayId}", ctx => Run(ctx, async (q, c, ct) =>
            Ok(await q.GetGatewayUsageAsync(c, Route(ctx, "gatewayId"), Time(ctx, "from"), Time(ctx, "to"), ct), Json.GatewayUsageResponse)));
    }

    private static DateTimeOffset? Time(HttpContext context, string name)
    {
        var text = Query(context, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw ApiException.Invalid($"{name} must be an ISO 8601 time, e.g. 2026-11-26T10:00:00Z");
    }

    private static async Task Run(HttpContext context, Func<UsageQueries, ApiCaller, CancellationToken, Task<IResult>> operation)
    {
        var ct = context.RequestAborted;
        IResult result;
        var caller = await context.RequestServices.GetRequiredService<ApiKeyAuthenticator>()
            .AuthenticateAsync(context.Request.Headers.Authorization.ToString(), ct).ConfigureAwait(false);
        if (caller is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            result = Error(StatusCodes.Status401Unauthorized, "missing or invalid API key");
        }
        else
        {
            try
            {
                result = await operation(context.RequestServices.GetRequiredService<UsageQueries>(), caller, ct).ConfigureAwait(false);
            }
            catch (ApiException e)
            {
                result = Error(e.HttpStatus, e.Message);
            }
        }

        await result.ExecuteAsync(context).ConfigureAwait(false);
    }
}
