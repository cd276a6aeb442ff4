using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WirelessNet.Coverage.Measured;
using WirelessNet.Lns.Hosting;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Storage.Redis;

namespace WirelessNet.Lns.Coverage;

public static class CoverageServiceCollectionExtensions
{
    /// <summary>
    /// Measured coverage: the coverage store (in Redis with <c>Store:Kind=Redis</c>, sharing the server's connection, key
    /// prefix and database, so every instance aggregates into the same hexes; in process memory otherwise) and the
    /// recorder that feeds it from mapper uplinks. Call after <c>AddNetworkServer</c>: the recorder wraps the device event
    /// sink registered there.
    /// </summary>
    public static IServiceCollection AddMeasuredCoverage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CoverageOptions>()
            .Bind(configuration.GetSection(CoverageOptions.Section))
            .Validate(o => o.MapperFPorts.All(p => p is >= 1 and <= 223), "Coverage:MapperFPorts must be application ports 1–223.")
            .ValidateOnStart();
        if (configuration.GetSection(StoreOptions.Section).Get<StoreOptions>()?.Kind == StoreKind.Redis)
        {
            services.TryAddSingleton<ICoverageStore>(sp => new RedisCoverageStore(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RedisStoreOptions>>().Value));
        }
        else
        {
            services.TryAddSingleton<ICoverageStore>(_ => new InMemoryCoverageStore());
        }

        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IDeviceEventSink) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("AddMeasuredCoverage needs the device event sink of AddNetworkServer.");
        services.Remove(existing);
        services.Add(ServiceDescriptor.Describe(
            typeof(IDeviceEventSink),
            sp => new CoverageRecorder(
                (IDeviceEventSink)(existing.ImplementationInstance ?? existing.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, existing.ImplementationType!)),
                sp.GetRequiredService<ICoverageStore>(),
                sp.GetRequiredService<IDeviceRegistry>(),
                sp.GetRequiredService<IOptions<CoverageOptions>>()),
            existing.Lifetime));
        return services;
    }
}
