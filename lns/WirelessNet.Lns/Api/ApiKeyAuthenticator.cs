using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Storage.Management;

namespace WirelessNet.Lns.Api;

/// <summary>Who is calling: the operator's admin key, or a key of one tenant.</summary>
public sealed record ApiCaller(bool IsAdmin, string? TenantId)
{
    public static ApiCaller Admin { get; } = new(true, null);

    /// <summary>The caller's tenant; the admin key manages tenants only, so it cannot act inside one.</summary>
    public string RequireTenant() => TenantId ?? throw new ApiException(
        ApiErrorKind.PermissionDenied, "the admin key manages tenants and API keys only; use a tenant API key");

    public void RequireAdmin()
    {
        if (!IsAdmin)
        {
            throw new ApiException(ApiErrorKind.PermissionDenied, "this operation needs the admin key");
        }
    }
}

/// <summary>
/// Tenant API keys: <c>wnk.&lt;key id&gt;.&lt;secret&gt;</c>, the secret 256 random bits. The id finds the stored
/// record without a hash index; the SHA-256 of the whole key is compared in constant time. A plain hash (no
/// stretching) suffices because the key is random, not a password.
/// </summary>
public static class ApiKeys
{
    public const string Prefix = "wnk.";

    private const int SecretBytes = 32;

    /// <summary>A new key and its id; the caller stores only <see cref="Hash"/> of it.</summary>
    public static string Generate(out string keyId)
    {
        keyId = Guid.CreateVersion7().ToString("N");
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        var key = Prefix + keyId + "." + Base64Url.EncodeToString(secret);
        CryptographicOperations.ZeroMemory(secret);
        return key;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The id part of a well-formed key.</summary>
    public static bool TryGetKeyId(string key, out string keyId)
    {
        keyId = string.Empty;
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length < Prefix.Length + 33 || key[Prefix.Length + 32] != '.')
        {
            return false;
        }

        var id = key.AsSpan(Prefix.Length, 32);
        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        keyId = id.ToString();
        return true;
    }
}

/// <summary>Turns an <c>Authorization: Bearer …</c> header into an <see cref="ApiCaller"/>.</summary>
public sealed class ApiKeyAuthenticator
{
    private readonly byte[]? _adminKeyHash;
    private readonly ITenantDirectory _directory;

    public ApiKeyAuthenticator(IOptions<ManagementApiOptions> options, ITenantDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var adminKey = options.Value.AdminKey;

        // Keep only the hash: the comparison is then of equal-length digests, and the key is not kept as a string.
        _adminKeyHash = string.IsNullOrEmpty(adminKey) ? null : ApiKeys.Hash(adminKey);
        _directory = directory;
    }

    /// <summary>The caller, or null when the header is missing, malformed or names no valid key.</summary>
    public async ValueTask<ApiCaller?> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var key = authorization[scheme.Length..].Trim();
        if (key.Length == 0 || key.Length > 512)
        {
            return null;
        }

        var hash = ApiKeys.Hash(key);
        if (_adminKeyHash is not null && CryptographicOperations.FixedTimeEquals(hash, _adminKeyHash))
        {
            return ApiCaller.Admin;
        }

        if (!ApiKeys.TryGetKeyId(key, out var keyId))
        {
            return null;
        }

        var record = await _directory.GetApiKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
        if (record is null || !CryptographicOperations.FixedTimeEquals(hash, record.KeyHash))
        {
            return null;
        }

        // A key outlives nothing: keys of a tenant that no longer exists are refused.
        return await _directory.GetTenantAsync(record.TenantId, cancellationToken).ConfigureAwait(false) is null
            ? null
            : new ApiCaller(false, record.TenantId);
    }
}
