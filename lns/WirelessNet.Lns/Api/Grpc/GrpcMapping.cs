using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using ApiPb = WirelessNet.Proto.Api;

namespace WirelessNet.Lns.Api.Grpc;

/// <summary>
/// Conversions between the protobuf messages and the API contract records, so the gRPC services reuse
/// <see cref="ManagementService"/> (and its validation) unchanged. Proto3 "empty" means "not given" where the JSON
/// contract uses null.
/// </summary>
internal static class GrpcMapping
{
    public static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    public static int? PageSize(int value) => value == 0 ? null : value;

    public static string Token(string? token) => token ?? string.Empty;

    public static Timestamp Time(DateTimeOffset at) => Timestamp.FromDateTimeOffset(at);

    public static ApiPb.Tenant ToProto(TenantResponse t) => new() { Id = t.Id, Name = t.Name, CreatedAt = Time(t.CreatedAt) };

    public static ApiPb.ApiKey ToProto(ApiKeyResponse k) =>
        new() { Id = k.Id, TenantId = k.TenantId, Name = k.Name, CreatedAt = Time(k.CreatedAt), Key = k.Key ?? string.Empty };

    public static ApiPb.Application ToProto(ApplicationResponse a) =>
        new() { Id = a.Id, Name = a.Name, Description = a.Description, CreatedAt = Time(a.CreatedAt) };

    public static ApiPb.DeviceProfile ToProto(DeviceProfileResponse p) => new()
    {
        Id = p.Id,
        Name = p.Name,
        Region = p.Region,
        MacVersion = p.MacVersion,
        SupportsOtaa = p.SupportsOtaa,
        SupportsClassC = p.SupportsClassC,
        MaxCopies = p.MaxCopies,
    };

    public static ApiPb.Device ToProto(DeviceResponse d) => new()
    {
        DevEui = d.DevEui,
        ApplicationId = d.ApplicationId,
        ProfileId = d.ProfileId,
        Name = d.Name,
        JoinEui = d.JoinEui,
        AppKeySet = d.AppKeySet,
        NwkKeySet = d.NwkKeySet,
        Disabled = d.Disabled,
        Location = d.Location is null ? null : ToProto(d.Location),
    };

    public static ApiPb.DeviceKeys ToProto(DeviceKeysResponse k) => new() { AppKeySet = k.AppKeySet, NwkKeySet = k.NwkKeySet };

    public static ApiPb.Activation ToProto(ActivationResponse a)
    {
        var m = new ApiPb.Activation
        {
            DevAddr = a.DevAddr,
            MacVersion = a.MacVersion,
            Region = a.Region,
            NFCntDown = a.NFCntDown,
            AFCntDown = a.AFCntDown,
            CreatedAt = Time(a.CreatedAt),
        };
        if (a.FCntUp is { } up)
        {
            m.FCntUp = up;
        }

        return m;
    }

    public static ApiPb.QueuedDownlink ToProto(QueuedDownlinkResponse q) => new()
    {
        Id = q.Id,
        FPort = q.FPort,
        Data = ByteString.FromBase64(q.Data),
        Confirmed = q.Confirmed,
        EnqueuedAt = Time(q.EnqueuedAt),
    };

    public static ApiPb.RecentFrame ToProto(RecentFrameResponse f)
    {
        var m = new ApiPb.RecentFrame
        {
            Kind = f.Kind,
            Time = Time(f.Time),
            DevAddr = f.DevAddr,
            Confirmed = f.Confirmed,
            Data = f.Data is null ? ByteString.Empty : ByteString.FromBase64(f.Data),
            GatewayCount = f.GatewayCount,
            BestGatewayId = f.BestGatewayId ?? string.Empty,
        };
        if (f.FCnt is { } fCnt)
        {
            m.FCnt = fCnt;
        }

        if (f.FPort is { } fPort)
        {
            m.FPort = fPort;
        }

        if (f.DataRate is { } dr)
        {
            m.DataRate = dr;
        }

        if (f.Rssi is { } rssi)
        {
            m.Rssi = rssi;
        }

        if (f.Snr is { } snr)
        {
            m.Snr = snr;
        }

        return m;
    }

    public static ApiPb.Location ToProto(LocationDto l) => new() { Latitude = l.Latitude, Longitude = l.Longitude, Altitude = l.Altitude };

    public static LocationDto? FromProto(ApiPb.Location? l) => l is null ? null : new LocationDto(l.Latitude, l.Longitude, l.Altitude);

    public static ApiPb.Gateway ToProto(GatewayResponse g)
    {
        var m = new ApiPb.Gateway
        {
            GatewayId = g.GatewayId,
            Name = g.Name,
            Region = g.Region,
            Location = g.Location is null ? null : ToProto(g.Location),
            AntennaGainDbi10 = g.AntennaGainDbi10,
            ElevationMetres = g.ElevationMetres,
            Denied = g.Denied,
            HeliumAddress = g.HeliumAddress ?? string.Empty,
        };
        if (g.Status is { } s)
        {
            m.Status = new ApiPb.GatewayStatus
            {
                LastSeen = Time(s.LastSeen),
                ReportedLocation = s.ReportedLocation is null ? null : ToProto(s.ReportedLocation),
            };
            if (s.Online is { } online)
            {
                m.Status.Online = online;
            }
        }

        return m;
    }
}
