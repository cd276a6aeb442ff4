using System.Globalization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WirelessNet.Lns.Api.Grpc;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Pipeline;
using StackExchange.Redis;
using WirelessNet.Lns.Storage.Management;

namespace WirelessNet.Lns.Api;

public static class ManagementApiExtensions
{
    /// <summary>
    /// Registers the management API: options from <c>Api</c>, an <see cref="ITenantDirectory"/> unless one is
    /// registered already (Redis when <c>Store:Kind</c> is <c>Redis</c>, otherwise in memory), the authenticator, <see cref="ManagementService"/> and the gRPC services. The host
    /// must register <see cref="Storage.IDeviceRegistry"/>, <see cref="Storage.ISessionStore"/> and
    /// <see cref="Storage.IDownlinkQueueStore"/>.
    /// </summary>
    public static IServiceCollection AddManagementApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<ManagementApiOptions>()
            .Bind(configuration.GetSection(ManagementApiOptions.SectionName))
            .Validate(
                o => string.IsNullOrEmpty(o.AdminKey) || o.AdminKey.Length >= ManagementApiOptions.MinimumAdminKeyLength,
                $"Api:AdminKey must be at least {ManagementApiOptions.MinimumAdminKeyLength} characters (or empty to disable admin calls).")
            .Validate(o => o.DefaultPageSize is >= 1 and <= ApiValidation.MaxPageSize, $"Api:DefaultPageSize must be between 1 and {ApiValidation.MaxPageSize}.")
            .Validate(o => o.MaxQueuedDownlinks >= 1, "Api:MaxQueuedDownlinks must be at least 1.")
            .Validate(o => o.RecentFramesPerDevice is >= 0 and <= 1000, "Api:RecentFramesPerDevice must be between 0 and 1000.")
            .Validate(o => o.RecentFramesMaxDevices >= 1, "Api:RecentFramesMaxDevices must be at least 1.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GatewayStatusBoard>();
        if (string.Equals(configuration["Store:Kind"], "Redis", StringComparison.OrdinalIgnoreCase))
        {
            // Same Redis, connection and key prefix as the network server's store (Store:Kind, Redis:KeyPrefix,
            // Redis:Database); the host registers the IConnectionMultiplexer for that store.
            var redis = configuration.GetSection("Redis");
            var prefix = string.IsNullOrWhiteSpace(redis["KeyPrefix"]) ? "wn" : redis["KeyPrefix"]!;
            var database = int.TryParse(redis["Database"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var db) ? db : -1;
            services.TryAddSingleton<ITenantDirectory>(sp => new RedisTenantDirectory(sp.GetRequiredService<IConnectionMultiplexer>(), prefix, database));
        }

        services.TryAddSingleton<ITenantDirectory, InMemoryTenantDirectory>();
        services.TryAddSingleton<ApiKeyAuthenticator>();
        services.TryAddSingleton<ManagementService>();

        // Resolved only when a usage endpoint is called: the host registers the meter (AddPacketMetering).
        services.TryAddSingleton<UsageQueries>();
        services.TryAddSingleton<ManagementGrpcInterceptor>();

        // Wrap the sink once, even when this method is called twice.
        if (!services.Any(d => d.ServiceType == typeof(RecentFrameLog)))
        {
            services.AddSingleton<RecentFrameLog>();
            DecorateDeviceEventSink(services);
        }

        // Interceptor per service rather than globally: other gRPC services of the host have their own auth.
        services.AddGrpc()
            .AddServiceOptions<TenantGrpcService>(o => o.Interceptors.Add<ManagementGrpcInterceptor>())
            .AddServiceOptions<ApplicationGrpcService>(o => o.Interceptors.Add<ManagementGrpcInterceptor>())
            .AddServiceOptions<DeviceProfileGrpcService>(o => o.Interceptors.Add<ManagementGrpcInterceptor>())
            .AddServiceOptions<DeviceGrpcService>(o => o.Interceptors.Add<ManagementGrpcInterceptor>())
            .AddServiceOptions<GatewayGrpcService>(o => o.Interceptors.Add<ManagementGrpcInterceptor>())
            .AddServiceOptions<UsageGrpcService>(o => o.Interceptors.Add<ManagementGrpcInterceptor>());
        return services;
    }

    // The recent-frames view taps the pipeline's device events by wrapping the sink the host registered. Only a
    // sink registered before this call is wrapped; without one, the view stays empty.
    private static void DecorateDeviceEventSink(IServiceCollection services)
    {
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IDeviceEventSink) && !d.IsKeyedService);
        if (existing is null)
        {
            return;
        }

        services.Remove(existing);
        services.Add(ServiceDescriptor.Describe(
            typeof(IDeviceEventSink),
            sp => new RecentFramesEventSink(Create(sp, existing), sp.GetRequiredService<RecentFrameLog>()),
            existing.Lifetime));
    }

    private static IDeviceEventSink Create(IServiceProvider sp, ServiceDescriptor descriptor) => (IDeviceEventSink)(
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!));

    /// <summary>Maps the JSON endpoints under <c>/api</c> and the <c>wirelessnet.api</c> gRPC services.</summary>
    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ManagementHttpEndpoints.Map(endpoints);
        endpoints.MapGrpcService<TenantGrpcService>();
        endpoints.MapGrpcService<ApplicationGrpcService>();
        endpoints.MapGrpcService<DeviceProfileGrpcService>();
        endpoints.MapGrpcService<DeviceGrpcService>();
        endpoints.MapGrpcService<GatewayGrpcService>();
        UsageHttpEndpoints.Map(endpoints);
        endpoints.MapGrpcService<UsageGrpcService>();
        return endpoints;
    }
}
