using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Mqtt.Applications;

/// <summary>
/// Receives ChirpStack v4 downlink commands (<c>application/{applicationId}/device/{devEui}/command/down</c>, JSON
/// <c>{"devEui", "confirmed", "fPort", "data"}</c>), validates them and hands them to <see cref="IDownlinkEnqueuer"/>.
/// </summary>
public sealed class ApplicationDownlinkCommands : IMqttTopicHandler
{
    /// <summary>Application ports; 0 is for MAC commands and 224 and above are reserved.</summary>
    public const int MinFPort = 1;

    public const int MaxFPort = 223;

    /// <summary>The largest application payload of any LoRaWAN region and data rate.</summary>
    public const int MaxDataLength = 242;

    /// <summary>No valid command comes near this (242 bytes of base64 plus a few fields).</summary>
    public const int MaxPayloadLength = 4096;

    private readonly IDownlinkEnqueuer _enqueuer;
    private readonly MqttMetrics _metrics;
    private readonly ILogger<ApplicationDownlinkCommands> _logger;

    public ApplicationDownlinkCommands(IDownlinkEnqueuer enqueuer, MqttMetrics metrics, ILogger<ApplicationDownlinkCommands> logger)
    {
        _enqueuer = enqueuer ?? throw new ArgumentNullException(nameof(enqueuer));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public IReadOnlyList<string> TopicFilters { get; } = [ApplicationTopics.CommandDownFilter];

    public bool Handles(string topic) => ApplicationTopics.IsCommandDownTopic(topic);

    public async ValueTask HandleAsync(string topic, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        _metrics.Received("application_down");
        var parsed = Parse(topic, payload, out var rejection);
        if (parsed is null)
        {
            MqttLog.Report(_logger, _metrics, topic, rejection!);
            return;
        }

        var result = await _enqueuer.EnqueueAsync(parsed, cancellationToken).ConfigureAwait(false);
        if (!result.Accepted)
        {
            MqttLog.Report(_logger, _metrics, topic, new MqttRejection(MqttRejectReasons.EnqueueRejected, result.RejectReason ?? "rejected"));
        }
    }

    /// <summary>Validates one command; null with a rejection when it is not acceptable. Pure, for tests.</summary>
    public static ApplicationDownlinkRequest? Parse(string topic, ReadOnlySequence<byte> payload, out MqttRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (!ApplicationTopics.TryParseCommandDownTopic(topic, out var applicationId, out var topicDevEui, out rejection))
        {
            return null;
        }

        if (payload.IsEmpty)
        {
            rejection = new MqttRejection(MqttRejectReasons.EmptyPayload, "the payload is empty");
            return null;
        }

        if (payload.Length > MaxPayloadLength)
        {
            rejection = new MqttRejection(MqttRejectReasons.PayloadTooLarge, $"the payload is {payload.Length} bytes, more than {MaxPayloadLength}");
            return null;
        }

        DownlinkCommandJson? command;
        try
        {
            var reader = new Utf8JsonReader(payload);
            command = JsonSerializer.Deserialize(ref reader, ApplicationEventsJsonContext.Default.DownlinkCommandJson);
        }
        catch (JsonException ex)
        {
            // Not the exception message: it can quote the payload.
            rejection = new MqttRejection(MqttRejectReasons.MalformedPayload, $"not a valid downlink command JSON object (line {ex.LineNumber}, byte {ex.BytePositionInLine})");
            return null;
        }

        if (command is null)
        {
            rejection = new MqttRejection(MqttRejectReasons.MalformedPayload, "the payload is JSON null");
            return null;
        }

        // As ChirpStack: the payload must name the same device as the topic (an ACL on the topic then covers both).
        if (command.DevEui is null || command.DevEui.Length != 16 || !Eui64.TryParse(command.DevEui, out var payloadDevEui) || payloadDevEui != topicDevEui)
        {
            rejection = new MqttRejection(MqttRejectReasons.DevEuiMismatch, $"the payload's devEui is missing or differs from the topic's {topicDevEui}");
            return null;
        }

        if (command.FPort is < MinFPort or > MaxFPort)
        {
            rejection = new MqttRejection(MqttRejectReasons.InvalidFPort, $"fPort {command.FPort} is outside {MinFPort}..{MaxFPort}");
            return null;
        }

        var data = command.Data ?? [];
        if (data.Length > MaxDataLength)
        {
            rejection = new MqttRejection(MqttRejectReasons.DataTooLarge, $"data is {data.Length} bytes, more than {MaxDataLength}");
            return null;
        }

        Guid? queueItemId = null;
        if (!string.IsNullOrEmpty(command.Id))
        {
            if (!Guid.TryParse(command.Id, out var id))
            {
                rejection = new MqttRejection(MqttRejectReasons.MalformedPayload, "id is not a UUID");
                return null;
            }

            queueItemId = id;
        }

        rejection = null;
        return new ApplicationDownlinkRequest(applicationId, topicDevEui, command.FPort, data, command.Confirmed) { QueueItemId = queueItemId };
    }
}
