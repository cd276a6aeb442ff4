namespace WirelessNet.Lns.Api;

// Metered usage (data credits) as the API shows it; see UsageQueries.

/// <summary>One UTC hour with charges.</summary>
public sealed record UsageHourDto(DateTimeOffset Hour, long Copies, long Bytes, long DataCredits);

/// <summary>Sums over the hours of a range.</summary>
public sealed record UsageTotalsDto(long Copies, long Bytes, long DataCredits);

public sealed record TenantUsageResponse(string TenantId, UsageTotalsDto Total, IReadOnlyList<UsageHourDto> Hours);

/// <param name="TenantId">The owning tenant; empty for a gateway no longer provisioned (admin key only).</param>
public sealed record GatewayUsageResponse(string GatewayId, string TenantId, UsageTotalsDto Total, IReadOnlyList<UsageHourDto> Hours);
