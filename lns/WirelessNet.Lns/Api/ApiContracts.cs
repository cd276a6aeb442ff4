using System.Text.Json;
using System.Text.Json.Serialization;

namespace WirelessNet.Lns.Api;

// The JSON contract of the management API (camelCase on the wire). The gRPC messages in
// proto/wirelessnet/api/management.proto carry the same fields; both go through ManagementService, so validation and
// tenant isolation are the same on both. Identifiers and keys are hex strings, payloads base64.

public sealed record ErrorResponse(string Error);

public sealed record ListResponse<T>(IReadOnlyList<T> Items, string? NextPageToken);

// Tenants and API keys (admin key)

public sealed record CreateTenantRequest(string? Name);

public sealed record TenantResponse(string Id, string Name, DateTimeOffset CreatedAt);

public sealed record CreateApiKeyRequest(string? Name);

/// <summary>An API key; <see cref="Key"/> is set only in the answer to its creation and is never shown again.</summary>
public sealed record ApiKeyResponse(string Id, string TenantId, string Name, DateTimeOffset CreatedAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; init; }
}

// Applications

public sealed record ApplicationRequest(string? Name, string? Description);

public sealed record ApplicationResponse(string Id, string Name, string Description, DateTimeOffset CreatedAt);

// Device profiles

/// <summary>Create: name and region are required. Update: fields left out keep their value.</summary>
public sealed record DeviceProfileRequest(
    string? Name,
    string? Region,
    string? MacVersion,
    bool? SupportsOtaa,
    bool? SupportsClassC,
    int? MaxCopies);

public sealed record DeviceProfileResponse(
    string Id,
    string Name,
    string Region,
    string MacVersion,
    bool SupportsOtaa,
    bool SupportsClassC,
    int MaxCopies);

// Devices

public sealed record CreateDeviceRequest(
    string? DevEui,
    string? ApplicationId,
    string? ProfileId,
    string? Name,
    string? JoinEui,
    string? AppKey,
    string? NwkKey,
    bool? Disabled,
    LocationDto? Location = null);

/// <summary>Fields left out keep their value. Keys are changed through the keys operation.</summary>
public sealed record UpdateDeviceRequest(string? ProfileId, string? Name, string? JoinEui, bool? Disabled, LocationDto? Location = null);

/// <summary>Root keys: a key left out is unchanged, an empty string removes it.</summary>
public sealed record DeviceKeysRequest(string? AppKey, string? NwkKey);

/// <summary>Root keys are write-only: answers only tell whether each is set.</summary>
public sealed record DeviceKeysResponse(bool AppKeySet, bool NwkKeySet);

public sealed record DeviceResponse(
    string DevEui,
    string ApplicationId,
    string ProfileId,
    string Name,
    string JoinEui,
    bool AppKeySet,
    bool NwkKeySet,
    bool Disabled,
    LocationDto? Location);

/// <summary>
/// ABP activation. LoRaWAN 1.0.x devices give <see cref="NwkSKey"/>; 1.1 devices give the three network session
/// keys. Counters start where given (0 when left out); <see cref="FCntUp"/> is the last uplink counter seen, if any.
/// </summary>
public sealed record ActivateDeviceRequest(
    string? DevAddr,
    string? NwkSKey,
    string? FNwkSIntKey,
    string? SNwkSIntKey,
    string? NwkSEncKey,
    string? AppSKey,
    uint? FCntUp,
    [property: JsonPropertyName("nFCntDown")] uint? NFCntDown,
    [property: JsonPropertyName("aFCntDown")] uint? AFCntDown);

/// <summary>The active session without its keys.</summary>
public sealed record ActivationResponse(
    string DevAddr,
    string MacVersion,
    string Region,
    uint? FCntUp,
    [property: JsonPropertyName("nFCntDown")] uint NFCntDown,
    [property: JsonPropertyName("aFCntDown")] uint AFCntDown,
    DateTimeOffset CreatedAt);

public sealed record FrameCountersResponse(
    uint? FCntUp,
    [property: JsonPropertyName("nFCntDown")] uint NFCntDown,
    [property: JsonPropertyName("aFCntDown")] uint AFCntDown);

// Downlink queue

public sealed record EnqueueDownlinkRequest(int? FPort, string? Data, bool? Confirmed);

public sealed record QueuedDownlinkResponse(string Id, int FPort, string Data, bool Confirmed, DateTimeOffset EnqueuedAt);

// Gateways

public sealed record LocationDto(double Latitude, double Longitude, double Altitude);

/// <summary>
/// Create: <see cref="GatewayId"/> or <see cref="HeliumAddress"/> required (a Helium hotspot's id is derived from its
/// address; both given must agree), other fields default. Update: fields left out keep their value; the address
/// cannot change.
/// </summary>
public sealed record GatewayRequest(
    string? GatewayId,
    string? Name,
    string? Region,
    LocationDto? Location,
    int? AntennaGainDbi10,
    int? ElevationMetres,
    bool? Denied,
    string? HeliumAddress = null);

public sealed record GatewayStatusDto(DateTimeOffset LastSeen, bool? Online, LocationDto? ReportedLocation);

public sealed record GatewayResponse(
    string GatewayId,
    string Name,
    string Region,
    LocationDto? Location,
    int AntennaGainDbi10,
    int ElevationMetres,
    bool Denied,
    GatewayStatusDto? Status,
    string? HeliumAddress = null);

/// <summary>Source-generated JSON for every type the HTTP endpoints read or write (no reflection at run time).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(CreateTenantRequest))]
[JsonSerializable(typeof(TenantResponse))]
[JsonSerializable(typeof(ListResponse<TenantResponse>))]
[JsonSerializable(typeof(CreateApiKeyRequest))]
[JsonSerializable(typeof(ApiKeyResponse))]
[JsonSerializable(typeof(ListResponse<ApiKeyResponse>))]
[JsonSerializable(typeof(ApplicationRequest))]
[JsonSerializable(typeof(ApplicationResponse))]
[JsonSerializable(typeof(ListResponse<ApplicationResponse>))]
[JsonSerializable(typeof(DeviceProfileRequest))]
[JsonSerializable(typeof(DeviceProfileResponse))]
[JsonSerializable(typeof(ListResponse<DeviceProfileResponse>))]
[JsonSerializable(typeof(CreateDeviceRequest))]
[JsonSerializable(typeof(UpdateDeviceRequest))]
[JsonSerializable(typeof(DeviceKeysRequest))]
[JsonSerializable(typeof(DeviceKeysResponse))]
[JsonSerializable(typeof(DeviceResponse))]
[JsonSerializable(typeof(ListResponse<DeviceResponse>))]
[JsonSerializable(typeof(ActivateDeviceRequest))]
[JsonSerializable(typeof(ActivationResponse))]
[JsonSerializable(typeof(FrameCountersResponse))]
[JsonSerializable(typeof(EnqueueDownlinkRequest))]
[JsonSerializable(typeof(QueuedDownlinkResponse))]
[JsonSerializable(typeof(ListResponse<QueuedDownlinkResponse>))]
[JsonSerializable(typeof(RecentFrameResponse))]
[JsonSerializable(typeof(ListResponse<RecentFrameResponse>))]
[JsonSerializable(typeof(GatewayRequest))]
[JsonSerializable(typeof(GatewayResponse))]
[JsonSerializable(typeof(ListResponse<GatewayResponse>))]
[JsonSerializable(typeof(TenantUsageResponse))]
[JsonSerializable(typeof(ListResponse<TenantUsageResponse>))]
[JsonSerializable(typeof(GatewayUsageResponse))]
[JsonSerializable(typeof(ListResponse<GatewayUsageResponse>))]
public sealed partial class ManagementJsonContext : JsonSerializerContext;
