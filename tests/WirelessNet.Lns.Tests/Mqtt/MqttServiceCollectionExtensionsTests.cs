using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Mqtt.Applications;
using WirelessNet.Lns.Mqtt.Broker;
using WirelessNet.Lns.Mqtt.Gateways;

namespace WirelessNet.Lns.Tests.Mqtt;

public sealed class MqttServiceCollectionExtensionsTests
{
    [Fact]
    public void Binds_the_options_from_configuration()
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            ["Mqtt:Broker:Enabled"] = "true",
            ["Mqtt:Broker:Port"] = "1884",
            ["Mqtt:Broker:Username"] = "gw",
            ["Mqtt:Broker:Password"] = "secret",
            ["Mqtt:Gateway:Host"] = "broker.internal",
            ["Mqtt:Gateway:Port"] = "8883",
            ["Mqtt:Gateway:UseTls"] = "true",
            ["Mqtt:Gateway:TopicPrefixes:0"] = "us915_0",
            ["Mqtt:Gateway:TopicPrefixes:1"] = "eu868",
            ["Mqtt:Gateway:SharedSubscriptionGroup"] = "lns",
            ["Mqtt:Gateway:Qos"] = "1",
            ["Mqtt:Gateway:ReconnectDelay"] = "00:00:02",
        });

        var broker = provider.GetRequiredService<IOptions<EmbeddedBrokerOptions>>().Value;
        Assert.True(broker.Enabled);
        Assert.Equal((1884, "gw", "secret"), (broker.Port, broker.Username, broker.Password));
        var gateway = provider.GetRequiredService<IOptions<MqttGatewayOptions>>().Value;
        Assert.Equal(("broker.internal", 8883, true), (gateway.Host, gateway.Port, gateway.UseTls));
        Assert.Equal(["us915_0", "eu868"], gateway.EffectiveTopicPrefixes);
        Assert.Equal(("lns", 1), (gateway.SharedSubscriptionGroup, gateway.Qos));
        Assert.Equal(TimeSpan.FromSeconds(2), gateway.ReconnectDelay);
    }

    [Fact]
    public void Defaults_and_the_registered_services()
    {
        using var provider = Build([]);

        var gateway = provider.GetRequiredService<IOptions<MqttGatewayOptions>>().Value;
        Assert.Equal(("127.0.0.1", 1883, "wirelessnet", 0), (gateway.Host, gateway.Port, gateway.SharedSubscriptionGroup, gateway.Qos));
        Assert.Equal(["eu868"], gateway.EffectiveTopicPrefixes);
        Assert.False(provider.GetRequiredService<IOptions<EmbeddedBrokerOptions>>().Value.Enabled);

        var bridge = provider.GetRequiredService<MqttGatewayBridge>();
        Assert.Same(bridge, Assert.Single(provider.GetServices<IGatewayDownlinkSender>()));
        Assert.Same(bridge, provider.GetRequiredService<IMqttMessagePublisher>());
        Assert.IsType<ApplicationEventPublisher>(provider.GetRequiredService<IApplicationEventPublisher>());
        var hosted = provider.GetServices<IHostedService>().ToList();
        Assert.IsType<EmbeddedMqttBroker>(hosted[0]);
        Assert.Same(bridge, hosted[1]);
    }

    [Fact]
    public void Invalid_options_fail_validation()
    {
        using var provider = Build(new Dictionary<string, string?> { ["Mqtt:Gateway:Qos"] = "2", ["Mqtt:Gateway:TopicPrefixes:0"] = "eu868/#" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MqttGatewayOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains("Qos", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("TopicPrefixes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sink_that_depends_on_the_bridge_is_no_dependency_cycle()
    {
        // The real pipeline is such a sink: it sends downlinks and publishes application events through the bridge.
        var port = WirelessNet.Testing.FreeTcpPort.Pick();
        await using var provider = Build(
            new Dictionary<string, string?> { ["Mqtt:Gateway:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            services => services.AddSingleton<IGatewayEventSink, PipelineLikeSink>());

        var bridge = provider.GetRequiredService<MqttGatewayBridge>();
        await bridge.StartAsync(CancellationToken.None);
        await bridge.StopAsync(CancellationToken.None);

        var sink = Assert.IsType<PipelineLikeSink>(provider.GetRequiredService<IGatewayEventSink>());
        Assert.Same(bridge, sink.Sender);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        if (configure is null)
        {
            services.AddSingleton<IGatewayEventSink, RecordingGatewayEventSink>();
        }
        else
        {
            configure(services);
        }

        services.AddMqttGatewayBridge(configuration);
        return services.BuildServiceProvider();
    }

    private sealed class PipelineLikeSink(IGatewayDownlinkSender sender, IApplicationEventPublisher events) : IGatewayEventSink
    {
        public IGatewayDownlinkSender Sender { get; } = sender;

        public IApplicationEventPublisher Events { get; } = events;

        public ValueTask OnUplinkAsync(UplinkReception reception, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnTxAckAsync(DownlinkTxAck ack, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnStatsAsync(GatewayStatsReport stats, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnConnectionStateAsync(WirelessNet.LoRaWan.Primitives.Eui64 gatewayId, bool online, DateTimeOffset at, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;
    }
}
