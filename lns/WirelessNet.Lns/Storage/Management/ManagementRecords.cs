namespace WirelessNet.Lns.Storage.Management;

/// <summary>An organisation using the network: owns applications, device profiles, gateways and API keys.</summary>
public sealed record Tenant
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A group of devices of one tenant (integrations and downlinks are per application).</summary>
public sealed record Application
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required string Name { get; init; }

    public string Description { get; init; } = string.Empty;

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// A tenant API key as stored: only the SHA-256 of the secret key. The key itself is shown once, at creation, and
/// cannot be recovered from this record.
/// </summary>
public sealed record ApiKeyRecord
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required string Name { get; init; }

    /// <summary>SHA-256 of the whole key string (UTF-8).</summary>
    public required byte[] KeyHash { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Who owns a device: the tenant and the application it is listed under.</summary>
public readonly record struct DeviceOwner(string TenantId, string ApplicationId);

/// <summary>
/// One page of a listing. <see cref="NextCursor"/> is the last item's sort key when more items may follow, to be
/// passed back as the cursor of the next call; null on the last page.
/// </summary>
public sealed record DirectoryPage<T>(IReadOnlyList<T> Items, string? NextCursor);
