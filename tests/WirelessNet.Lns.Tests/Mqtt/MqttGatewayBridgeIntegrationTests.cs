using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Mqtt.Applications;
using WirelessNet.Lns.Mqtt.Broker;
using WirelessNet.Lns.Mqtt.Gateways;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Testing;
using Gw = WirelessNet.Proto.ChirpStack.Gateway;

namespace WirelessNet.Lns.Tests.Mqtt;

/// <summary>The bridge against the embedded MQTTnet broker, with simulated gateway bridges and an application.</summary>
public sealed class MqttGatewayBridgeIntegrationTests : IAsyncLifetime
{
    private static readonly Eui64 ProtobufGateway = Eui64.Parse("0016c001f153a14c");
    private static readonly Eui64 JsonGateway = Eui64.Parse("00800000a0001234");

    private readonly int _port = FreeTcpPort.Pick();
    private readonly RecordingGatewayEventSink _sink = new();
    private readonly RecordingDownlinkEnqueuer _enqueuer = new();
    private readonly MqttMetrics _metrics = new();
    private readonly MqttMetricsRecorder _recorder;
    private readonly EmbeddedMqttBroker _broker;
    private readonly MqttGatewayBridge _bridge;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

    public MqttGatewayBridgeIntegrationTests()
    {
        _recorder = new MqttMetricsRecorder(_metrics);
        _broker = new EmbeddedMqttBroker(
            Options.Create(new EmbeddedBrokerOptions { Enabled = true, Port = _port }),
            NullLogger<EmbeddedMqttBroker>.Instance);
        _bridge = new MqttGatewayBridge(
            Options.Create(new MqttGatewayOptions
            {
                Port = _port,
                ReconnectDelay = TimeSpan.FromMilliseconds(100),
                MaxReconnectDelay = TimeSpan.FromMilliseconds(400),
            }),
            new GatewayMessageCodec(),
            _sink,
            _metrics,
            NullLogger<MqttGatewayBridge>.Instance,
            [new ApplicationDownlinkCommands(_enqueuer, _metrics, NullLogger<ApplicationDownlinkCommands>.Instance)]);
    }

    private CancellationToken Token => _timeout.Token;

    public async Task InitializeAsync()
    {
        await _broker.StartAsync(Token);
        await _bridge.StartAsync(Token);
        await TestWait.UntilAsync(() => _bridge.SubscriptionRounds >= 1, "the bridge has subscribed");
    }

    public async Task DisposeAsync()
    {
        await _bridge.StopAsync(CancellationToken.None);
        _bridge.Dispose();
        await _broker.DisposeAsync();
        _recorder.Dispose();
        _metrics.Dispose();
        _timeout.Dispose();
    }

    [Fact]
    public async Task Protobuf_and_json_uplinks_reach_the_sink_and_downlinks_go_back_in_the_gateways_encoding()
    {
        // The embedded broker does not do shared subscriptions: the bridge must have fallen back to plain ones.
        Assert.False(_bridge.UsesSharedSubscriptions);

        await using var protobufGateway = await SimulatedMqttClient.ConnectAsync("127.0.0.1", _port, Token);
        await using var jsonGateway = await SimulatedMqttClient.ConnectAsync("127.0.0.1", _port, Token);
        await protobufGateway.SubscribeAsync(GatewayTopics.CommandTopic("eu868", ProtobufGateway), Token);
        await jsonGateway.SubscribeAsync(GatewayTopics.CommandTopic("eu868", JsonGateway), Token);

        var frame = GatewayMessageCodecTests.ValidFrame();
        frame.RxInfo.GatewayId = ProtobufGateway.ToString();
        frame.RxInfo.UplinkId = 101;
        await protobufGateway.PublishAsync(GatewayTopics.EventTopic("eu868", ProtobufGateway, "up"), frame.ToByteArray(), Token);

        var json = GatewayMessageCodecTests.BridgeJsonUplink.Replace("0016c001f153a14c", JsonGateway.ToString(), StringComparison.Ordinal);
        await jsonGateway.PublishAsync(GatewayTopics.EventTopic("eu868", JsonGateway, "up"), Encoding.UTF8.GetBytes(json), Token);

        var first = await _sink.Uplinks.NextAsync();
        var second = await _sink.Uplinks.NextAsync();
        var byGateway = new[] { first, second }.ToDictionary(r => r.GatewayId);

        var fromProtobuf = byGateway[ProtobufGateway];
        Assert.Equal(GatewayTransport.MqttProtobuf, fromProtobuf.Transport);
        Assert.Equal(101u, fromProtobuf.UplinkId);
        Assert.Equal(868_100_000UL, fromProtobuf.FrequencyHz);
        Assert.Equal(new LoRaModulation(7, 125_000, 5), fromProtobuf.Modulation);
        Assert.Equal(-80, fromProtobuf.Rssi);
        Assert.Equal(5.5f, fromProtobuf.Snr);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, fromProtobuf.Context);
        Assert.Equal(frame.PhyPayload.ToByteArray(), fromProtobuf.PhyPayload);

        var fromJson = byGateway[JsonGateway];
        Assert.Equal(GatewayTransport.MqttJson, fromJson.Transport);
        Assert.Equal(7895u, fromJson.UplinkId);
        Assert.Equal(867_300_000UL, fromJson.FrequencyHz);
        Assert.Equal(-52, fromJson.Rssi);
        Assert.Equal(new GeoLocation(52.3740364, 4.9144401, 10.5), fromJson.Location);
        Assert.Equal(Convert.FromBase64String("xwx0GQ=="), fromJson.Context);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - fromJson.ReceivedAt).TotalMinutes) < 1);

        // Downlinks: the pipeline names a transport, but the encoding the gateway actually used wins.
        await _bridge.SendAsync(Downlink(ProtobufGateway, 1), GatewayTransport.MqttProtobuf, Token);
        await _bridge.SendAsync(Downlink(JsonGateway, 2), GatewayTransport.MqttProtobuf, Token);

        var protobufCommand = await protobufGateway.Received.NextAsync();
        Assert.Equal("eu868/gateway/0016c001f153a14c/command/down", protobufCommand.Topic);
        var decoded = Gw.DownlinkFrame.Parser.ParseFrom(protobufCommand.Payload);
        Assert.Equal(1u, decoded.DownlinkId);
        Assert.Equal("0016c001f153a14c", decoded.GatewayId);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, decoded.Items[0].TxInfo.Context.ToByteArray());
        Assert.True(decoded.Items[0].TxInfo.Modulation.Lora.PolarizationInversion);

        var jsonCommand = await jsonGateway.Received.NextAsync();
        Assert.Equal("eu868/gateway/00800000a0001234/command/down", jsonCommand.Topic);
        var jsonFrame = JsonParser.Default.Parse<Gw.DownlinkFrame>(Encoding.UTF8.GetString(jsonCommand.Payload));
        Assert.Equal(2u, jsonFrame.DownlinkId);
        Assert.Equal("00800000a0001234", jsonFrame.GatewayId);
        Assert.Equal(TimeSpan.FromSeconds(1), jsonFrame.Items[0].TxInfo.Timing.Delay.Delay.ToTimeSpan());

        Assert.Equal(2, _recorder.Published("down"));
        Assert.Equal(2, _recorder.Received("up"));
    }

    [Fact]
    public async Task Acks_stats_and_connection_states_reach_the_sink()
    {
        await using var gateway = await SimulatedMqttClient.ConnectAsync("127.0.0.1", _port, Token);

        var ack = new Gw.DownlinkTxAck { GatewayId = ProtobufGateway.ToString(), DownlinkId = 77 };
        ack.Items.Add(new Gw.DownlinkTxAckItem { Status = Gw.TxAckStatus.TooLate });
        ack.Items.Add(new Gw.DownlinkTxAckItem { Status = Gw.TxAckStatus.Ok });
        await gateway.PublishAsync(GatewayTopics.EventTopic("eu868", ProtobufGateway, "ack"), ack.ToByteArray(), Token);
        await gateway.PublishAsync(
            GatewayTopics.EventTopic("eu868", JsonGateway, "stats"),
            Encoding.UTF8.GetBytes($$"""{"gatewayId": "{{JsonGateway}}", "rxPacketsReceived": 5, "rxPacketsReceivedOk": 4}"""),
            Token);
        await gateway.PublishAsync(
            GatewayTopics.StateTopic("eu868", JsonGateway),
            Encoding.UTF8.GetBytes($$"""{"gatewayId": "{{JsonGateway}}", "state": "ONLINE"}"""),
            Token);
        await gateway.PublishAsync(
            GatewayTopics.StateTopic("eu868", ProtobufGateway),
            new Gw.ConnState { GatewayId = ProtobufGateway.ToString(), State = Gw.ConnState.Types.State.Offline }.ToByteArray(),
            Token);

        var txAck = await _sink.TxAcks.NextAsync();
        Assert.Equal(77u, txAck.DownlinkId);
        Assert.Equal(ProtobufGateway, txAck.GatewayId);
        Assert.Equal(1, txAck.TransmittedItem);

        var stats = await _sink.Stats.NextAsync();
        Assert.Equal((JsonGateway, 5u, 4u), (stats.GatewayId, stats.RxPacketsReceived, stats.RxPacketsReceivedOk));

        Assert.Equal((JsonGateway, true), await _sink.ConnectionStates.NextAsync());
        Assert.Equal((ProtobufGateway, false), await _sink.ConnectionStates.NextAsync());
    }

    [Fact]
    public async Task Bad_messages_are_rejected_and_counted_and_never_stop_the_bridge()
    {
        await using var gateway = await SimulatedMqttClient.ConnectAsync("127.0.0.1", _port, Token);
        var upTopic = GatewayTopics.EventTopic("eu868", ProtobufGateway, "up");

        await gateway.PublishAsync(upTopic, [0xff, 0xff, 0xff], Token);
        await gateway.PublishAsync(upTopic, Encoding.UTF8.GetBytes("{\"gatewayId\": oops"), Token);
        var foreign = GatewayMessageCodecTests.ValidFrame();
        foreign.RxInfo.GatewayId = "0102030405060708";
        await gateway.PublishAsync(upTopic, foreign.ToByteArray(), Token);
        await gateway.PublishAsync("eu868/gateway/0016C001F153A14C/event/up", GatewayMessageCodecTests.ValidFrame().ToByteArray(), Token);
        await gateway.PublishAsync(GatewayTopics.EventTopic("eu868", ProtobufGateway, "exec"), [1], Token);
        _sink.ThrowOnUplinkId = 666;
        var poison = GatewayMessageCodecTests.ValidFrame();
        poison.RxInfo.UplinkId = 666;
        await gateway.PublishAsync(upTopic, poison.ToByteArray(), Token);

        var good = GatewayMessageCodecTests.ValidFrame();
        good.RxInfo.UplinkId = 7;
        await gateway.PublishAsync(upTopic, good.ToByteArray(), Token);

        var received = await _sink.Uplinks.NextAsync();
        Assert.Equal(7u, received.UplinkId);
        await TestWait.UntilAsync(() => _recorder.Rejected(MqttRejectReasons.HandlerFailed) == 1, "the sink failure is counted");
        Assert.Equal(2, _recorder.Rejected(MqttRejectReasons.MalformedPayload));
        Assert.Equal(1, _recorder.Rejected(MqttRejectReasons.GatewayIdMismatch));
        Assert.Equal(1, _recorder.Rejected(MqttRejectReasons.InvalidTopic));
        Assert.Equal(1, _recorder.Rejected(MqttRejectReasons.UnsupportedTopic));
        Assert.True(_bridge.IsConnected);
    }

    [Fact]
    public async Task Reconnects_and_subscribes_again_after_the_broker_restarts()
    {
        await _broker.StopAsync(Token);
        await TestWait.UntilAsync(() => !_bridge.IsConnected, "the bridge notices the broker is gone");
        await Assert.ThrowsAsync<MqttNotConnectedException>(async () => await _bridge.SendAsync(Downlink(ProtobufGateway, 3), GatewayTransport.MqttProtobuf, Token));

        await _broker.StartAsync(Token);
        await TestWait.UntilAsync(() => _bridge.SubscriptionRounds >= 2, "the bridge has reconnected and subscribed again");

        await using var gateway = await SimulatedMqttClient.ConnectAsync("127.0.0.1", _port, Token);
        var frame = GatewayMessageCodecTests.ValidFrame();
        frame.RxInfo.UplinkId = 202;
        await gateway.PublishAsync(GatewayTopics.EventTopic("eu868", ProtobufGateway, "up"), frame.ToByteArray(), Token);

        var received = await _sink.Uplinks.NextAsync();
        Assert.Equal(202u, received.UplinkId);
    }

    [Fact]
    public async Task Application_commands_are_enqueued_and_events_published_on_the_same_connection()
    {
        await using var application = await SimulatedMqttClient.ConnectAsync("127.0.0.1", _port, Token);
        await application.SubscribeAsync("application/+/device/+/event/+", Token);

        await application.PublishAsync(
            "application/app-1/device/0101010101010101/command/down",
            Encoding.UTF8.GetBytes("""{"devEui": "0101010101010101", "confirmed": false, "fPort": 5, "data": "AQID"}"""),
            Token);
        var request = await _enqueuer.Requests.NextAsync();
        Assert.Equal(("app-1", 5), (request.ApplicationId, request.FPort));
        Assert.Equal(new byte[] { 1, 2, 3 }, request.Data);

        await application.PublishAsync(
            "application/app-1/device/0101010101010101/command/down",
            Encoding.UTF8.GetBytes("""{"devEui": "0202020202020202", "fPort": 5}"""),
            Token);
        await TestWait.UntilAsync(() => _recorder.Rejected(MqttRejectReasons.DevEuiMismatch) == 1, "the mismatching command is rejected");

        var events = new ApplicationEventPublisher(_bridge);
        var info = new ApplicationDeviceInfo { TenantId = "t", ApplicationId = "app-1", DevEui = Eui64.Parse("0101010101010101") };
        await events.PublishJoinAsync(new ApplicationJoinEvent(Guid.NewGuid(), DateTimeOffset.UtcNow, info, new DevAddr(0x26011234)), Token);

        var (topic, payload) = await application.Received.NextAsync();
        Assert.Equal("application/app-1/device/0101010101010101/event/join", topic);
        using var json = JsonDocument.Parse(payload);
        Assert.Equal("26011234", json.RootElement.GetProperty("devAddr").GetString());
        Assert.Equal(1, _recorder.Published("application_join"));
    }

    private static DownlinkTransmission Downlink(Eui64 gatewayId, uint downlinkId) =>
        new(gatewayId, downlinkId, [
            new DownlinkItem([0x60, 1, 2, 3], 868_100_000, 14, new LoRaModulation(7, 125_000, 5), new DownlinkTiming.Delay(TimeSpan.FromSeconds(1)), [1, 2, 3, 4]),
            new DownlinkItem([0x60, 1, 2, 3], 869_525_000, 27, new LoRaModulation(12, 125_000, 5), new DownlinkTiming.Delay(TimeSpan.FromSeconds(2)), [1, 2, 3, 4]),
        ]);
}
