using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Mqtt.Applications;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Tests.Mqtt;

/// <summary>Collects what the bridge hands to the pipeline; tests await the next item with a timeout.</summary>
internal sealed class RecordingGatewayEventSink : IGatewayEventSink
{
    public Channel<UplinkReception> Uplinks { get; } = Channel.CreateUnbounded<UplinkReception>();

    public Channel<DownlinkTxAck> TxAcks { get; } = Channel.CreateUnbounded<DownlinkTxAck>();

    public Channel<GatewayStatsReport> Stats { get; } = Channel.CreateUnbounded<GatewayStatsReport>();

    public Channel<(Eui64 GatewayId, bool Online)> ConnectionStates { get; } = Channel.CreateUnbounded<(Eui64, bool)>();

    /// <summary>Uplinks with this uplink id make the sink throw, to prove one failure does not stop the bridge.</summary>
    public uint? ThrowOnUplinkId { get; set; }

    public ValueTask OnUplinkAsync(UplinkReception reception, CancellationToken cancellationToken)
    {
        if (reception.UplinkId == ThrowOnUplinkId)
        {
            throw new InvalidOperationException("sink failure for the test");
        }

        return Uplinks.Writer.WriteAsync(reception, cancellationToken);
    }

    public ValueTask OnTxAckAsync(DownlinkTxAck ack, CancellationToken cancellationToken) => TxAcks.Writer.WriteAsync(ack, cancellationToken);

    public ValueTask OnStatsAsync(GatewayStatsReport stats, CancellationToken cancellationToken) => Stats.Writer.WriteAsync(stats, cancellationToken);

    public ValueTask OnConnectionStateAsync(Eui64 gatewayId, bool online, DateTimeOffset at, CancellationToken cancellationToken) =>
        ConnectionStates.Writer.WriteAsync((gatewayId, online), cancellationToken);
}

internal sealed class RecordingDownlinkEnqueuer : IDownlinkEnqueuer
{
    public Channel<ApplicationDownlinkRequest> Requests { get; } = Channel.CreateUnbounded<ApplicationDownlinkRequest>();

    public async ValueTask<DownlinkEnqueueResult> EnqueueAsync(ApplicationDownlinkRequest request, CancellationToken cancellationToken)
    {
        await Requests.Writer.WriteAsync(request, cancellationToken);
        return DownlinkEnqueueResult.Enqueued(request.QueueItemId ?? Guid.NewGuid());
    }
}

/// <summary>Counts the measurements of one <see cref="MqttMetrics"/> instance, by instrument and tag value.</summary>
internal sealed class MqttMetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new();

    public MqttMetricsRecorder(MqttMetrics metrics)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                _counts.AddOrUpdate($"{instrument.Name}|{tag.Value}", value, (_, old) => old + value);
            }
        });
        _listener.Start();
    }

    public long Rejected(string reason) => _counts.GetValueOrDefault($"wirelessnet_mqtt_rejected_total|{reason}");

    public long Received(string type) => _counts.GetValueOrDefault($"wirelessnet_mqtt_messages_total|{type}");

    public long Published(string type) => _counts.GetValueOrDefault($"wirelessnet_mqtt_published_total|{type}");

    public void Dispose() => _listener.Dispose();
}

/// <summary>An MQTT client playing a ChirpStack Gateway Bridge (or an application) in tests.</summary>
internal sealed class SimulatedMqttClient : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    private SimulatedMqttClient()
    {
        _client.ApplicationMessageReceivedAsync += e =>
            Received.Writer.WriteAsync((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray())).AsTask();
    }

    public Channel<(string Topic, byte[] Payload)> Received { get; } = Channel.CreateUnbounded<(string, byte[])>();

    public static async Task<SimulatedMqttClient> ConnectAsync(string host, int port, CancellationToken cancellationToken, string? username = null, string? password = null)
    {
        var client = new SimulatedMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId("simulated-" + Guid.NewGuid().ToString("N"))
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (username is not null)
        {
            builder = builder.WithCredentials(username, password);
        }

        var result = await client._client.ConnectAsync(builder.Build(), cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            await client.DisposeAsync();
            throw new InvalidOperationException($"CONNACK {result.ResultCode}");
        }

        return client;
    }

    public async Task SubscribeAsync(string filter, CancellationToken cancellationToken) =>
        await _client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken);

    public async Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken, bool retain = false) =>
        await _client.PublishAsync(
            new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag(retain)
                .Build(),
            cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
            }
        }

        _client.Dispose();
    }
}

internal static class TestWait
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static async Task<T> NextAsync<T>(this Channel<T> channel, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        return await channel.Reader.ReadAsync(cts.Token);
    }

    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(20);
        }
    }
}
