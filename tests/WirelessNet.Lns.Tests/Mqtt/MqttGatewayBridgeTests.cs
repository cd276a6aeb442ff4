using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Mqtt.Broker;
using WirelessNet.Lns.Mqtt.Gateways;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Testing;
using Gw = WirelessNet.Proto.ChirpStack.Gateway;

namespace WirelessNet.Lns.Tests.Mqtt;

public sealed class MqttGatewayBridgeTests
{
    private static readonly Eui64 GatewayId = Eui64.Parse("0016c001f153a14c");

    private static readonly DownlinkTransmission Downlink = new(GatewayId, 1, [
        new DownlinkItem([0x60], 923_300_000, 20, new LoRaModulation(10, 500_000, 5), new DownlinkTiming.Delay(TimeSpan.FromSeconds(1)), [1]),
    ]);

    [Fact]
    public async Task Refuses_other_transports_and_sends_nothing_while_disconnected()
    {
        using var metrics = new MqttMetrics();
        using var bridge = Bridge(new MqttGatewayOptions(), metrics);

        await Assert.ThrowsAsync<ArgumentException>(async () => await bridge.SendAsync(Downlink, GatewayTransport.HeliumGrpc, CancellationToken.None));
        await Assert.ThrowsAsync<MqttNotConnectedException>(async () => await bridge.SendAsync(Downlink, GatewayTransport.MqttProtobuf, CancellationToken.None));
        Assert.False(bridge.IsConnected);
    }

    [Fact]
    public void Refuses_a_qos_other_than_0_or_1()
    {
        using var metrics = new MqttMetrics();
        Assert.Throws<ArgumentException>(() => Bridge(new MqttGatewayOptions { Qos = 2 }, metrics));
    }

    [Fact]
    public async Task Sends_commands_under_the_region_prefix_the_gateway_publishes_under()
    {
        var port = FreeTcpPort.Pick();
        await using var broker = new EmbeddedMqttBroker(
            Options.Create(new EmbeddedBrokerOptions { Enabled = true, Port = port }),
            NullLogger<EmbeddedMqttBroker>.Instance);
        await broker.StartAsync(CancellationToken.None);
        var options = new MqttGatewayOptions { Port = port, Qos = 1 };
        options.TopicPrefixes.Add("eu868");
        options.TopicPrefixes.Add("us915_0");
        var sink = new RecordingGatewayEventSink();
        using var metrics = new MqttMetrics();
        using var bridge = Bridge(options, metrics, sink);
        await bridge.StartAsync(CancellationToken.None);
        try
        {
            await TestWait.UntilAsync(() => bridge.SubscriptionRounds == 1, "the bridge has subscribed");
            await using var gateway = await SimulatedMqttClient.ConnectAsync("127.0.0.1", port, CancellationToken.None);
            await gateway.SubscribeAsync("+/gateway/0016c001f153a14c/command/down", CancellationToken.None);

            var frame = GatewayMessageCodecTests.ValidFrame();
            frame.TxInfo.Frequency = 902_300_000;
            await gateway.PublishAsync(GatewayTopics.EventTopic("us915_0", GatewayId, "up"), frame.ToByteArray(), CancellationToken.None);
            Assert.Equal(902_300_000UL, (await sink.Uplinks.NextAsync()).FrequencyHz);

            await bridge.SendAsync(Downlink, GatewayTransport.MqttProtobuf, CancellationToken.None);

            var (topic, payload) = await gateway.Received.NextAsync();
            Assert.Equal("us915_0/gateway/0016c001f153a14c/command/down", topic);
            Assert.Equal(923_300_000u, Gw.DownlinkFrame.Parser.ParseFrom(payload).Items[0].TxInfo.Frequency);
        }
        finally
        {
            await bridge.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Falls_back_to_mqtt_3_1_1_when_the_broker_refuses_mqtt_5()
    {
        var port = FreeTcpPort.Pick();
        var factory = new MQTTnet.Server.MqttServerFactory();
        using var server = factory.CreateMqttServer(factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(System.Net.IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(System.Net.IPAddress.None)
            .WithDefaultEndpointPort(port)
            .Build());
        var versions = new System.Collections.Concurrent.ConcurrentQueue<MQTTnet.Formatter.MqttProtocolVersion>();
        server.ValidatingConnectionAsync += args =>
        {
            versions.Enqueue(args.ProtocolVersion);
            if (args.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500)
            {
                args.ReasonCode = MQTTnet.Protocol.MqttConnectReasonCode.UnsupportedProtocolVersion;
            }

            return Task.CompletedTask;
        };
        await server.StartAsync();
        using var metrics = new MqttMetrics();
        using var bridge = Bridge(new MqttGatewayOptions { Port = port, ReconnectDelay = TimeSpan.FromMilliseconds(50) }, metrics);
        await bridge.StartAsync(CancellationToken.None);
        try
        {
            await TestWait.UntilAsync(() => bridge.SubscriptionRounds == 1, "the bridge has connected with MQTT 3.1.1");
            Assert.Equal([MQTTnet.Formatter.MqttProtocolVersion.V500, MQTTnet.Formatter.MqttProtocolVersion.V311], versions);
            Assert.False(bridge.UsesSharedSubscriptions);
        }
        finally
        {
            await bridge.StopAsync(CancellationToken.None);
            await server.StopAsync(new MQTTnet.Server.MqttServerStopOptionsBuilder().Build());
        }
    }

    private static MqttGatewayBridge Bridge(MqttGatewayOptions options, MqttMetrics metrics, RecordingGatewayEventSink? sink = null) =>
        new(Options.Create(options), new GatewayMessageCodec(), sink ?? new RecordingGatewayEventSink(), metrics, NullLogger<MqttGatewayBridge>.Instance);
}
