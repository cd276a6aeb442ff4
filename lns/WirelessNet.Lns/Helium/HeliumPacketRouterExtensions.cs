using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium.Relay;
using WirelessNet.Lns.Hosting;
using WirelessNet.Lns.Storage.Redis;

namespace WirelessNet.Lns.Helium;

public static class HeliumPacketRouterExtensions
{
    /// <summary>
    /// Registers the Helium packet-router door: options (<c>Helium:PacketRouter</c>), the stream registry, and the
    /// Helium downlink sender as the <see cref="IGatewayDownlinkSender"/> keyed by <see cref="GatewayTransport.HeliumGrpc"/>
    /// (the transport router picks it for Helium gateways). The host must register <see cref="IGatewayEventSink"/>
    /// and <see cref="Storage.IDeviceRegistry"/>, and map the service with <see cref="MapHeliumPacketRouter"/>.
    /// With <c>Store:Kind=Redis</c> the instances sharing the Redis relay downlinks to each other's streams (the
    /// host must register the <see cref="IConnectionMultiplexer"/>, as <c>AddNetworkServer</c> does).
    /// </summary>
    public static IServiceCollection AddHeliumPacketRouter(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<HeliumPacketRouterOptions>()
            .Bind(configuration.GetSection(HeliumPacketRouterOptions.Section))
            .Validate(o => o.IsValid(out _), "Helium:PacketRouter is invalid (positive lifetimes and rates, PacketBurst and DownstreamCapacity at least 1).")
            .ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HeliumMetrics>();
        if (configuration.GetSection(StoreOptions.Section).Get<StoreOptions>()?.Kind == StoreKind.Redis)
        {
            services.TryAddSingleton(sp => new RedisHeliumStreamRelay(
                sp.GetRequiredService<IConnectionMultiplexer>(),
                sp.GetRequiredService<IOptions<RedisStoreOptions>>().Value,
                sp.GetRequiredService<IOptions<HeliumPacketRouterOptions>>().Value));
            services.TryAddSingleton<IHeliumStreamRelay>(sp => sp.GetRequiredService<RedisHeliumStreamRelay>());
            services.AddHostedService<HeliumRelayService>();
        }

        services.TryAddSingleton<HeliumGatewayStreams>();
        services.TryAddKeyedSingleton<IGatewayDownlinkSender>(GatewayTransport.HeliumGrpc, (sp, _) => sp.GetRequiredService<HeliumGatewayStreams>());
        services.AddGrpc();
        return services;
    }

    /// <summary>Maps <c>helium.packet_router.packet</c> unless <c>Helium:PacketRouter:Enabled</c> is false.</summary>
    public static IEndpointRouteBuilder MapHeliumPacketRouter(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<HeliumPacketRouterOptions>>().Value.Enabled)
        {
            endpoints.MapGrpcService<PacketRouterService>();
        }

        return endpoints;
    }
}
