using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WirelessNet.Coverage.Measured;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Hosting;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Storage.Redis;

namespace WirelessNet.Lns.Poc;

public static class ProofOfCoverageExtensions
{
    /// <summary>
    /// Proof of coverage on the server (options <c>Poc</c>): the store (Redis with <c>Store:Kind=Redis</c>, else in
    /// memory), the entropy chain, report ingest, the round verifier, the challenger, rewards, and the gateway event tap
    /// that turns MQTT gateways' beacon receptions into witnesses. Call after <c>AddNetworkServer</c>,
    /// <c>AddMeasuredCoverage</c> and the gateway transports: the tap wraps their event sink.
    /// </summary>
    public static IServiceCollection AddProofOfCoverage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PocOptions>()
            .Bind(configuration.GetSection(PocOptions.Section))
            .Validate(o => o.IsValid(out _), "Poc is invalid (see docs/configuration.md: seed hex ≥ 16 bytes, window ≥ 1 min in whole seconds, settle delay above the witness deadlines).")
            .ValidateOnStart();
        var poc = configuration.GetSection(PocOptions.Section).Get<PocOptions>() ?? new PocOptions();
        if (!poc.Enabled)
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<PocMetrics>();
        if (configuration.GetSection(StoreOptions.Section).Get<StoreOptions>()?.Kind == StoreKind.Redis)
        {
            services.TryAddSingleton<IPocStore>(sp => new RedisPocStore(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RedisStoreOptions>>().Value, poc.Retention));
        }
        else
        {
            services.TryAddSingleton<IPocStore, InMemoryPocStore>();
        }

        services.TryAddSingleton<ICoverageStore>(_ => new InMemoryCoverageStore());
        services.TryAddSingleton<PocEntropySource>();
        services.AddHostedService(sp => sp.GetRequiredService<PocEntropySource>());
        services.TryAddSingleton<PocKeyCache>();
        services.TryAddSingleton<PocHotspotDirectory>();
        services.TryAddSingleton<PocReportIngest>();
        services.TryAddSingleton<PocRoundProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<PocRoundProcessor>());
        services.TryAddSingleton<PocChallenger>();
        services.AddHostedService(sp => sp.GetRequiredService<PocChallenger>());
        services.TryAddSingleton<PocRewards>();
        services.AddGrpc();

        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IGatewayEventSink) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("AddProofOfCoverage needs the gateway event sink of AddNetworkServer.");
        services.Remove(existing);
        services.Add(ServiceDescriptor.Describe(
            typeof(IGatewayEventSink),
            sp => new PocGatewayEventTap(
                (IGatewayEventSink)(existing.ImplementationInstance ?? existing.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, existing.ImplementationType!)),
                sp.GetRequiredService<PocReportIngest>(),
                sp.GetRequiredService<PocHotspotDirectory>(),
                sp.GetRequiredService<ProvisioningCache>(),
                sp.GetRequiredService<PocMetrics>(),
                sp.GetRequiredService<ILogger<PocGatewayEventTap>>()),
            existing.Lifetime));
        return services;
    }

    /// <summary>Maps <c>helium.poc_lora.poc_lora</c>, <c>helium.poc_entropy.poc_entropy</c> and <c>/api/poc/…</c> unless <c>Poc:Enabled</c> is false.</summary>
    public static IEndpointRouteBuilder MapProofOfCoverage(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<PocOptions>>().Value.Enabled)
        {
            endpoints.MapGrpcService<PocLoraService>();
            endpoints.MapGrpcService<PocEntropyService>();
            PocHttpEndpoints.Map(endpoints);
        }

        return endpoints;
    }
}
