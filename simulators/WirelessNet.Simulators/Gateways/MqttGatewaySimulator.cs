using System.Buffers;
using System.Threading.Channels;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MQTTnet;
using MQTTnet.Protocol;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.ChirpStack.Gateway;

namespace WirelessNet.Simulators.Gateways;

/// <summary>How a simulated gateway encodes its messages, as the ChirpStack Gateway Bridge can be configured.</summary>
public enum GatewayPayloadEncoding
{
    Protobuf,
    Json,
}

/// <summary>
/// A LoRa gateway running the ChirpStack Gateway Bridge v4, as the network server sees it over MQTT: it announces
/// itself (retained ONLINE conn state), publishes <c>event/up</c> frames, receives <c>command/down</c> and answers
/// with <c>event/ack</c>. Written against the wire format directly, independently of the server's own codec.
/// </summary>
public sealed class MqttGatewaySimulator : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly Channel<DownlinkFrame> _downlinks = Channel.CreateUnbounded<DownlinkFrame>();
    private readonly string _host;
    private readonly int _port;
    private readonly string _prefix;
    private uint _uplinkId;

    public MqttGatewaySimulator(Eui64 gatewayId, string host, int port, GatewayPayloadEncoding encoding = GatewayPayloadEncoding.Protobuf, string topicPrefix = "eu868")
    {
        GatewayId = gatewayId;
        Encoding = encoding;
        _host = host;
        _port = port;
        _prefix = topicPrefix;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    public Eui64 GatewayId { get; }

    public GatewayPayloadEncoding Encoding { get; }

    /// <summary>When set, every downlink is acknowledged with OK for its first item as soon as it arrives.</summary>
    public bool AutoAcknowledge { get; init; } = true;

    /// <summary>
    /// QoS of the gateway's events. The bridge's own default is 0; 1 (the simulator's default) makes the broker
    /// acknowledge each event, so a test's publish returns only once the broker has it.
    /// </summary>
    public MqttQualityOfServiceLevel EventQos { get; init; } = MqttQualityOfServiceLevel.AtLeastOnce;

    public ChannelReader<DownlinkFrame> Downlinks => _downlinks.Reader;

    private string Id => GatewayId.ToString();

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(_host, _port)
            .WithClientId("gw-sim-" + Id)
            .WithCleanSession()
            .WithWillTopic($"{_prefix}/gateway/{Id}/state/conn")
            .WithWillPayload(Encode(new ConnState { GatewayId = Id, State = ConnState.Types.State.Offline }))
            .WithWillRetain()
            .Build();
        var result = await _client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"Gateway simulator {Id} could not connect: {result.ResultCode}");
        }

        await _client.SubscribeAsync($"{_prefix}/gateway/{Id}/command/+", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
        await PublishAsync("state/conn", Encode(new ConnState { GatewayId = Id, State = ConnState.Types.State.Online }), retain: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes a received LoRa frame as <c>event/up</c>; returns the uplink id used.</summary>
    public async Task<uint> PublishUplinkAsync(
        byte[] phyPayload,
        ulong frequencyHz,
        int spreadingFactor,
        int rssi,
        float snr,
        CancellationToken cancellationToken,
        int bandwidthHz = 125_000,
        byte[]? context = null,
        uint channel = 0)
    {
        var uplinkId = Interlocked.Increment(ref _uplinkId);
        var frame = new UplinkFrame
        {
            PhyPayload = ByteString.CopyFrom(phyPayload),
            TxInfo = new UplinkTxInfo
            {
                Frequency = (uint)frequencyHz,
                Modulation = new Modulation
                {
                    Lora = new LoraModulationInfo
                    {
                        Bandwidth = (uint)bandwidthHz,
                        SpreadingFactor = (uint)spreadingFactor,
                        CodeRate = CodeRate.Cr45,
                    },
                },
            },
            RxInfo = new UplinkRxInfo
            {
                GatewayId = Id,
                UplinkId = uplinkId,
                GwTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                Rssi = rssi,
                Snr = snr,
                Channel = channel,
                Context = ByteString.CopyFrom(context ?? BitConverter.GetBytes(uplinkId)),
                CrcStatus = CRCStatus.CrcOk,
            },
        };
        await PublishAsync("event/up", Encode(frame), retain: false, cancellationToken).ConfigureAwait(false);
        return uplinkId;
    }

    public Task SendTxAckAsync(uint downlinkId, IReadOnlyList<TxAckStatus> statuses, CancellationToken cancellationToken)
    {
        var ack = new DownlinkTxAck { GatewayId = Id, DownlinkId = downlinkId };
        foreach (var status in statuses)
        {
            ack.Items.Add(new DownlinkTxAckItem { Status = status });
        }

        return PublishAsync("event/ack", Encode(ack), retain: false, cancellationToken);
    }

    public Task PublishRawAsync(string eventName, byte[] payload, CancellationToken cancellationToken) =>
        PublishAsync(eventName, payload, retain: false, cancellationToken);

    private async Task PublishAsync(string suffix, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic($"{_prefix}/gateway/{Id}/{suffix}")
            .WithPayload(payload)
            .WithQualityOfServiceLevel(retain ? MqttQualityOfServiceLevel.AtLeastOnce : EventQos)
            .WithRetainFlag(retain)
            .Build();
        await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private byte[] Encode(IMessage message) =>
        Encoding == GatewayPayloadEncoding.Json
            ? System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(message))
            : message.ToByteArray();

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (!e.ApplicationMessage.Topic.EndsWith("/command/down", StringComparison.Ordinal))
        {
            return;
        }

        var bytes = e.ApplicationMessage.Payload.ToArray();
        DownlinkFrame frame;
        try
        {
            frame = bytes.Length > 0 && bytes[0] == (byte)'{'
                ? DownlinkFrame.Parser.ParseJson(System.Text.Encoding.UTF8.GetString(bytes))
                : DownlinkFrame.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return;
        }

        await _downlinks.Writer.WriteAsync(frame).ConfigureAwait(false);
        if (AutoAcknowledge)
        {
            var statuses = new List<TxAckStatus> { TxAckStatus.Ok };
            await SendTxAckAsync(frame.DownlinkId, statuses, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await PublishAsync("state/conn", Encode(new ConnState { GatewayId = Id, State = ConnState.Types.State.Offline }), retain: true, CancellationToken.None).ConfigureAwait(false);
            await _client.DisconnectAsync().ConfigureAwait(false);
        }

        _client.Dispose();
    }
}
