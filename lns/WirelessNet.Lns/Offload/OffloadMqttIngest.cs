using System.Buffers;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Proto.Offload;

namespace WirelessNet.Lns.Offload;

/// <summary>
/// Offload records on the server's broker: <c>{prefix}/{carrierId}/session</c> (a
/// <c>data_transfer_batch_req_v1</c>) and <c>{prefix}/{carrierId}/heartbeat</c> (a <c>heartbeat_batch_req_v1</c>),
/// protobuf bytes or protobuf JSON (a payload starting with '{'). Results go to the same topic with
/// <c>/result</c> appended. The handler returns only after the records are stored, and the broker connection
/// acknowledges a QoS 1 publish after the handler returns, so a publish is only PUBACKed once durable.
/// </summary>
internal sealed class OffloadMqttIngest(OffloadIngest ingest, IMqttMessagePublisher publisher, IOptions<OffloadOptions> options, ILogger<OffloadMqttIngest> logger) : IMqttTopicHandler
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));
    private readonly string _prefix = options.Value.MqttTopicPrefix.TrimEnd('/');

    public IReadOnlyList<string> TopicFilters => [$"{_prefix}/+/session", $"{_prefix}/+/heartbeat"];

    public bool Handles(string topic) =>
        topic.StartsWith(_prefix + "/", StringComparison.Ordinal) && (topic.EndsWith("/session", StringComparison.Ordinal) || topic.EndsWith("/heartbeat", StringComparison.Ordinal));

    public async ValueTask HandleAsync(string topic, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        var levels = topic[(_prefix.Length + 1)..].Split('/');
        if (levels.Length != 2 || levels[0].Length == 0)
        {
            OffloadLog.MqttRefused(logger, topic, "topic is not {prefix}/{carrierId}/session|heartbeat");
            return;
        }

        var carrierId = levels[0];
        var bytes = payload.ToArray();
        var json = bytes.Length > 0 && bytes[0] == (byte)'{';
        IMessage answer;
        try
        {
            if (levels[1] == "session")
            {
                var batch = json ? Parser.Parse<data_transfer_batch_req_v1>(System.Text.Encoding.UTF8.GetString(bytes)) : data_transfer_batch_req_v1.Parser.ParseFrom(bytes);
                answer = await ingest.SubmitSessionsAsync(batch, carrierId, "mqtt", cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var batch = json ? Parser.Parse<heartbeat_batch_req_v1>(System.Text.Encoding.UTF8.GetString(bytes)) : heartbeat_batch_req_v1.Parser.ParseFrom(bytes);
                answer = await ingest.SubmitHeartbeatsAsync(batch, carrierId, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or OffloadRequestException)
        {
            OffloadLog.MqttRefused(logger, topic, e.Message);
            await AnswerAsync(topic + "/result", json, new data_transfer_batch_resp_v1 { Rejected = 1, Results = { new record_result { Status = record_status.Rejected, Reason = "MalformedMessage", Message = e.Message } } }, cancellationToken).ConfigureAwait(false);
            return;
        }

        await AnswerAsync(topic + "/result", json, answer, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask AnswerAsync(string topic, bool json, IMessage answer, CancellationToken cancellationToken)
    {
        try
        {
            var payload = json ? System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(answer)) : answer.ToByteArray();
            await publisher.PublishAsync(topic, payload, "offload_result", cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            // The records are stored either way; a sender that misses the result retries and is told "already accepted".
            OffloadLog.MqttRefused(logger, topic, "result not published: " + e.Message);
        }
    }
}
