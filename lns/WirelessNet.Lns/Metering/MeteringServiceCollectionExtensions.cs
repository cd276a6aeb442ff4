using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WirelessNet.Lns.Hosting;
using WirelessNet.Lns.Storage.Redis;

namespace WirelessNet.Lns.Metering;

public static class MeteringServiceCollectionExtensions
{
    /// <summary>
    /// Metering (<c>Metering</c> section): the meter in Redis with <c>Store:Kind=Redis</c> (sharing the server's
    /// connection, key prefix and database, so every instance adds into the same counters), in process memory otherwise;
    /// and <see cref="PacketMetering"/>, which the join server and data-uplink processor charge through.
    /// </summary>
    public static IServiceCollection AddPacketMetering(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MeteringOptions>()
            .Bind(configuration.GetSection(MeteringOptions.Section))
            .Validate(o => o.MaxReports >= 0, "Metering:MaxReports cannot be negative.")
            .Validate(o => o.MaxQueryHours is >= 1 and <= 24 * 400, "Metering:MaxQueryHours must be 1–9600.")
            .Validate(o => o.Retention >= TimeSpan.Zero, "Metering:Retention cannot be negative.")
            .ValidateOnStart();
        if (configuration.GetSection(StoreOptions.Section).Get<StoreOptions>()?.Kind == StoreKind.Redis)
        {
            services.TryAddSingleton<IPacketMeter>(sp => new RedisPacketMeter(
                sp.GetRequiredService<IConnectionMultiplexer>(),
                sp.GetRequiredService<IOptions<RedisStoreOptions>>().Value,
                sp.GetRequiredService<IOptions<MeteringOptions>>().Value));
        }
        else
        {
            services.TryAddSingleton<IPacketMeter>(sp => new InMemoryPacketMeter(sp.GetRequiredService<IOptions<MeteringOptions>>().Value));
        }

        services.TryAddSingleton<MeteringMetrics>();
        services.TryAddSingleton<PacketMetering>();
        return services;
    }
}
