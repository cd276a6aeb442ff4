using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Api;

namespace WirelessNet.Lns.Offload;

/// <summary>Who calls the offload API: the operator (admin key, <see cref="CarrierId"/> null) or one carrier's partner key.</summary>
internal sealed record OffloadCaller(string? CarrierId)
{
    /// <summary>The caller of an <c>Authorization: Bearer …</c> value, or null when it names no valid key.</summary>
    public static async Task<OffloadCaller?> AuthenticateAsync(string? authorization, IServiceProvider services, CancellationToken cancellationToken)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var key = authorization[scheme.Length..].Trim();
        if (key.Length is 0 or > 512)
        {
            return null;
        }

        var hash = ApiKeys.Hash(key);
        var adminKey = services.GetRequiredService<IOptions<ManagementApiOptions>>().Value.AdminKey;
        if (!string.IsNullOrEmpty(adminKey) && CryptographicOperations.FixedTimeEquals(hash, ApiKeys.Hash(adminKey)))
        {
            return new OffloadCaller((string?)null);
        }

        if (!ApiKeys.TryGetKeyId(key, out var keyId))
        {
            return null;
        }

        var record = await services.GetRequiredService<IOffloadStore>().GetPartnerKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
        return record is not null && CryptographicOperations.FixedTimeEquals(hash, record.KeyHash) ? new OffloadCaller(record.CarrierId) : null;
    }

    /// <summary>True when the caller may read and dispute <paramref name="carrierId"/>'s data.</summary>
    public bool MaySee(string carrierId) => CarrierId is null || string.Equals(CarrierId, carrierId, StringComparison.Ordinal);
}
