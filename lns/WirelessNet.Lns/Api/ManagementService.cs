using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Storage.Management;
using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.Lns.Api;

/// <summary>
/// The management operations behind both the HTTP and the gRPC front ends: validation, tenant isolation and the
/// writes to <see cref="IDeviceRegistry"/> and <see cref="ITenantDirectory"/>.
/// </summary>
/// <remarks>
/// Isolation: an object of another tenant is reported exactly like a missing one (NotFound), so a tenant learns
/// nothing about others' objects. The exception is creating a device or gateway whose EUI another tenant holds:
/// EUIs are one global namespace, so that answer is AlreadyExists.
/// </remarks>
public sealed partial class ManagementService(
    ITenantDirectory directory,
    IDeviceRegistry registry,
    ISessionStore sessions,
    IDownlinkQueueStore queues,
    GatewayStatusBoard gatewayStatus,
    RecentFrameLog recentFrames,
    IOptions<ManagementApiOptions> options,
    TimeProvider time,
    ILogger<ManagementService> logger,
    ProvisioningCache? provisioning = null)
{
    private int DefaultPageSize => options.Value.DefaultPageSize is >= 1 and <= ApiValidation.MaxPageSize ? options.Value.DefaultPageSize : 100;

    // Tenants and API keys

    public async ValueTask<TenantResponse> CreateTenantAsync(ApiCaller caller, CreateTenantRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.RequireAdmin();
        var tenant = new Tenant { Id = NewId(), Name = ApiValidation.Name(request.Name), CreatedAt = time.GetUtcNow() };
        await directory.CreateTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
        LogCreated(logger, "tenant", tenant.Id);
        return ToResponse(tenant);
    }

    public async ValueTask<TenantResponse> GetTenantAsync(ApiCaller caller, string? tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var id = ApiValidation.Id(tenantId, "tenantId");
        if (!caller.IsAdmin && caller.TenantId != id)
        {
            throw ApiException.NotFound("tenant");
        }

        var tenant = await directory.GetTenantAsync(id, cancellationToken).ConfigureAwait(false) ?? throw ApiException.NotFound("tenant");
        return ToResponse(tenant);
    }

    public async ValueTask<TenantResponse> UpdateTenantAsync(ApiCaller caller, string? tenantId, CreateTenantRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        caller.RequireAdmin();
        var tenant = await directory.GetTenantAsync(ApiValidation.Id(tenantId, "tenantId"), cancellationToken).ConfigureAwait(false)
            ?? throw ApiException.NotFound("tenant");
        tenant = tenant with { Name = ApiValidation.Name(request.Name) };
        return await directory.UpdateTenantAsync(tenant, cancellationToken).ConfigureAwait(false) ? ToResponse(tenant) : throw ApiException.NotFound("tenant");
    }

    /// <summary>Deletes an empty tenant (no applications, profiles or gateways) together with its API keys.</summary>
    public async ValueTask DeleteTenantAsync(ApiCaller caller, string? tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.RequireAdmin();
        var id = ApiValidation.Id(tenantId, "tenantId");
        _ = await directory.GetTenantAsync(id, cancellationToken).ConfigureAwait(false) ?? throw ApiException.NotFound("tenant");
        if ((await directory.ListApplicationsAsync(id, null, 1, cancellationToken).ConfigureAwait(false)).Items.Count > 0
            || (await directory.ListProfilesAsync(id, null, 1, cancellationToken).ConfigureAwait(false)).Items.Count > 0
            || (await directory.ListGatewaysAsync(id, null, 1, cancellationToken).ConfigureAwait(false)).Items.Count > 0)
        {
            throw new ApiException(ApiErrorKind.FailedPrecondition, "the tenant still has applications, device profiles or gateways; delete them first");
        }

        if (!await directory.DeleteTenantAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw ApiException.NotFound("tenant");
        }

        LogDeleted(logger, "tenant", id);
    }

    /// <summary>All tenants for the admin key; a tenant key sees only its own.</summary>
    public async ValueTask<ListResponse<TenantResponse>> ListTenantsAsync(ApiCaller caller, int? pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var size = ApiValidation.PageSize(pageSize, DefaultPageSize);
        var cursor = PageTokens.Decode(pageToken);
        if (!caller.IsAdmin)
        {
            var own = cursor is null ? await directory.GetTenantAsync(caller.RequireTenant(), cancellationToken).ConfigureAwait(false) : null;
            return new ListResponse<TenantResponse>(own is null ? [] : [ToResponse(own)], null);
        }

        var page = await directory.ListTenantsAsync(cursor, size, cancellationToken).ConfigureAwait(false);
        return new ListResponse<TenantResponse>([.. page.Items.Select(ToResponse)], PageTokens.Encode(page.NextCursor));
    }

    public async ValueTask<ApiKeyResponse> CreateApiKeyAsync(ApiCaller caller, string? tenantId, CreateApiKeyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.RequireAdmin();
        var id = ApiValidation.Id(tenantId, "tenantId");
        var name = ApiValidation.Name(request.Name);
        _ = await directory.GetTenantAsync(id, cancellationToken).ConfigureAwait(false) ?? throw ApiException.NotFound("tenant");
        var key = ApiKeys.Generate(out var keyId);
        var record = new ApiKeyRecord { Id = keyId, TenantId = id, Name = name, KeyHash = ApiKeys.Hash(key), CreatedAt = time.GetUtcNow() };
        await directory.CreateApiKeyAsync(record, cancellationToken).ConfigureAwait(false);
        LogCreated(logger, "API key", keyId);
        return ToResponse(record) with { Key = key };
    }

    public async ValueTask<ListResponse<ApiKeyResponse>> ListApiKeysAsync(ApiCaller caller, string? tenantId, int? pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.RequireAdmin();
        var id = ApiValidation.Id(tenantId, "tenantId");
        var page = await directory.ListApiKeysAsync(id, PageTokens.Decode(pageToken), ApiValidation.PageSize(pageSize, DefaultPageSize), cancellationToken).ConfigureAwait(false);
        return new ListResponse<ApiKeyResponse>([.. page.Items.Select(ToResponse)], PageTokens.Encode(page.NextCursor));
    }

    public async ValueTask DeleteApiKeyAsync(ApiCaller caller, string? tenantId, string? keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.RequireAdmin();
        if (!await directory.DeleteApiKeyAsync(ApiValidation.Id(tenantId, "tenantId"), ApiValidation.Id(keyId, "keyId"), cancellationToken).ConfigureAwait(false))
        {
            throw ApiException.NotFound("API key");
        }
    }

    // Applications

    public async ValueTask<ApplicationResponse> CreateApplicationAsync(ApiCaller caller, ApplicationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var tenantId = caller.RequireTenant();
        var application = new Application
        {
            Id = NewId(),
            TenantId = tenantId,
            Name = ApiValidation.Name(request.Name),
            Description = ApiValidation.Description(request.Description),
            CreatedAt = time.GetUtcNow(),
        };
        await directory.PutApplicationAsync(application, cancellationToken).ConfigureAwait(false);
        return ToResponse(application);
    }

    public async ValueTask<ApplicationResponse> GetApplicationAsync(ApiCaller caller, string? applicationId, CancellationToken cancellationToken) =>
        ToResponse(await OwnedApplicationAsync(caller, applicationId, cancellationToken).ConfigureAwait(false));

    public async ValueTask<ApplicationResponse> UpdateApplicationAsync(ApiCaller caller, string? applicationId, ApplicationRequest request, CancellationToken cancellationToken)
    {
        var application = await OwnedApplicationAsync(caller, applicationId, cancellationToken).ConfigureAwait(false);
        application = application with
        {
            Name = request.Name is null ? application.Name : ApiValidation.Name(request.Name),
            Description = request.Description is null ? application.Description : ApiValidation.Description(request.Description),
        };
        await directory.PutApplicationAsync(application, cancellationToken).ConfigureAwait(false);
        return ToResponse(application);
    }

    /// <summary>Only empty applications can be deleted: deleting devices is a deliberate, per-device act.</summary>
    public async ValueTask DeleteApplicationAsync(ApiCaller caller, string? applicationId, CancellationToken cancellationToken)
    {
        var application = await OwnedApplicationAsync(caller, applicationId, cancellationToken).ConfigureAwait(false);
        var devices = await directory.ListDevicesAsync(new DeviceOwner(application.TenantId, application.Id), null, 1, cancellationToken).ConfigureAwait(false);
        if (devices.Items.Count > 0)
        {
            throw new ApiException(ApiErrorKind.FailedPrecondition, "the application still has devices; delete them first");
        }

        await directory.DeleteApplicationAsync(application.TenantId, application.Id, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ListResponse<ApplicationResponse>> ListApplicationsAsync(ApiCaller caller, int? pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var tenantId = caller.RequireTenant();
        var page = await directory.ListApplicationsAsync(tenantId, PageTokens.Decode(pageToken), ApiValidation.PageSize(pageSize, DefaultPageSize), cancellationToken).ConfigureAwait(false);
        return new ListResponse<ApplicationResponse>([.. page.Items.Select(ToResponse)], PageTokens.Encode(page.NextCursor));
    }

    // Device profiles

    public async ValueTask<DeviceProfileResponse> CreateProfileAsync(ApiCaller caller, DeviceProfileRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var tenantId = caller.RequireTenant();
        var profile = new DeviceProfile
        {
            Id = NewId(),
            TenantId = tenantId,
            Name = ApiValidation.Name(request.Name),
            Region = ApiValidation.RegionId(request.Region),
            MacVersion = request.MacVersion is null ? MacVersion.LoRaWan1_0_4 : ApiValidation.MacVersionOf(request.MacVersion),
            SupportsOtaa = request.SupportsOtaa ?? true,
            SupportsClassC = request.SupportsClassC ?? false,
            MaxCopies = ApiValidation.MaxCopies(request.MaxCopies ?? 0),
        };

        // Registry first: the directory entry is what makes the profile visible, so it must point at a stored one.
        await registry.PutProfileAsync(profile, cancellationToken).ConfigureAwait(false);
        provisioning?.InvalidateProfile(profile.Id);
        await directory.AddProfileAsync(profile.Id, tenantId, cancellationToken).ConfigureAwait(false);
        return ToResponse(profile);
    }

    public async ValueTask<DeviceProfileResponse> GetProfileAsync(ApiCaller caller, string? profileId, CancellationToken cancellationToken) =>
        ToResponse(await OwnedProfileAsync(caller, profileId, "profileId", cancellationToken).ConfigureAwait(false));

    public async ValueTask<DeviceProfileResponse> UpdateProfileAsync(ApiCaller caller, string? profileId, DeviceProfileRequest request, CancellationToken cancellationToken)
    {
        var profile = await OwnedProfileAsync(caller, profileId, "profileId", cancellationToken).ConfigureAwait(false);
        profile = profile with
        {
            Name = request.Name is null ? profile.Name : ApiValidation.Name(request.Name),
            Region = request.Region is null ? profile.Region : ApiValidation.RegionId(request.Region),
            MacVersion = request.MacVersion is null ? profile.MacVersion : ApiValidation.MacVersionOf(request.MacVersion),
            SupportsOtaa = request.SupportsOtaa ?? profile.SupportsOtaa,
            SupportsClassC = request.SupportsClassC ?? profile.SupportsClassC,
            MaxCopies = request.MaxCopies is { } copies ? ApiValidation.MaxCopies(copies) : profile.MaxCopies,
        };
        await registry.PutProfileAsync(profile, cancellationToken).ConfigureAwait(false);
        provisioning?.InvalidateProfile(profile.Id);
        return ToResponse(profile);
    }

    /// <summary>
    /// Removes the profile from its tenant. Refused while a device of the tenant uses it, so no device is left
    /// pointing at a profile the tenant can no longer see. The registry has no profile deletion, so the record
    /// itself stays there, unreachable through this API.
    /// </summary>
    public async ValueTask DeleteProfileAsync(ApiCaller caller, string? profileId, CancellationToken cancellationToken)
    {
        var profile = await OwnedProfileAsync(caller, profileId, "profileId", cancellationToken).ConfigureAwait(false);
        if (await IsProfileInUseAsync(profile, cancellationToken).ConfigureAwait(false))
        {
            throw new ApiException(ApiErrorKind.FailedPrecondition, "the device profile is used by devices; change or delete them first");
        }

        await directory.RemoveProfileAsync(profile.Id, profile.TenantId, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ListResponse<DeviceProfileResponse>> ListProfilesAsync(ApiCaller caller, int? pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var tenantId = caller.RequireTenant();
        var page = await directory.ListProfilesAsync(tenantId, PageTokens.Decode(pageToken), ApiValidation.PageSize(pageSize, DefaultPageSize), cancellationToken).ConfigureAwait(false);
        var items = new List<DeviceProfileResponse>(page.Items.Count);
        foreach (var id in page.Items)
        {
            if (await registry.GetProfileAsync(id, cancellationToken).ConfigureAwait(false) is { } profile && profile.TenantId == tenantId)
            {
                items.Add(ToResponse(profile));
            }
        }

        return new ListResponse<DeviceProfileResponse>(items, PageTokens.Encode(page.NextCursor));
    }

    // Devices

    public async ValueTask<DeviceResponse> CreateDeviceAsync(ApiCaller caller, CreateDeviceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var tenantId = caller.RequireTenant();
        var devEui = ApiValidation.Eui(request.DevEui, "devEui");
        var name = ApiValidation.Name(request.Name, required: false);
        var joinEui = ApiValidation.OptionalEui(request.JoinEui, "joinEui", default);
        var appKey = ApiValidation.KeyChange(request.AppKey, "appKey", null);
        var nwkKey = ApiValidation.KeyChange(request.NwkKey, "nwkKey", null);
        var application = await OwnedApplicationAsync(caller, request.ApplicationId, cancellationToken).ConfigureAwait(false);
        var profile = await OwnedProfileAsync(caller, request.ProfileId, "profileId", cancellationToken).ConfigureAwait(false);
        var device = new Device
        {
            DevEui = devEui,
            TenantId = tenantId,
            ApplicationId = application.Id,
            ProfileId = profile.Id,
            Name = name,
            JoinEui = joinEui,
            AppKey = appKey,
            NwkKey = nwkKey,
            Disabled = request.Disabled ?? false,
            Location = request.Location is null ? null : ApiValidation.Location(request.Location),
        };

        // Claim the EUI first: the claim is atomic, so two concurrent creations cannot both write the registry.
        var owner = new DeviceOwner(tenantId, application.Id);
        if (!await directory.TryAddDeviceAsync(devEui, owner, cancellationToken).ConfigureAwait(false))
        {
            throw new ApiException(ApiErrorKind.AlreadyExists, "a device with this devEui is already registered");
        }

        try
        {
            // A device provisioned outside this API (seed data) has no claim but must not be overwritten.
            if (await registry.GetDeviceAsync(devEui, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new ApiException(ApiErrorKind.AlreadyExists, "a device with this devEui is already registered");
            }

            await registry.PutDeviceAsync(device, cancellationToken).ConfigureAwait(false);
            provisioning?.InvalidateDevice(device.DevEui);
        }
        catch
        {
            await directory.RemoveDeviceAsync(devEui, owner, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        LogCreated(logger, "device", devEui.ToString());
        return ToResponse(device);
    }

    public async ValueTask<DeviceResponse> GetDeviceAsync(ApiCaller caller, string? devEui, CancellationToken cancellationToken) =>
        ToResponse(await OwnedDeviceAsync(caller, devEui, cancellationToken).ConfigureAwait(false));

    public async ValueTask<DeviceResponse> UpdateDeviceAsync(ApiCaller caller, string? devEui, UpdateDeviceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var device = await OwnedDeviceAsync(caller, devEui, cancellationToken).ConfigureAwait(false);
        var profileId = device.ProfileId;
        if (request.ProfileId is not null && request.ProfileId != device.ProfileId)
        {
            profileId = (await OwnedProfileAsync(caller, request.ProfileId, "profileId", cancellationToken).ConfigureAwait(false)).Id;
        }

        device = device with
        {
            ProfileId = profileId,
            Name = request.Name is null ? device.Name : ApiValidation.Name(request.Name, required: false),
            JoinEui = request.JoinEui is null ? device.JoinEui : ApiValidation.OptionalEui(request.JoinEui, "joinEui", default),
            Disabled = request.Disabled ?? device.Disabled,
            Location = request.Location is null ? device.Location : ApiValidation.Location(request.Location),
        };
        await registry.PutDeviceAsync(device, cancellationToken).ConfigureAwait(false);
        provisioning?.InvalidateDevice(device.DevEui);
        return ToResponse(device);
    }

    /// <summary>Deletes the device with its sessions and queued downlinks.</summary>
    public async ValueTask DeleteDeviceAsync(ApiCaller caller, string? devEui, CancellationToken cancellationToken)
    {
        var device = await OwnedDeviceAsync(caller, devEui, cancellationToken).ConfigureAwait(false);

        // Registry first, so the packet path stops accepting the device before its sessions go.
        await registry.DeleteDeviceAsync(device.DevEui, cancellationToken).ConfigureAwait(false);
        provisioning?.InvalidateDevice(device.DevEui);
        await sessions.DeleteAsync(device.DevEui, cancellationToken).ConfigureAwait(false);
        await queues.ClearAsync(device.DevEui, cancellationToken).ConfigureAwait(false);
        recentFrames.Clear(device.DevEui);
        await directory.RemoveDeviceAsync(device.DevEui, new DeviceOwner(device.TenantId, device.ApplicationId), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ListResponse<DeviceResponse>> ListDevicesAsync(ApiCaller caller, string? applicationId, int? pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var application = await OwnedApplicationAsync(caller, applicationId, cancellationToken).ConfigureAwait(false);
        var page = await directory.ListDevicesAsync(
            new DeviceOwner(application.TenantId, application.Id),
            PageTokens.Decode(pageToken),
            ApiValidation.PageSize(pageSize, DefaultPageSize),
            cancellationToken).ConfigureAwait(false);
        var items = new List<DeviceResponse>(page.Items.Count);
        foreach (var eui in page.Items)
        {
            // The registry record is authoritative: skip entries deleted or re-owned since the index was read.
            if (await registry.GetDeviceAsync(eui, cancellationToken).ConfigureAwait(false) is { } device && device.TenantId == application.TenantId)
            {
                items.Add(ToResponse(device));
            }
        }

        return new ListResponse<DeviceResponse>(items, PageTokens.Encode(page.NextCursor));
    }

    public async ValueTask<DeviceKeysResponse> GetDeviceKeysAsync(ApiCaller caller, string? devEui, CancellationToken cancellationToken)
    {
        var device = await OwnedDeviceAsync(caller, devEui, cancellationToken).ConfigureAwait(false);
        return new DeviceKeysResponse(device.AppKey is not null, device.NwkKey is not null);
    }

    public async ValueTask<DeviceKeysResponse> SetDeviceKeysAsync(ApiCaller caller, string? devEui, DeviceKeysRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var device = await OwnedDeviceAsync(caller, devEui, cancellationToken).ConfigureAwait(false);
        device = device with
        {
            AppKey = ApiValidation.KeyChange(request.AppKey, "appKey", device.AppKey),
            NwkKey = ApiValidation.KeyChange(request.NwkKey, "nwkKey", device.NwkKey),
        };
        await registry.PutDeviceAsync(device, cancellationToken).ConfigureAwait(false);
        provisioning?.InvalidateDevice(device.DevEui);
        return new DeviceKeysResponse(device.AppKey is not null, device.NwkKey is not null);
    }

    /// <summary>
    /// ABP activation: replaces any session (active and pending) with one built from the given address, keys and
    /// counters. This is also how counters are reset.
    /// </summary>
    public async ValueTask<ActivationResponse> ActivateDeviceAsync(ApiCaller caller, string? devEui, ActivateDeviceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var device = await OwnedDeviceAsync(caller, devEui, cancellationToken).ConfigureAwait(false);
        var profile = await registry.GetProfileAsync(device.ProfileId, cancellationToken).ConfigureAwait(false)
            ?? throw new ApiException(ApiErrorKind.FailedPrecondition, "the device's profile no longer exists");
        var devAddr = ApiValidation.DevAddress(request.DevAddr, "devAddr");
        var appSKey = ApiValidation.Key(request.AppSKey, "appSKey");
        AesKey fNwkSInt, sNwkSInt, nwkSEnc;
        if (profile.MacVersion.Is11())
        {
            if (request.NwkSKey is not null)
            {
                throw ApiException.Invalid("LoRaWAN 1.1 devices take fNwkSIntKey, sNwkSIntKey and nwkSEncKey, not nwkSKey");
            }

            fNwkSInt = ApiValidation.Key(request.FNwkSIntKey, "fNwkSIntKey");
            sNwkSInt = ApiValidation.Key(request.SNwkSIntKey, "sNwkSIntKey");
            nwkSEnc = ApiValidation.Key(request.NwkSEncKey, "nwkSEncKey");
        }
        else
        {
            if (request.FNwkSIntKey is not null || request.SNwkSIntKey is not null || request.NwkSEncKey is not null)
            {
                throw ApiException.Invalid("LoRaWAN 1.0.x devices take nwkSKey only");
            }

            fNwkSInt = sNwkSInt = nwkSEnc = ApiValidation.Key(request.NwkSKey, "nwkSKey");
        }

        var region = Region.TryGet(profile.Region, out var r) ? r : throw new ApiException(ApiErrorKind.FailedPrecondition, "the device profile's region is unknown");
        var session = DeviceSession.Create(device, profile, devAddr, new SessionKeys11(fNwkSInt, sNwkSInt, nwkSEnc, appSKey), time.GetUtcNow()) with
        {
            FCntUp = request.FCntUp,
            NFCntDown = request.NFCntDown ?? 0,
            AFCntDown = request.AFCntDown ?? 0,
            Rx2DataRate = region.Rx2DataRate,
        };

        // Drop the pending session too: an OTAA session promoted later would silently undo this activation.
        await sessions.DeleteAsync(device.DevEui, cancellationToken).ConfigureAwait(false);
        await sessions.SaveActiveSessionAsync(session, cancellationToken).ConfigureAwait(false);
        LogActivated(logger, device.DevEui.ToString(), devAddr.ToString());
        return ToActivation(session);
    }

    public async ValueTask<ActivationResponse> GetActivationAsync(ApiCaller caller, string? devEui, CancellationToken cancellationToken)
    {
        var device = await OwnedDeviceAsync(caller, devEui, cancellationToken).ConfigureAwait(false);
        var session = await sessions.GetActiveSessionAsync(device.DevEui, cancellationToken).ConfigureAwait(false) ?? throw ApiException.NotFound("activation");
        return ToActivation(session);
    }

    public async ValueTask<FrameCountersResponse> GetFrameCountersAsync(ApiCaller caller, string? devEui, CancellationToken cancellationToken)
    {
        var a = await GetActivationAsync(caller, devEui, cancellationToken).ConfigureAwait(false);
        return new FrameCountersResponse(a.FCntUp, a.NFCntDown, a.AFCntDown);
    }

    public async ValueTask DeactivateDeviceAsync(ApiCaller caller, string? devEui, CancellationToken cancellationToken)
    {
        var device = await OwnedDeviceAsync(caller, devEui, cancellationToken).ConfigureAwait(false);
        await sessions.DeleteAsync(device.DevEui, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The device's last frames seen by this server instance, newest first.</summary>
    public async ValueTask<ListResponse<RecentFrameResponse>> ListRecentFramesAsync(ApiCaller caller, string? devEui, CancellationToken cancellationToken)
    {
        var device = await OwnedDeviceAsync(caller, devEui, cancellationToken).ConfigureAwait(false);
        return new ListResponse<RecentFrameResponse>(recentFrames.Get(device.DevEui, device.TenantId), null);
    }

    // Downlink queue

    public async ValueTask<QueuedDownlinkResponse> EnqueueDownlinkAsync(ApiCaller caller, string? devEui, EnqueueDownlinkRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var device = await OwnedDeviceAsync(caller, devEui, cancellationToken).ConfigureAwait(false);
        if (device.Disabled)
        {
            // As for MQTT downlink commands: a disabled device gets no traffic, so queuing for it would only pile up.
            throw new ApiException(ApiErrorKind.FailedPrecondition, "the device is disabled");
        }

        var item = new QueuedDownlink
        {
            Id = Guid.CreateVersion7(),
            DevEui = device.DevEui,
            FPort = ApiValidation.FPort(request.FPort),
            Data = ApiValidation.DownlinkData(request.Data),
            Confirmed = request.Confirmed ?? false,
            EnqueuedAt = time.GetUtcNow(),
        };
        var queued = await queues.ListAsync(device.DevEui, cancellationToken).ConfigureAwait(false);
        if (queued.Count >= options.Value.MaxQueuedDownlinks)
        {
            throw new ApiException(ApiErrorKind.FailedPrecondition, $"the downlink queue is full ({options.Value.MaxQueuedDownlinks} items)");
        }

        await queues.EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
        return ToResponse(item);
    }

    public async ValueTask<ListResponse<QueuedDownlinkResponse>> ListDownlinksAsync(ApiCaller caller, string? devEui, CancellationToken cancellationToken)
    {
        var device = await OwnedDeviceAsync(caller, devEui, cancellationToken).ConfigureAwait(false);
        var items = await queues.ListAsync(device.DevEui, cancellationToken).ConfigureAwait(false);
        return new ListResponse<QueuedDownlinkResponse>([.. items.Select(ToResponse)], null);
    }

    public async ValueTask FlushDownlinksAsync(ApiCaller caller, string? devEui, CancellationToken cancellationToken)
    {
        var device = await OwnedDeviceAsync(caller, devEui, cancellationToken).ConfigureAwait(false);
        await queues.ClearAsync(device.DevEui, cancellationToken).ConfigureAwait(false);
    }

    // Gateways

    public async ValueTask<GatewayResponse> CreateGatewayAsync(ApiCaller caller, GatewayRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var tenantId = caller.RequireTenant();
        var heliumKey = string.IsNullOrEmpty(request.HeliumAddress) ? null : ApiValidation.HeliumAddress(request.HeliumAddress);
        var gatewayId = heliumKey is null ? ApiValidation.Eui(request.GatewayId, "gatewayId") : HeliumGatewayIdFor(heliumKey, request.GatewayId);
        var gateway = new Gateway
        {
            GatewayId = gatewayId,
            TenantId = tenantId,
            Name = ApiValidation.Name(request.Name, required: false),
            Region = ApiValidation.RegionId(request.Region),
            Location = request.Location is null ? null : ApiValidation.Location(request.Location),
            AntennaGainDbi10 = ApiValidation.AntennaGain(request.AntennaGainDbi10 ?? 0),
            ElevationMetres = ApiValidation.Elevation(request.ElevationMetres ?? 0),
            Denied = request.Denied ?? false,
            HeliumAddress = heliumKey?.ToAddress(),
        };

        if (!await directory.TryAddGatewayAsync(gatewayId, tenantId, cancellationToken).ConfigureAwait(false))
        {
            throw new ApiException(ApiErrorKind.AlreadyExists, "a gateway with this gatewayId is already registered");
        }

        try
        {
            if (await registry.GetGatewayAsync(gatewayId, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new ApiException(ApiErrorKind.AlreadyExists, "a gateway with this gatewayId is already registered");
            }

            await registry.PutGatewayAsync(gateway, cancellationToken).ConfigureAwait(false);
            provisioning?.InvalidateGateway(gateway.GatewayId);
        }
        catch
        {
            await directory.RemoveGatewayAsync(gatewayId, tenantId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        LogCreated(logger, "gateway", gatewayId.ToString());
        return ToResponse(gateway);
    }

    public async ValueTask<GatewayResponse> GetGatewayAsync(ApiCaller caller, string? gatewayId, CancellationToken cancellationToken) =>
        ToResponse(await OwnedGatewayAsync(caller, gatewayId, cancellationToken).ConfigureAwait(false));

    public async ValueTask<GatewayResponse> UpdateGatewayAsync(ApiCaller caller, string? gatewayId, GatewayRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var gateway = await OwnedGatewayAsync(caller, gatewayId, cancellationToken).ConfigureAwait(false);
        if (request.GatewayId is not null && ApiValidation.Eui(request.GatewayId, "gatewayId") != gateway.GatewayId)
        {
            throw ApiException.Invalid("gatewayId cannot be changed");
        }

        if (!string.IsNullOrEmpty(request.HeliumAddress) && ApiValidation.HeliumAddress(request.HeliumAddress).ToAddress() != gateway.HeliumAddress)
        {
            throw ApiException.Invalid("heliumAddress cannot be changed (the gateway id is derived from it)");
        }

        gateway = gateway with
        {
            Name = request.Name is null ? gateway.Name : ApiValidation.Name(request.Name, required: false),
            Region = request.Region is null ? gateway.Region : ApiValidation.RegionId(request.Region),
            Location = request.Location is null ? gateway.Location : ApiValidation.Location(request.Location),
            AntennaGainDbi10 = request.AntennaGainDbi10 is { } gain ? ApiValidation.AntennaGain(gain) : gateway.AntennaGainDbi10,
            ElevationMetres = request.ElevationMetres is { } elevation ? ApiValidation.Elevation(elevation) : gateway.ElevationMetres,
            Denied = request.Denied ?? gateway.Denied,
        };
        await registry.PutGatewayAsync(gateway, cancellationToken).ConfigureAwait(false);
        provisioning?.InvalidateGateway(gateway.GatewayId);
        return ToResponse(gateway);
    }

    public async ValueTask DeleteGatewayAsync(ApiCaller caller, string? gatewayId, CancellationToken cancellationToken)
    {
        var gateway = await OwnedGatewayAsync(caller, gatewayId, cancellationToken).ConfigureAwait(false);
        await registry.DeleteGatewayAsync(gateway.GatewayId, cancellationToken).ConfigureAwait(false);
        provisioning?.InvalidateGateway(gateway.GatewayId);
        await directory.RemoveGatewayAsync(gateway.GatewayId, gateway.TenantId, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ListResponse<GatewayResponse>> ListGatewaysAsync(ApiCaller caller, int? pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var tenantId = caller.RequireTenant();
        var page = await directory.ListGatewaysAsync(tenantId, PageTokens.Decode(pageToken), ApiValidation.PageSize(pageSize, DefaultPageSize), cancellationToken).ConfigureAwait(false);
        var items = new List<GatewayResponse>(page.Items.Count);
        foreach (var eui in page.Items)
        {
            if (await registry.GetGatewayAsync(eui, cancellationToken).ConfigureAwait(false) is { } gateway && gateway.TenantId == tenantId)
            {
                items.Add(ToResponse(gateway));
            }
        }

        return new ListResponse<GatewayResponse>(items, PageTokens.Encode(page.NextCursor));
    }

    // Ownership checks: the registry record's tenant is authoritative; anything else is "not found".

    private async ValueTask<Application> OwnedApplicationAsync(ApiCaller caller, string? applicationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var tenantId = caller.RequireTenant();
        var id = ApiValidation.Id(applicationId, "applicationId");
        return await directory.GetApplicationAsync(tenantId, id, cancellationToken).ConfigureAwait(false) ?? throw ApiException.NotFound("application");
    }

    private async ValueTask<DeviceProfile> OwnedProfileAsync(ApiCaller caller, string? profileId, string field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var tenantId = caller.RequireTenant();
        var id = ApiValidation.Id(profileId, field);
        if (!await directory.IsProfileOwnedByAsync(id, tenantId, cancellationToken).ConfigureAwait(false))
        {
            throw ApiException.NotFound("device profile");
        }

        var profile = await registry.GetProfileAsync(id, cancellationToken).ConfigureAwait(false);
        return profile is not null && profile.TenantId == tenantId ? profile : throw ApiException.NotFound("device profile");
    }

    private async ValueTask<Device> OwnedDeviceAsync(ApiCaller caller, string? devEui, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var tenantId = caller.RequireTenant();
        var eui = ApiValidation.Eui(devEui, "devEui");
        var device = await registry.GetDeviceAsync(eui, cancellationToken).ConfigureAwait(false);
        return device is not null && device.TenantId == tenantId ? device : throw ApiException.NotFound("device");
    }

    private async ValueTask<Gateway> OwnedGatewayAsync(ApiCaller caller, string? gatewayId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var tenantId = caller.RequireTenant();
        var eui = ApiValidation.Eui(gatewayId, "gatewayId");
        var gateway = await registry.GetGatewayAsync(eui, cancellationToken).ConfigureAwait(false);
        return gateway is not null && gateway.TenantId == tenantId ? gateway : throw ApiException.NotFound("gateway");
    }

    // A walk of the tenant's devices: rare (profile deletion only), and bounded by the tenant's own device count.
    private async ValueTask<bool> IsProfileInUseAsync(DeviceProfile profile, CancellationToken cancellationToken)
    {
        string? appCursor = null;
        do
        {
            var apps = await directory.ListApplicationsAsync(profile.TenantId, appCursor, ApiValidation.MaxPageSize, cancellationToken).ConfigureAwait(false);
            foreach (var app in apps.Items)
            {
                string? deviceCursor = null;
                do
                {
                    var devices = await directory.ListDevicesAsync(new DeviceOwner(profile.TenantId, app.Id), deviceCursor, ApiValidation.MaxPageSize, cancellationToken).ConfigureAwait(false);
                    foreach (var eui in devices.Items)
                    {
                        if (await registry.GetDeviceAsync(eui, cancellationToken).ConfigureAwait(false) is { } d && d.ProfileId == profile.Id)
                        {
                            return true;
                        }
                    }

                    deviceCursor = devices.NextCursor;
                }
                while (deviceCursor is not null);
            }

            appCursor = apps.NextCursor;
        }
        while (appCursor is not null);

        return false;
    }

    // Ids are UUIDv7 without dashes: unguessable enough for ids, and sorted by creation time, so lists come in
    // creation order.
    private static string NewId() => Guid.CreateVersion7().ToString("N");

    private static TenantResponse ToResponse(Tenant t) => new(t.Id, t.Name, t.CreatedAt);

    private static ApiKeyResponse ToResponse(ApiKeyRecord k) => new(k.Id, k.TenantId, k.Name, k.CreatedAt);

    private static ApplicationResponse ToResponse(Application a) => new(a.Id, a.Name, a.Description, a.CreatedAt);

    private static DeviceProfileResponse ToResponse(DeviceProfile p) =>
        new(p.Id, p.Name, p.Region, ApiValidation.Text(p.MacVersion), p.SupportsOtaa, p.SupportsClassC, p.MaxCopies);

    private static DeviceResponse ToResponse(Device d) =>
        new(d.DevEui.ToString(), d.ApplicationId, d.ProfileId, d.Name, d.JoinEui.ToString(), d.AppKey is not null, d.NwkKey is not null, d.Disabled, d.Location is { } l ? ToDto(l) : null);

    private static ActivationResponse ToActivation(DeviceSession s) =>
        new(s.DevAddr.ToString(), ApiValidation.Text(s.MacVersion), s.Region, s.FCntUp, s.NFCntDown, s.AFCntDown, s.CreatedAt);

    private static QueuedDownlinkResponse ToResponse(QueuedDownlink q) =>
        new(q.Id.ToString("N"), q.FPort, Convert.ToBase64String(q.Data), q.Confirmed, q.EnqueuedAt);

    private static LocationDto ToDto(GeoLocation l) => new(l.Latitude, l.Longitude, l.Altitude);

    private GatewayResponse ToResponse(Gateway g)
    {
        var status = gatewayStatus.Get(g.GatewayId);
        return new GatewayResponse(
            g.GatewayId.ToString(),
            g.Name,
            g.Region,
            g.Location is { } l ? ToDto(l) : null,
            g.AntennaGainDbi10,
            g.ElevationMetres,
            g.Denied,
            status is null ? null : new GatewayStatusDto(status.LastSeen, status.Online, status.Location is { } sl ? ToDto(sl) : null),
            g.HeliumAddress);
    }

    /// <summary>A Helium hotspot's gateway id: derived from its key; a gatewayId given too must be that one.</summary>
    private static Eui64 HeliumGatewayIdFor(WirelessNet.Helium.Crypto.HeliumPublicKey key, string? gatewayId)
    {
        var derived = Helium.HeliumGatewayIds.FromPublicKey(key);
        if (!string.IsNullOrEmpty(gatewayId) && ApiValidation.Eui(gatewayId, "gatewayId") != derived)
        {
            throw ApiException.Invalid($"gatewayId does not match heliumAddress, whose gateway id is {derived}");
        }

        return derived;
    }

    // Ids and addresses only: keys never reach a log line.
    [LoggerMessage(Level = LogLevel.Information, Message = "Management API created {Kind} {Id}")]
    private static partial void LogCreated(ILogger logger, string kind, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Management API deleted {Kind} {Id}")]
    private static partial void LogDeleted(ILogger logger, string kind, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Management API activated device {DevEui} with DevAddr {DevAddr} (ABP)")]
    private static partial void LogActivated(ILogger logger, string devEui, string devAddr);
}
