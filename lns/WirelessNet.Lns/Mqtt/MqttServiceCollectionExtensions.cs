using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Mqtt.Applications;
using WirelessNet.Lns.Mqtt.Applications.Outbox;
using WirelessNet.Lns.Mqtt.Broker;
using WirelessNet.Lns.Mqtt.Gateways;

namespace WirelessNet.Lns.Mqtt;

public static class MqttServiceCollectionExtensions
{
    /// <summary>
    /// Registers the MQTT side of the server: the optional embedded broker (<c>Mqtt:Broker</c>), the gateway bridge
    /// connection (<c>Mqtt:Gateway</c>) as a hosted service, <see cref="IGatewayDownlinkSender"/> (added next to any
    /// other transport's sender), <see cref="IApplicationEventPublisher"/>, and the application downlink commands
    /// when an <see cref="IDownlinkEnqueuer"/> is registered. The host must register <see cref="IGatewayEventSink"/>.
    /// </summary>
    public static IServiceCollection AddMqttGatewayBridge(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<EmbeddedBrokerOptions>()
            .Bind(configuration.GetSection(EmbeddedBrokerOptions.SectionName))
            .Validate(o => o.Port is > 0 and <= 65535, "Mqtt:Broker:Port must be between 1 and 65535.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Host), "Mqtt:Broker:Host is required.")
            .Validate(o => string.IsNullOrEmpty(o.Username) || !string.IsNullOrEmpty(o.Password), "Mqtt:Broker:Password is required with a user name.")
            .ValidateOnStart();
        services.AddOptions<MqttGatewayOptions>()
            .Bind(configuration.GetSection(MqttGatewayOptions.SectionName))
            .Validate(o => o.Port is > 0 and <= 65535, "Mqtt:Gateway:Port must be between 1 and 65535.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Host), "Mqtt:Gateway:Host is required.")
            .Validate(o => o.Qos is 0 or 1, "Mqtt:Gateway:Qos must be 0 or 1.")
            .Validate(o => o.ReconnectDelay > TimeSpan.Zero && o.MaxReconnectDelay >= o.ReconnectDelay, "Mqtt:Gateway:ReconnectDelay must be positive and at most MaxReconnectDelay.")
            .Validate(o => o.SharedSubscriptionGroup.IndexOfAny(['/', '+', '#']) < 0, "Mqtt:Gateway:SharedSubscriptionGroup cannot contain '/', '+' or '#'.")
            .Validate(o => HasValidPrefixes(o), "Mqtt:Gateway:TopicPrefixes must be MQTT topic prefixes without wildcards or empty levels.")
            .ValidateOnStart();

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MqttMetrics>();
        services.TryAddSingleton<GatewayMessageCodec>();

        // The broker first: hosted services start in registration order, so the bridge finds it listening.
        services.TryAddSingleton<EmbeddedMqttBroker>();
        services.AddHostedService(sp => sp.GetRequiredService<EmbeddedMqttBroker>());

        services.TryAddSingleton(sp => new MqttGatewayBridge(
            sp.GetRequiredService<IOptions<MqttGatewayOptions>>(),
            sp.GetRequiredService<GatewayMessageCodec>(),
            sp.GetRequiredService<IGatewayEventSink>,
            sp.GetRequiredService<MqttMetrics>(),
            sp.GetRequiredService<ILogger<MqttGatewayBridge>>(),
            () => TopicHandlers(sp),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IOptions<MqttGatewayOptions>>().Value.Enabled
            ? sp.GetRequiredService<MqttGatewayBridge>()
            : new DisabledService());
        services.AddSingleton<IGatewayDownlinkSender>(sp => sp.GetRequiredService<MqttGatewayBridge>());
        services.TryAddSingleton<IMqttMessagePublisher>(sp => sp.GetRequiredService<MqttGatewayBridge>());
        // Application events wait in the outbox while the broker is away (the store's outbox when the network server
        // registered one, else in memory). Without the bridge nothing would ever drain it, so events are not kept.
        services.AddOptions<ApplicationEventOutboxOptions>().Bind(configuration.GetSection(ApplicationEventOutboxOptions.Section))
            .Validate(o => o.MaxEvents > 0 && o.BatchSize is > 0 and <= 10_000 && o.PollInterval > TimeSpan.Zero, "Mqtt:Outbox: MaxEvents and BatchSize (at most 10000) must be positive, PollInterval above zero.")
            .ValidateOnStart();
        services.TryAddSingleton<IApplicationEventOutbox, InMemoryApplicationEventOutbox>();
        services.TryAddSingleton<ApplicationEventOutboxRelay>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IOptions<MqttGatewayOptions>>().Value.Enabled
            ? sp.GetRequiredService<ApplicationEventOutboxRelay>()
            : new DisabledService());
        services.TryAddSingleton<IApplicationEventPublisher>(sp => new ApplicationEventPublisher(
            sp.GetRequiredService<IMqttMessagePublisher>(),
            sp.GetRequiredService<IOptions<MqttGatewayOptions>>().Value.Enabled ? sp.GetRequiredService<ApplicationEventOutboxRelay>() : null));
        return services;
    }

    /// <summary>Registered handlers, plus the downlink commands when the host provides an enqueuer.</summary>
    private static List<IMqttTopicHandler> TopicHandlers(IServiceProvider sp)
    {
        var handlers = sp.GetServices<IMqttTopicHandler>().ToList();
        if (sp.GetService<IDownlinkEnqueuer>() is { } enqueuer)
        {
            handlers.Add(new ApplicationDownlinkCommands(
                enqueuer,
                sp.GetRequiredService<MqttMetrics>(),
                sp.GetRequiredService<ILogger<ApplicationDownlinkCommands>>()));
        }

        return handlers;
    }

    private static bool HasValidPrefixes(MqttGatewayOptions options)
    {
        try
        {
            _ = new GatewayTopics(options.EffectiveTopicPrefixes);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Stands in for the bridge when <c>Mqtt:Gateway:Enabled</c> is false.</summary>
    private sealed class DisabledService : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
