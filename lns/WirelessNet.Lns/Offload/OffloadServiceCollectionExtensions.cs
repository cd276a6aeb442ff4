using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WirelessNet.Lns.Hosting;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Storage.Redis;

namespace WirelessNet.Lns.Offload;

public static class OffloadServiceCollectionExtensions
{
    /// <summary>
    /// Carrier offload (<c>Offload</c> section): the store (Redis with <c>Store:Kind=Redis</c>, sharing the server's
    /// connection and key prefix; in memory otherwise), the directory and its refresher, the ingest pipeline, the
    /// settlement service, and the MQTT topic handler. Nothing is registered unless <c>Offload:Enabled</c> is true.
    /// </summary>
    public static IServiceCollection AddCarrierOffload(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<OffloadOptions>()
            .Bind(configuration.GetSection(OffloadOptions.Section))
            .Validate(o => o.IsValid(out _), "Offload is invalid (positive limits and durations; StatementKeySeed empty or 64 hex digits; MqttTopicPrefix without wildcards).")
            .ValidateOnStart();
        if (configuration.GetSection(OffloadOptions.Section).Get<OffloadOptions>()?.Enabled != true)
        {
            return services;
        }

        if (configuration.GetSection(StoreOptions.Section).Get<StoreOptions>()?.Kind == StoreKind.Redis)
        {
            services.TryAddSingleton<IOffloadStore>(sp => new RedisOffloadStore(
                sp.GetRequiredService<IConnectionMultiplexer>(),
                sp.GetRequiredService<IOptions<RedisStoreOptions>>().Value,
                sp.GetRequiredService<IOptions<OffloadOptions>>().Value.SettlementPeriod));
        }
        else
        {
            services.TryAddSingleton<IOffloadStore>(sp => new InMemoryOffloadStore(
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<OffloadOptions>>().Value.SettlementPeriod));
        }

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OffloadMetrics>();
        services.TryAddSingleton<OffloadDirectory>();
        services.AddHostedService<OffloadDirectoryRefresher>();
        services.TryAddSingleton<StatementSigningKey>();
        services.TryAddSingleton<OffloadIngest>();
        services.TryAddSingleton<OffloadSettlement>();
        if (configuration.GetSection(OffloadOptions.Section).Get<OffloadOptions>()?.AutoClose != false)
        {
            services.AddHostedService<OffloadPeriodCloser>();
        }

        services.AddSingleton<IMqttTopicHandler, OffloadMqttIngest>();
        services.AddGrpc();
        return services;
    }

    /// <summary>Maps the offload gRPC services and HTTP endpoints when <c>Offload:Enabled</c> is true.</summary>
    public static IEndpointRouteBuilder MapCarrierOffload(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<OffloadOptions>>().Value.Enabled)
        {
            endpoints.MapGrpcService<PocMobileService>();
            endpoints.MapGrpcService<OffloadIngestService>();
            endpoints.MapGrpcService<OffloadPartnerService>();
            OffloadHttpEndpoints.Map(endpoints);
        }

        return endpoints;
    }
}
