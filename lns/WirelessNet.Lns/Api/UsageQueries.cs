using Microsoft.Extensions.Options;
using WirelessNet.Lns.Metering;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Storage.Management;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Api;

/// <summary>
/// Metered usage through the management API: per tenant and per gateway, per UTC hour, from <see cref="IPacketMeter"/>.
/// A tenant key sees its own tenant and the gateways it owns (others are "not found", as elsewhere in the API); the
/// admin key sees every tenant and gateway.
/// </summary>
public sealed class UsageQueries(
    IPacketMeter meter,
    ITenantDirectory directory,
    IDeviceRegistry registry,
    IOptions<MeteringOptions> meteringOptions,
    IOptions<ManagementApiOptions> apiOptions,
    TimeProvider time)
{
    /// <summary>
    /// Hours one page of a list may read (items × hours of the range): a page of a list over a long range holds fewer
    /// items, so that one request never reads more than this many counters.
    /// </summary>
    internal const int MaxHourReadsPerPage = 10_000;

    private static readonly TimeSpan DefaultSpan = TimeSpan.FromHours(23);

    private int DefaultPageSize => apiOptions.Value.DefaultPageSize is >= 1 and <= ApiValidation.MaxPageSize ? apiOptions.Value.DefaultPageSize : 100;

    /// <summary>Every tenant for the admin key (paged), only its own for a tenant key.</summary>
    public async ValueTask<ListResponse<TenantUsageResponse>> ListTenantUsageAsync(ApiCaller caller, DateTimeOffset? from, DateTimeOffset? to, int? pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var range = Range(from, to);
        var cursor = PageTokens.Decode(pageToken);
        if (!caller.IsAdmin)
        {
            var own = caller.RequireTenant();
            return new ListResponse<TenantUsageResponse>(cursor is null ? [await TenantAsync(own, range, cancellationToken).ConfigureAwait(false)] : [], null);
        }

        var page = await directory.ListTenantsAsync(cursor, ItemsPerPage(pageSize, range), cancellationToken).ConfigureAwait(false);
        var items = new List<TenantUsageResponse>(page.Items.Count);
        foreach (var tenant in page.Items)
        {
            items.Add(await TenantAsync(tenant.Id, range, cancellationToken).ConfigureAwait(false));
        }

        return new ListResponse<TenantUsageResponse>(items, PageTokens.Encode(page.NextCursor));
    }

    public async ValueTask<TenantUsageResponse> GetTenantUsageAsync(ApiCaller caller, string? tenantId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var id = await VisibleTenantAsync(caller, tenantId, cancellationToken).ConfigureAwait(false);
        return await TenantAsync(id, Range(from, to), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The gateways of a tenant, paged: the caller's own, or (admin key) the tenant named.</summary>
    public async ValueTask<ListResponse<GatewayUsageResponse>> ListGatewayUsageAsync(ApiCaller caller, string? tenantId, DateTimeOffset? from, DateTimeOffset? to, int? pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAdmin && string.IsNullOrEmpty(tenantId))
        {
            throw ApiException.Invalid("tenantId is required with the admin key");
        }

        var id = await VisibleTenantAsync(caller, string.IsNullOrEmpty(tenantId) ? caller.TenantId : tenantId, cancellationToken).ConfigureAwait(false);
        var range = Range(from, to);
        var page = await directory.ListGatewaysAsync(id, PageTokens.Decode(pageToken), ItemsPerPage(pageSize, range), cancellationToken).ConfigureAwait(false);
        var items = new List<GatewayUsageResponse>(page.Items.Count);
        foreach (var gatewayId in page.Items)
        {
            items.Add(await GatewayAsync(gatewayId, id, range, cancellationToken).ConfigureAwait(false));
        }

        return new ListResponse<GatewayUsageResponse>(items, PageTokens.Encode(page.NextCursor));
    }

    public async ValueTask<GatewayUsageResponse> GetGatewayUsageAsync(ApiCaller caller, string? gatewayId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var eui = ApiValidation.Eui(gatewayId, "gatewayId");
        var range = Range(from, to);
        var gateway = await registry.GetGatewayAsync(eui, cancellationToken).ConfigureAwait(false);
        if (caller.IsAdmin)
        {
            // A deleted hotspot's earnings stay readable to the operator.
            return await GatewayAsync(eui, gateway?.TenantId ?? string.Empty, range, cancellationToken).ConfigureAwait(false);
        }

        var tenantId = caller.RequireTenant();
        return gateway is not null && gateway.TenantId == tenantId
            ? await GatewayAsync(eui, tenantId, range, cancellationToken).ConfigureAwait(false)
            : throw ApiException.NotFound("gateway");
    }

    /// <summary>The hours asked for, validated: default the 24 hours up to now; at most <c>Metering:MaxQueryHours</c>.</summary>
    internal (DateTimeOffset From, DateTimeOffset To, int Hours) Range(DateTimeOffset? from, DateTimeOffset? to)
    {
        var last = MeterHours.Truncate(to ?? time.GetUtcNow());
        var first = MeterHours.Truncate(from ?? last - DefaultSpan);
        if (first > last)
        {
            throw ApiException.Invalid("from must not be after to");
        }

        var hours = (last - first).TotalHours + 1;
        var max = meteringOptions.Value.MaxQueryHours;
        return hours <= max ? (first, last, (int)hours) : throw ApiException.Invalid($"the range spans {hours} hours; at most {max} may be asked for at once");
    }

    private int ItemsPerPage(int? pageSize, (DateTimeOffset From, DateTimeOffset To, int Hours) range) =>
        Math.Min(ApiValidation.PageSize(pageSize, DefaultPageSize), Math.Max(1, MaxHourReadsPerPage / range.Hours));

    private async ValueTask<string> VisibleTenantAsync(ApiCaller caller, string? tenantId, CancellationToken cancellationToken)
    {
        var id = ApiValidation.Id(tenantId, "tenantId");
        if (!caller.IsAdmin && caller.TenantId != id)
        {
            throw ApiException.NotFound("tenant");
        }

        return await directory.GetTenantAsync(id, cancellationToken).ConfigureAwait(false) is not null ? id : throw ApiException.NotFound("tenant");
    }

    private async ValueTask<TenantUsageResponse> TenantAsync(string tenantId, (DateTimeOffset From, DateTimeOffset To, int Hours) range, CancellationToken cancellationToken)
    {
        var hours = await meter.GetTenantHoursAsync(tenantId, range.From, range.To, cancellationToken).ConfigureAwait(false);
        return new TenantUsageResponse(tenantId, Total(hours), ToDtos(hours));
    }

    private async ValueTask<GatewayUsageResponse> GatewayAsync(Eui64 gatewayId, string tenantId, (DateTimeOffset From, DateTimeOffset To, int Hours) range, CancellationToken cancellationToken)
    {
        var hours = await meter.GetGatewayHoursAsync(gatewayId, range.From, range.To, cancellationToken).ConfigureAwait(false);
        return new GatewayUsageResponse(gatewayId.ToString(), tenantId, Total(hours), ToDtos(hours));
    }

    private static UsageTotalsDto Total(IReadOnlyList<MeterHour> hours) =>
        new(hours.Sum(h => h.Copies), hours.Sum(h => h.Bytes), hours.Sum(h => h.DataCredits));

    private static UsageHourDto[] ToDtos(IReadOnlyList<MeterHour> hours) =>
        [.. hours.Select(h => new UsageHourDto(h.Hour, h.Copies, h.Bytes, h.DataCredits))];
}
