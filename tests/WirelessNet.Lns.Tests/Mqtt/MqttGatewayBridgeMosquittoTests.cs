using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Mqtt.Gateways;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Testing;
using Gw = WirelessNet.Proto.ChirpStack.Gateway;

namespace WirelessNet.Lns.Tests.Mqtt;

/// <summary>The bridge against a real mosquitto 2 broker, which supports MQTT 5 shared subscriptions.</summary>
public sealed class MqttGatewayBridgeMosquittoTests : IClassFixture<MosquittoFixture>
{
    private static readonly Eui64 GatewayId = Eui64.Parse("0016c001f153a14c");

    private readonly MosquittoFixture _mosquitto;

    public MqttGatewayBridgeMosquittoTests(MosquittoFixture mosquitto)
    {
        _mosquitto = mosquitto;
    }

    [Fact]
    public async Task Uses_shared_subscriptions_gets_retained_states_and_survives_a_broker_restart()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var token = timeout.Token;
        var sink = new RecordingGatewayEventSink();

        // The bridge publishes its connection state retained; a server starting later must still see it.
        await using (var bridgeProcess = await SimulatedMqttClient.ConnectAsync(_mosquitto.Host, _mosquitto.Port, token))
        {
            var online = new Gw.ConnState { GatewayId = GatewayId.ToString(), State = Gw.ConnState.Types.State.Online };
            await bridgeProcess.PublishAsync(GatewayTopics.StateTopic("eu868", GatewayId), online.ToByteArray(), token, retain: true);
        }

        using var metrics = new MqttMetrics();
        using var bridge = new MqttGatewayBridge(
            Options.Create(new MqttGatewayOptions
            {
                Host = _mosquitto.Host,
                Port = _mosquitto.Port,
                Qos = 1,
                ReconnectDelay = TimeSpan.FromMilliseconds(100),
                MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
            }),
            new GatewayMessageCodec(),
            sink,
            metrics,
            NullLogger<MqttGatewayBridge>.Instance);
        await bridge.StartAsync(token);
        try
        {
            await TestWait.UntilAsync(() => bridge.SubscriptionRounds >= 1, "the bridge has subscribed");
            Assert.True(bridge.UsesSharedSubscriptions);
            Assert.Equal((GatewayId, true), await sink.ConnectionStates.NextAsync());

            await PublishUplinkAndReceiveAsync(sink, 1, token);

            await using (var gateway = await SimulatedMqttClient.ConnectAsync(_mosquitto.Host, _mosquitto.Port, token))
            {
                await gateway.SubscribeAsync(GatewayTopics.CommandTopic("eu868", GatewayId), token);
                await bridge.SendAsync(
                    new DownlinkTransmission(GatewayId, 5, [
                        new DownlinkItem([0x60], 868_100_000, 14, new LoRaModulation(7, 125_000, 5), new DownlinkTiming.Delay(TimeSpan.FromSeconds(1)), [9]),
                    ]),
                    GatewayTransport.MqttProtobuf,
                    token);
                var (topic, payload) = await gateway.Received.NextAsync();
                Assert.Equal("eu868/gateway/0016c001f153a14c/command/down", topic);
                Assert.Equal(5u, Gw.DownlinkFrame.Parser.ParseFrom(payload).DownlinkId);
            }

            await _mosquitto.Broker.RestartAsync(cancellationToken: token);
            await TestWait.UntilAsync(() => bridge.SubscriptionRounds >= 2, "the bridge has reconnected and subscribed again", TimeSpan.FromSeconds(30));

            await PublishUplinkAndReceiveAsync(sink, 2, token);
        }
        finally
        {
            await bridge.StopAsync(CancellationToken.None);
        }
    }

    private async Task PublishUplinkAndReceiveAsync(RecordingGatewayEventSink sink, uint uplinkId, CancellationToken token)
    {
        await using var gateway = await SimulatedMqttClient.ConnectAsync(_mosquitto.Host, _mosquitto.Port, token);
        var frame = GatewayMessageCodecTests.ValidFrame();
        frame.RxInfo.UplinkId = uplinkId;
        await gateway.PublishAsync(GatewayTopics.EventTopic("eu868", GatewayId, "up"), frame.ToByteArray(), token);

        var received = await sink.Uplinks.NextAsync();
        Assert.Equal(uplinkId, received.UplinkId);
        Assert.Equal(GatewayTransport.MqttProtobuf, received.Transport);
    }
}
