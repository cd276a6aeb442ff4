using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Routing;

namespace WirelessNet.Lns.Api;

/// <summary>
/// The JSON-over-HTTP front end under <c>/api</c>. Handlers are plain request delegates: bodies are read and
/// written through <see cref="ManagementJsonContext"/> (source-generated), and every failure, including malformed
/// JSON, answers with <c>{"error": "…"}</c> and a status matching the gRPC code of the same failure.
/// </summary>
internal static class ManagementHttpEndpoints
{
    // Management bodies are small; refusing large ones early keeps a client from making the server buffer megabytes.
    private const long MaxBodyBytes = 64 * 1024;

    private static ManagementJsonContext Json => ManagementJsonContext.Default;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");

        // Tenants and API keys
        api.MapPost("/tenants", ctx => Run(ctx, async (s, c, ct) =>
            Created(await s.CreateTenantAsync(c, await BodyAsync(ctx, Json.CreateTenantRequest, ct), ct), Json.TenantResponse)));
        api.MapGet("/tenants", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.ListTenantsAsync(c, PageSize(ctx), Query(ctx, "pageToken"), ct), Json.ListResponseTenantResponse)));
        api.MapGet("/tenants/{tenantId}", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.GetTenantAsync(c, Route(ctx, "tenantId"), ct), Json.TenantResponse)));
        api.MapPut("/tenants/{tenantId}", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.UpdateTenantAsync(c, Route(ctx, "tenantId"), await BodyAsync(ctx, Json.CreateTenantRequest, ct), ct), Json.TenantResponse)));
        api.MapDelete("/tenants/{tenantId}", ctx => Run(ctx, async (s, c, ct) =>
        {
            await s.DeleteTenantAsync(c, Route(ctx, "tenantId"), ct);
            return Results.NoContent();
        }));
        api.MapPost("/tenants/{tenantId}/api-keys", ctx => Run(ctx, async (s, c, ct) =>
            Created(await s.CreateApiKeyAsync(c, Route(ctx, "tenantId"), await BodyAsync(ctx, Json.CreateApiKeyRequest, ct), ct), Json.ApiKeyResponse)));
        api.MapGet("/tenants/{tenantId}/api-keys", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.ListApiKeysAsync(c, Route(ctx, "tenantId"), PageSize(ctx), Query(ctx, "pageToken"), ct), Json.ListResponseApiKeyResponse)));
        api.MapDelete("/tenants/{tenantId}/api-keys/{keyId}", ctx => Run(ctx, async (s, c, ct) =>
        {
            await s.DeleteApiKeyAsync(c, Route(ctx, "tenantId"), Route(ctx, "keyId"), ct);
            return Results.NoContent();
        }));

        // Applications
        api.MapPost("/applications", ctx => Run(ctx, async (s, c, ct) =>
            Created(await s.CreateApplicationAsync(c, await BodyAsync(ctx, Json.ApplicationRequest, ct), ct), Json.ApplicationResponse)));
        api.MapGet("/applications", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.ListApplicationsAsync(c, PageSize(ctx), Query(ctx, "pageToken"), ct), Json.ListResponseApplicationResponse)));
        api.MapGet("/applications/{applicationId}", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.GetApplicationAsync(c, Route(ctx, "applicationId"), ct), Json.ApplicationResponse)));
        api.MapPut("/applications/{applicationId}", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.UpdateApplicationAsync(c, Route(ctx, "applicationId"), await BodyAsync(ctx, Json.ApplicationRequest, ct), ct), Json.ApplicationResponse)));
        api.MapDelete("/applications/{applicationId}", ctx => Run(ctx, async (s, c, ct) =>
        {
            await s.DeleteApplicationAsync(c, Route(ctx, "applicationId"), ct);
            return Results.NoContent();
        }));

        // Device profiles
        api.MapPost("/device-profiles", ctx => Run(ctx, async (s, c, ct) =>
            Created(await s.CreateProfileAsync(c, await BodyAsync(ctx, Json.DeviceProfileRequest, ct), ct), Json.DeviceProfileResponse)));
        api.MapGet("/device-profiles", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.ListProfilesAsync(c, PageSize(ctx), Query(ctx, "pageToken"), ct), Json.ListResponseDeviceProfileResponse)));
        api.MapGet("/device-profiles/{profileId}", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.GetProfileAsync(c, Route(ctx, "profileId"), ct), Json.DeviceProfileResponse)));
        api.MapPut("/device-profiles/{profileId}", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.UpdateProfileAsync(c, Route(ctx, "profileId"), await BodyAsync(ctx, Json.DeviceProfileRequest, ct), ct), Json.DeviceProfileResponse)));
        api.MapDelete("/device-profiles/{profileId}", ctx => Run(ctx, async (s, c, ct) =>
        {
            await s.DeleteProfileAsync(c, Route(ctx, "profileId"), ct);
            return Results.NoContent();
        }));

        // Devices
        api.MapPost("/devices", ctx => Run(ctx, async (s, c, ct) =>
            Created(await s.CreateDeviceAsync(c, await BodyAsync(ctx, Json.CreateDeviceRequest, ct), ct), Json.DeviceResponse)));
        api.MapGet("/devices", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.ListDevicesAsync(c, Query(ctx, "applicationId"), PageSize(ctx), Query(ctx, "pageToken"), ct), Json.ListResponseDeviceResponse)));
        api.MapGet("/devices/{devEui}", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.GetDeviceAsync(c, Route(ctx, "devEui"), ct), Json.DeviceResponse)));
        api.MapPut("/devices/{devEui}", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.UpdateDeviceAsync(c, Route(ctx, "devEui"), await BodyAsync(ctx, Json.UpdateDeviceRequest, ct), ct), Json.DeviceResponse)));
        api.MapDelete("/devices/{devEui}", ctx => Run(ctx, async (s, c, ct) =>
        {
            await s.DeleteDeviceAsync(c, Route(ctx, "devEui"), ct);
            return Results.NoContent();
        }));
        api.MapGet("/devices/{devEui}/keys", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.GetDeviceKeysAsync(c, Route(ctx, "devEui"), ct), Json.DeviceKeysResponse)));
        api.MapPut("/devices/{devEui}/keys", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.SetDeviceKeysAsync(c, Route(ctx, "devEui"), await BodyAsync(ctx, Json.DeviceKeysRequest, ct), ct), Json.DeviceKeysResponse)));
        api.MapPut("/devices/{devEui}/activation", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.ActivateDeviceAsync(c, Route(ctx, "devEui"), await BodyAsync(ctx, Json.ActivateDeviceRequest, ct), ct), Json.ActivationResponse)));
        api.MapGet("/devices/{devEui}/activation", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.GetActivationAsync(c, Route(ctx, "devEui"), ct), Json.ActivationResponse)));
        api.MapDelete("/devices/{devEui}/activation", ctx => Run(ctx, async (s, c, ct) =>
        {
            await s.DeactivateDeviceAsync(c, Route(ctx, "devEui"), ct);
            return Results.NoContent();
        }));
        api.MapGet("/devices/{devEui}/frame-counters", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.GetFrameCountersAsync(c, Route(ctx, "devEui"), ct), Json.FrameCountersResponse)));
        api.MapGet("/devices/{devEui}/frames", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.ListRecentFramesAsync(c, Route(ctx, "devEui"), ct), Json.ListResponseRecentFrameResponse)));
        api.MapPost("/devices/{devEui}/queue", ctx => Run(ctx, async (s, c, ct) =>
            Created(await s.EnqueueDownlinkAsync(c, Route(ctx, "devEui"), await BodyAsync(ctx, Json.EnqueueDownlinkRequest, ct), ct), Json.QueuedDownlinkResponse)));
        api.MapGet("/devices/{devEui}/queue", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.ListDownlinksAsync(c, Route(ctx, "devEui"), ct), Json.ListResponseQueuedDownlinkResponse)));
        api.MapDelete("/devices/{devEui}/queue", ctx => Run(ctx, async (s, c, ct) =>
        {
            await s.FlushDownlinksAsync(c, Route(ctx, "devEui"), ct);
            return Results.NoContent();
        }));

        // Gateways
        api.MapPost("/gateways", ctx => Run(ctx, async (s, c, ct) =>
            Created(await s.CreateGatewayAsync(c, await BodyAsync(ctx, Json.GatewayRequest, ct), ct), Json.GatewayResponse)));
        api.MapGet("/gateways", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.ListGatewaysAsync(c, PageSize(ctx), Query(ctx, "pageToken"), ct), Json.ListResponseGatewayResponse)));
        api.MapGet("/gateways/{gatewayId}", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.GetGatewayAsync(c, Route(ctx, "gatewayId"), ct), Json.GatewayResponse)));
        api.MapPut("/gateways/{gatewayId}", ctx => Run(ctx, async (s, c, ct) =>
            Ok(await s.UpdateGatewayAsync(c, Route(ctx, "gatewayId"), await BodyAsync(ctx, Json.GatewayRequest, ct), ct), Json.GatewayResponse)));
        api.MapDelete("/gateways/{gatewayId}", ctx => Run(ctx, async (s, c, ct) =>
        {
            await s.DeleteGatewayAsync(c, Route(ctx, "gatewayId"), ct);
            return Results.NoContent();
        }));
    }

    // Authenticates, runs the operation, and turns refusals into { "error": … } with the matching status.
    private static async Task Run(HttpContext context, Func<ManagementService, ApiCaller, CancellationToken, Task<IResult>> operation)
    {
        var ct = context.RequestAborted;
        IResult result;
        var authenticator = context.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
        var caller = await authenticator.AuthenticateAsync(context.Request.Headers.Authorization.ToString(), ct).ConfigureAwait(false);
        if (caller is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            result = Error(StatusCodes.Status401Unauthorized, "missing or invalid API key");
        }
        else
        {
            try
            {
                result = await operation(context.RequestServices.GetRequiredService<ManagementService>(), caller, ct).ConfigureAwait(false);
            }
            catch (ApiException e)
            {
                result = Error(e.HttpStatus, e.Message);
            }
        }

        await result.ExecuteAsync(context).ConfigureAwait(false);
    }

    internal static IResult Ok<T>(T value, JsonTypeInfo<T> type) => Results.Json(value, type);

    private static IResult Created<T>(T value, JsonTypeInfo<T> type) => Results.Json(value, type, statusCode: StatusCodes.Status201Created);

    internal static IResult Error(int status, string message) => Results.Json(new ErrorResponse(message), Json.ErrorResponse, statusCode: status);

    internal static string? Route(HttpContext context, string name) => context.Request.RouteValues[name] as string;

    internal static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    internal static int? PageSize(HttpContext context)
    {
        var text = Query(context, "pageSize");
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0
            ? size
            : throw ApiException.Invalid($"pageSize must be between 1 and {ApiValidation.MaxPageSize}");
    }

    private static async Task<T> BodyAsync<T>(HttpContext context, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            throw ApiException.Invalid($"request body must be at most {MaxBodyBytes} bytes");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, cancellationToken).ConfigureAwait(false)
                ?? throw ApiException.Invalid("request body must be a JSON object");
        }
        catch (JsonException e)
        {
            // The path and position say where; the message never quotes the offending value (it could be a key).
            throw ApiException.Invalid($"request body is not valid JSON (at {e.Path ?? "$"}, line {e.LineNumber}, position {e.BytePositionInLine})");
        }
    }
}
