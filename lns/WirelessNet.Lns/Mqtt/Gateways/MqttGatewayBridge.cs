using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Mqtt.Gateways;

/// <summary>
/// The server's side of ChirpStack Gateway Bridge v4: one MQTT connection that receives the gateways' events and
/// states (handing them to <see cref="IGatewayEventSink"/>), publishes their downlink commands, and carries the
/// application integration (<see cref="IMqttMessagePublisher"/>, <see cref="IMqttTopicHandler"/>).
/// </summary>
/// <remarks>
/// The connection is kept up by a reconnect loop with exponential backoff; every (re)connect subscribes again because
/// the session is clean (a persistent session would make the broker queue stale radio traffic while we are away).
/// The receive path never throws: each bad message is rejected, counted and logged, and the next one is processed.
/// </remarks>
public sealed class MqttGatewayBridge : BackgroundService, IGatewayDownlinkSender, IMqttMessagePublisher
{
    private readonly MqttGatewayOptions _options;
    private readonly GatewayTopics _topics;
    private readonly GatewayMessageCodec _codec;
    private readonly Lazy<IGatewayEventSink> _sink;
    private readonly MqttMetrics _metrics;
    private readonly ILogger<MqttGatewayBridge> _logger;
    private readonly Lazy<IReadOnlyList<IMqttTopicHandler>> _handlers;
    private readonly TimeProvider _timeProvider;
    private readonly IMqttClient _client;
    private readonly string _clientId;
    private readonly MqttQualityOfServiceLevel _qos;

    /// <summary>The topic prefix (region) each gateway last published under: its commands go to the same prefix.</summary>
    private readonly ConcurrentDictionary<Eui64, string> _gatewayPrefixes = new();

    private MqttProtocolVersion _protocolVersion = MqttProtocolVersion.V500;
    private TaskCompletionSource _disconnected = NewSignal();
    private CancellationToken _stopping;
    private int _subscriptionRounds;

    public MqttGatewayBridge(
        IOptions<MqttGatewayOptions> options,
        GatewayMessageCodec codec,
        IGatewayEventSink sink,
        MqttMetrics metrics,
        ILogger<MqttGatewayBridge> logger,
        IEnumerable<IMqttTopicHandler>? handlers = null,
        TimeProvider? timeProvider = null)
        : this(options, codec, Always(sink), metrics, logger, () => handlers ?? [], timeProvider)
    {
    }

    /// <summary>
    /// The sink and the handlers are resolved when the bridge starts, not when it is built: the pipeline behind the
    /// sink depends on this bridge itself (as <see cref="IGatewayDownlinkSender"/> and, through the application
    /// events, <see cref="IMqttMessagePublisher"/>), so resolving it here would be a dependency cycle.
    /// </summary>
    public MqttGatewayBridge(
        IOptions<MqttGatewayOptions> options,
        GatewayMessageCodec codec,
        Func<IGatewayEventSink> sinkFactory,
        MqttMetrics metrics,
        ILogger<MqttGatewayBridge> logger,
        Func<IEnumerable<IMqttTopicHandler>>? handlersFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sinkFactory);
        _options = options.Value;
        if (_options.Qos is not (0 or 1))
        {
            throw new ArgumentException("Mqtt:Gateway:Qos must be 0 or 1.", nameof(options));
        }

        _topics = new GatewayTopics(_options.EffectiveTopicPrefixes);
        _codec = codec ?? throw new ArgumentNullException(nameof(codec));
        _sink = new Lazy<IGatewayEventSink>(sinkFactory, LazyThreadSafetyMode.ExecutionAndPublication);
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _handlers = new Lazy<IReadOnlyList<IMqttTopicHandler>>(
            () => handlersFactory?.Invoke().ToArray() ?? [],
            LazyThreadSafetyMode.ExecutionAndPublication);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _qos = _options.Qos == 1 ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce;
        _clientId = string.IsNullOrWhiteSpace(_options.ClientId)
            ? $"wirelessnet-lns-{Guid.NewGuid():N}"
            : _options.ClientId;

        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnApplicationMessageReceivedAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>The topics and prefixes this bridge handles.</summary>
    public GatewayTopics Topics => _topics;

    /// <summary>How many times the subscriptions were (re)established: once per successful connection.</summary>
    public int SubscriptionRounds => Volatile.Read(ref _subscriptionRounds);

    /// <summary>Whether the current connection subscribed with <c>$share/…</c>.</summary>
    public bool UsesSharedSubscriptions { get; private set; }

    /// <summary>
    /// Publishes the downlink on <c>{prefix}/gateway/{id}/command/down</c>, in the encoding the gateway last used
    /// (else the one <paramref name="transport"/> names), under the prefix the gateway last used (else the first one).
    /// </summary>
    public async ValueTask SendAsync(DownlinkTransmission transmission, GatewayTransport transport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transmission);
        if (transport is not (GatewayTransport.MqttProtobuf or GatewayTransport.MqttJson))
        {
            throw new ArgumentException($"The MQTT bridge cannot send over {transport}.", nameof(transport));
        }

        var gatewayId = transmission.GatewayId;
        var encoding = _codec.TryGetEncoding(gatewayId, out var known) ? known : transport;
        var prefix = _gatewayPrefixes.TryGetValue(gatewayId, out var p) ? p : _topics.Prefixes[0];
        var topic = GatewayTopics.CommandTopic(prefix, gatewayId);
        var payload = GatewayMessageCodec.EncodeDownlink(transmission, encoding);
        await PublishAsync(topic, payload, GatewayTopicTypes.Downlink, cancellationToken).ConfigureAwait(false);
        MqttLog.DownlinkPublished(_logger, transmission.DownlinkId, topic, encoding.ToString());
    }

    public async ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, string type, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (!_client.IsConnected)
        {
            throw new MqttNotConnectedException($"Not connected to the MQTT broker {_options.Host}:{_options.Port}; '{topic}' was not published.");
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload.ToArray())
            .WithQualityOfServiceLevel(_qos)
            .Build();
        MqttClientPublishResult result;
        try
        {
            result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (MqttCommunicationException ex)
        {
            // Includes "not connected" when the connection dropped between the check above and the publish.
            throw new MqttNotConnectedException($"The MQTT connection failed; '{topic}' was not published.", ex);
        }

        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"The MQTT broker refused '{topic}': {result.ReasonCode} {result.ReasonString}");
        }

        _metrics.Published(type);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;

        // Resolved before connecting, so that a wiring error stops the host at start-up rather than on the first message.
        _ = _sink.Value;
        _ = _handlers.Value;
        var delay = _options.ReconnectDelay;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ConnectAndSubscribeAsync(stoppingToken).ConfigureAwait(false);
                    delay = _options.ReconnectDelay;
                    await WaitWhileConnectedAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // Whatever goes wrong while connecting, the loop must retry: an escaping exception would stop the host.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    // Includes MQTTnet's connect timeout, an OperationCanceledException that is not ours.
                    MqttLog.ConnectFailed(_logger, _options.Host, _options.Port, delay, ex);
                    await DisconnectQuietlyAsync().ConfigureAwait(false);
                }

                await Task.Delay(delay, _timeProvider, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Math.Max(_options.MaxReconnectDelay.Ticks, _options.ReconnectDelay.Ticks)));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await DisconnectQuietlyAsync().ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _client.ApplicationMessageReceivedAsync -= OnApplicationMessageReceivedAsync;
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        _client.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Returns once the connection is down. The disconnect event only wakes the wait early: MQTTnet may raise it late
    /// for an earlier failed attempt, so the connection state itself is what decides (checked at least every second).
    /// </summary>
    private async Task WaitWhileConnectedAsync(CancellationToken cancellationToken)
    {
        while (_client.IsConnected)
        {
            var signal = Volatile.Read(ref _disconnected);
            try
            {
                await signal.Task.WaitAsync(TimeSpan.FromSeconds(1), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Re-check the connection state.
            }

            if (signal.Task.IsCompleted)
            {
                Interlocked.CompareExchange(ref _disconnected, NewSignal(), signal);
            }
        }
    }

    /// <summary>Connects and subscribes; throws when the broker cannot be reached or refuses the connection.</summary>
    private async Task ConnectAndSubscribeAsync(CancellationToken cancellationToken)
    {
        var result = await _client.ConnectAsync(BuildClientOptions(), cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            if (result.ResultCode == MqttClientConnectResultCode.UnsupportedProtocolVersion && _protocolVersion == MqttProtocolVersion.V500)
            {
                MqttLog.FallingBackToMqtt311(_logger);
                _protocolVersion = MqttProtocolVersion.V311;
            }

            throw new MqttCommunicationException($"The broker refused the connection: {result.ResultCode} {result.ReasonString}");
        }

        var shared = result.SharedSubscriptionAvailable && !string.IsNullOrEmpty(_options.SharedSubscriptionGroup);
        MqttLog.Connected(_logger, _options.Host, _options.Port, _clientId, _protocolVersion == MqttProtocolVersion.V500 ? "5" : "3.1.1", shared);
        await SubscribeAsync(shared, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _subscriptionRounds);
    }

    private async Task SubscribeAsync(bool shared, CancellationToken cancellationToken)
    {
        // Events and application commands must be processed once across instances: shared when possible.
        var shareable = _topics.EventFilters()
            .Concat(_handlers.Value.SelectMany(h => h.TopicFilters))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var group = shared ? _options.SharedSubscriptionGroup : null;
        var refused = await SubscribeFiltersAsync(shareable, group, cancellationToken).ConfigureAwait(false);
        UsesSharedSubscriptions = shared && refused.Count < shareable.Count;
        if (shared && refused.Count > 0)
        {
            // A broker that announces shared subscriptions may still refuse them (ACLs on $share, proxies):
            // plain subscriptions still work, only without load sharing between instances.
            refused = await SubscribeFiltersAsync(refused, null, cancellationToken).ConfigureAwait(false);
        }

        await SubscribeFiltersAsync(_topics.StateFilters(), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Subscribes the filters (with <c>$share/{group}/</c> when a group is given); returns the plain filters the broker
    /// refused (each one logged). A refused subscription does not fail the connection: the others still work.
    /// </summary>
    private async Task<List<string>> SubscribeFiltersAsync(IReadOnlyList<string> filters, string? group, CancellationToken cancellationToken)
    {
        var builder = new MqttClientSubscribeOptionsBuilder();
        var byTopic = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var filter in filters)
        {
            var topic = GatewayTopics.Shared(group, filter);
            byTopic[topic] = filter;
            builder.WithTopicFilter(f => f.WithTopic(topic).WithQualityOfServiceLevel(_qos));
        }

        var result = await _client.SubscribeAsync(builder.Build(), cancellationToken).ConfigureAwait(false);
        var refused = new List<string>();
        foreach (var item in result.Items)
        {
            var granted = item.ResultCode is MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2;
            if (granted)
            {
                MqttLog.Subscribed(_logger, item.TopicFilter.Topic, item.ResultCode.ToString());
            }
            else
            {
                if (group is not null)
                {
                    MqttLog.SubscriptionRefused(_logger, item.TopicFilter.Topic, item.ResultCode + "; retrying without $share");
                }
                else
                {
                    MqttLog.SubscriptionRefused(_logger, item.TopicFilter.Topic, item.ResultCode.ToString());
                }

                refused.Add(byTopic.TryGetValue(item.TopicFilter.Topic, out var plain) ? plain : item.TopicFilter.Topic);
            }
        }

        return refused;
    }

    private MqttClientOptions BuildClientOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_clientId)
            .WithProtocolVersion(_protocolVersion)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithTimeout(_options.ConnectTimeout);
        if (!string.IsNullOrEmpty(_options.Username))
        {
            builder = builder.WithCredentials(_options.Username, _options.Password);
        }

        if (_options.UseTls)
        {
            builder = builder.WithTlsOptions(tls => tls.UseTls());
        }

        return builder.Build();
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        if (args.ClientWasConnected)
        {
            MqttLog.Disconnected(_logger, args.ReasonString ?? args.Reason.ToString(), args.Exception);
        }

        Volatile.Read(ref _disconnected).TrySetResult();
        return Task.CompletedTask;
    }

    private async Task OnApplicationMessageReceivedAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var topic = args.ApplicationMessage.Topic ?? string.Empty;
        try
        {
            await DispatchAsync(topic, args.ApplicationMessage.Payload, _stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down: the message is dropped like any other in flight.
        }
#pragma warning disable CA1031 // Whatever a sink or handler throws must not reach MQTTnet: one bad message never stops the bridge.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _metrics.Rejected(MqttRejectReasons.HandlerFailed);
            MqttLog.HandlerFailed(_logger, topic, ex);
        }
    }

    /// <summary>Routes one received message: handlers first (application topics), then the gateway topics.</summary>
    internal async ValueTask DispatchAsync(string topic, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        foreach (var handler in _handlers.Value)
        {
            if (handler.Handles(topic))
            {
                await handler.HandleAsync(topic, payload, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        if (!_topics.TryParse(topic, out var parsed, out var rejection))
        {
            _metrics.Received("unknown");
            MqttLog.Report(_logger, _metrics, topic, rejection);
            return;
        }

        var receivedAt = _timeProvider.GetUtcNow();

        // Decoding copies everything it keeps, so a pooled multi-segment payload is only flattened here.
        ReadOnlyMemory<byte> bytes = payload.IsSingleSegment ? payload.First : payload.ToArray();
        var gatewayId = parsed.GatewayId;
        switch (parsed.Kind, parsed.Type)
        {
            case (GatewayTopicKind.Event, GatewayTopicTypes.Uplink):
            {
                _metrics.Received(GatewayTopicTypes.Uplink);
                var result = _codec.DecodeUplink(gatewayId, bytes.Span, receivedAt);
                if (Accept(topic, parsed, result.Rejection))
                {
                    await _sink.Value.OnUplinkAsync(result.Value!, cancellationToken).ConfigureAwait(false);
                }

                break;
            }

            case (GatewayTopicKind.Event, GatewayTopicTypes.Stats):
            {
                _metrics.Received(GatewayTopicTypes.Stats);
                var result = _codec.DecodeStats(gatewayId, bytes.Span, receivedAt);
                if (Accept(topic, parsed, result.Rejection))
                {
                    await _sink.Value.OnStatsAsync(result.Value!, cancellationToken).ConfigureAwait(false);
                }

                break;
            }

            case (GatewayTopicKind.Event, GatewayTopicTypes.TxAck):
            {
                _metrics.Received(GatewayTopicTypes.TxAck);
                var result = _codec.DecodeTxAck(gatewayId, bytes.Span);
                if (Accept(topic, parsed, result.Rejection))
                {
                    await _sink.Value.OnTxAckAsync(result.Value!, cancellationToken).ConfigureAwait(false);
                }

                break;
            }

            case (GatewayTopicKind.State, GatewayTopicTypes.ConnState):
            {
                _metrics.Received(GatewayTopicTypes.ConnState);
                if (bytes.IsEmpty)
                {
                    // An empty retained message is how a retained state is cleared, not a state.
                    break;
                }

                var result = _codec.DecodeConnState(gatewayId, bytes.Span);
                if (Accept(topic, parsed, result.Rejection))
                {
                    await _sink.Value.OnConnectionStateAsync(gatewayId, result.Value, receivedAt, cancellationToken).ConfigureAwait(false);
                }

                break;
            }

            default:
                _metrics.Received("other");
                MqttLog.Report(
                    _logger,
                    _metrics,
                    topic,
                    new MqttRejection(MqttRejectReasons.UnsupportedTopic, $"{parsed.Kind.ToString().ToLowerInvariant()}/{parsed.Type} is not handled"));
                break;
        }
    }

    private bool Accept(string topic, GatewayTopic parsed, MqttRejection? rejection)
    {
        if (rejection is not null)
        {
            MqttLog.Report(_logger, _metrics, topic, rejection);
            return false;
        }

        _gatewayPrefixes[parsed.GatewayId] = parsed.Prefix;
        return true;
    }

    private async Task DisconnectQuietlyAsync()
    {
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _client.DisconnectAsync(
                new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(),
                timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Already gone: nothing to tell the broker.
        }
    }

    private static Func<IGatewayEventSink> Always(IGatewayEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return () => sink;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
