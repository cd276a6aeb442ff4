using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Joins;
using WirelessNet.Lns.Metering;
using WirelessNet.Lns.Mqtt.Applications;
using WirelessNet.Lns.Mqtt.Applications.Outbox;
using WirelessNet.Lns.Observability;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.Lns.Uplinks;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Hosting;

public static class NetworkServerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the network server core: options (<c>NetworkServer</c>, <c>Store</c>, <c>Redis</c>), the store
    /// (in memory or Redis), the uplink pipeline as the gateways' event sink, and the application event forwarding.
    /// </summary>
    public static IServiceCollection AddNetworkServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<NetworkServerOptions>()
            .Bind(configuration.GetSection(NetworkServerOptions.Section))
            .Validate(o => NetId.TryParse(o.NetId, null, out _), "NetworkServer:NetId must be 6 hex digits.")
            .Validate(o => o.DeduplicationWindow > TimeSpan.Zero && o.DeduplicationWindow <= TimeSpan.FromSeconds(5), "NetworkServer:DeduplicationWindow must be between 0 and 5 s.")
            .Validate(o => o.MaxDevAddrCandidates is >= 1 and <= 1024, "NetworkServer:MaxDevAddrCandidates must be 1–1024.")
            .Validate(o => o.Rx1DelaySeconds is >= 1 and <= 15, "NetworkServer:Rx1DelaySeconds must be 1–15.")
            .Validate(o => o.Rx1DrOffset is >= 0 and <= 7, "NetworkServer:Rx1DrOffset must be 0–7.")
            .Validate(o => o.ProvisioningCacheLifetime >= TimeSpan.Zero && o.ProvisioningCacheLifetime <= TimeSpan.FromMinutes(5), "NetworkServer:ProvisioningCacheLifetime must be between 0 and 5 minutes.")
            .Validate(o => o.EventJournalSweepInterval > TimeSpan.Zero && o.EventJournalStaleAfter >= TimeSpan.FromSeconds(1), "NetworkServer:EventJournalSweepInterval must be positive and NetworkServer:EventJournalStaleAfter at least 1 second.")
            .ValidateOnStart();
        services.AddOptions<StoreOptions>().Bind(configuration.GetSection(StoreOptions.Section));
        services.AddOptions<RedisStoreOptions>().Bind(configuration.GetSection(RedisStoreOptions.Section))
            .Validate(o => !o.KeyPrefix.Contains('{', StringComparison.Ordinal) && !o.KeyPrefix.Contains('}', StringComparison.Ordinal), "Redis:KeyPrefix cannot contain braces.");

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<PipelineMetrics>();
        services.TryAddSingleton<PrometheusMetrics>();

        var kind = configuration.GetSection(StoreOptions.Section).Get<StoreOptions>()?.Kind ?? StoreKind.InMemory;
        if (kind == StoreKind.Redis)
        {
            services.TryAddSingleton<IConnectionMultiplexer>(sp =>
                ConnectionMultiplexer.Connect(RedisConnectionOptions(sp.GetRequiredService<IOptions<RedisStoreOptions>>().Value.Configuration)));
            services.TryAddSingleton(sp => new RedisStore(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RedisStoreOptions>>().Value));
            AddStoreInterfaces<RedisStore>(services);
            services.TryAddSingleton<IApplicationEventOutbox>(sp => new RedisApplicationEventOutbox(
                sp.GetRequiredService<IConnectionMultiplexer>(),
                sp.GetRequiredService<IOptions<RedisStoreOptions>>().Value,
                sp.GetRequiredService<IOptions<ApplicationEventOutboxOptions>>().Value));
        }
        else
        {
            services.TryAddSingleton<InMemoryStore>();
            AddStoreInterfaces<InMemoryStore>(services);
        }

        // The meter follows the store kind (Redis: shared by every instance).
        services.AddPacketMetering(configuration);

        services.TryAddSingleton<SessionSecurityCache>();
        services.TryAddSingleton<ProvisioningCache>();
        services.TryAddSingleton<GatewayStatusBoard>();

        // Per transport: the sender a transport registers keyed by its GatewayTransport (Helium), else the
        // unkeyed IGatewayDownlinkSender (the MQTT bridge).
        services.TryAddSingleton(sp => new TransportDownlinkRouter(transport =>
            sp.GetKeyedService<IGatewayDownlinkSender>(transport) ?? sp.GetService<IGatewayDownlinkSender>()));
        services.TryAddSingleton(sp => new DownlinkDispatcher(
            () => sp.GetRequiredService<TransportDownlinkRouter>(),
            sp.GetRequiredService<IDownlinkQueueStore>(),
            sp.GetRequiredService<PipelineMetrics>(),
            sp.GetRequiredService<IOptions<NetworkServerOptions>>()));
        services.TryAddSingleton<UplinkDeduplicator>();
        services.TryAddSingleton<JoinServer>();
        services.TryAddSingleton<DataUplinkProcessor>();
        services.TryAddSingleton<TxAckHandler>();
        services.TryAddSingleton<UplinkPipeline>();
        services.TryAddSingleton<IGatewayEventSink>(sp => sp.GetRequiredService<UplinkPipeline>());
        services.TryAddSingleton<IDeviceEventSink, ApplicationEventForwarder>();
        services.TryAddSingleton<IDownlinkEnqueuer, QueueDownlinkEnqueuer>();
        services.TryAddSingleton<UplinkEventJournalSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<UplinkEventJournalSweeper>());
        return services;
    }

    /// <summary>
    /// Operators start Redis and the server together, and Redis may still be loading its data: unless the configuration
    /// says otherwise (<c>abortConnect=true</c>), the server starts and connects when Redis is ready instead of exiting
    /// (StackExchange.Redis's default); everything that needs the store waits or retries until then.
    /// </summary>
    internal static ConfigurationOptions RedisConnectionOptions(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        if (!configuration.Contains("abortConnect", StringComparison.OrdinalIgnoreCase))
        {
            options.AbortOnConnectFail = false;
        }

        return options;
    }

    private static void AddStoreInterfaces<TStore>(IServiceCollection services)
        where TStore : class, ISessionStore, IJoinStore, IDeduplicationStore, IDownlinkQueueStore, IDeviceRegistry
    {
        services.TryAddSingleton<ISessionStore>(sp => sp.GetRequiredService<TStore>());
        services.TryAddSingleton<IJoinStore>(sp => sp.GetRequiredService<TStore>());
        services.TryAddSingleton<IDeduplicationStore>(sp => sp.GetRequiredService<TStore>());
        services.TryAddSingleton<IDownlinkQueueStore>(sp => sp.GetRequiredService<TStore>());
        services.TryAddSingleton<IDeviceRegistry>(sp => sp.GetRequiredService<TStore>());
    }
}
