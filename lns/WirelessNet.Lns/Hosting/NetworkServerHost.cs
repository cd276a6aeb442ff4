using Microsoft.Extensions.Options;
using WirelessNet.Coverage.Http;
using WirelessNet.Lns.Api;
using WirelessNet.Lns.Coverage;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Offload;
using WirelessNet.Lns.Observability;
using WirelessNet.Lns.Poc;
using WirelessNet.Lns.Storage.Redis;

namespace WirelessNet.Lns.Hosting;

/// <summary>Builds the network server application: what <c>dotnet run</c> starts, and what integration tests host.</summary>
public static class NetworkServerHost
{
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--Store:Kind=Redis</c>).</param>
    /// <param name="overrides">Configuration values applied last (tests use them for ports and stores).</param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Services.AddNetworkServer(builder.Configuration);
        builder.Services.AddMqttGatewayBridge(builder.Configuration);
        builder.Services.AddMeasuredCoverage(builder.Configuration);
        builder.Services.AddHeliumPacketRouter(builder.Configuration);
        builder.Services.AddCarrierOffload(builder.Configuration);

        // After AddNetworkServer: the API wraps the device event sink to keep recent frames.
        builder.Services.AddManagementApi(builder.Configuration);
        builder.Services.AddProofOfCoverage(builder.Configuration);

        var app = builder.Build();

        // Listen from the start: measurements made before the listener exists are not seen.
        _ = app.Services.GetRequiredService<PrometheusMetrics>();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/metrics", (PrometheusMetrics metrics) => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapManagementApi();
        app.MapHeliumPacketRouter();
        app.MapCarrierOffload();
        app.MapCoverageEndpoints();
        app.MapProofOfCoverage();

        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStarted.Register(() => LogStore(app));
        return app;
    }

    private static void LogStore(WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<StoreOptions>>().Value.Kind == StoreKind.InMemory)
        {
            app.Logger.LogWarning("Store: IN MEMORY. Sessions, queues and counters are lost when the server stops; set Store:Kind=Redis and Redis:Configuration for production.");
        }
        else
        {
            var configuration = app.Services.GetRequiredService<IOptions<RedisStoreOptions>>().Value.Configuration;

            // A Redis configuration string may carry a password; only the endpoints are logged.
            var endpoints = string.Join(',', configuration.Split(',').Where(part => !part.Contains('=', StringComparison.Ordinal)));
            app.Logger.LogInformation("Store: Redis ({Endpoints})", endpoints);
        }
    }
}
