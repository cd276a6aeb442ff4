using System.Buffers;
using System.Text;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Mqtt.Applications;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Tests.Mqtt;

public sealed class ApplicationDownlinkCommandsTests
{
    private const string Topic = "application/17c82e96-be03-4f38-aef3-f83d48582d97/device/0101010101010101/command/down";

    [Fact]
    public void Accepts_a_chirpstack_downlink_command()
    {
        const string json = """{"devEui": "0101010101010101", "confirmed": true, "fPort": 10, "data": "AQID", "object": {"ignored": true}}""";

        var request = ApplicationDownlinkCommands.Parse(Topic, Payload(json), out var rejection);

        Assert.Null(rejection);
        Assert.NotNull(request);
        Assert.Equal("17c82e96-be03-4f38-aef3-f83d48582d97", request.ApplicationId);
        Assert.Equal(Eui64.Parse("0101010101010101"), request.DevEui);
        Assert.True(request.Confirmed);
        Assert.Equal(10, request.FPort);
        Assert.Equal(new byte[] { 1, 2, 3 }, request.Data);
        Assert.Null(request.QueueItemId);
    }

    [Fact]
    public void Keeps_the_applications_queue_item_id_and_accepts_empty_data()
    {
        const string json = """{"id": "9bd3e6a1-0d8a-4c8e-8f3b-1f4f1c1e2d3c", "devEui": "0101010101010101", "fPort": 223}""";

        var request = ApplicationDownlinkCommands.Parse(Topic, Payload(json), out _);

        Assert.Equal(Guid.Parse("9bd3e6a1-0d8a-4c8e-8f3b-1f4f1c1e2d3c"), request!.QueueItemId);
        Assert.Empty(request.Data);
        Assert.False(request.Confirmed);
    }

    [Theory]
    [InlineData(Topic, """{"devEui": "0202020202020202", "fPort": 1, "data": "AQ=="}""", MqttRejectReasons.DevEuiMismatch)]
    [InlineData(Topic, """{"fPort": 1, "data": "AQ=="}""", MqttRejectReasons.DevEuiMismatch)]
    [InlineData(Topic, """{"devEui": "0101", "fPort": 1}""", MqttRejectReasons.DevEuiMismatch)]
    [InlineData(Topic, """{"devEui": "0101010101010101", "fPort": 0, "data": "AQ=="}""", MqttRejectReasons.InvalidFPort)]
    [InlineData(Topic, """{"devEui": "0101010101010101", "data": "AQ=="}""", MqttRejectReasons.InvalidFPort)]
    [InlineData(Topic, """{"devEui": "0101010101010101", "fPort": 224, "data": "AQ=="}""", MqttRejectReasons.InvalidFPort)]
    [InlineData(Topic, """{"devEui": "0101010101010101", "fPort": -1, "data": "AQ=="}""", MqttRejectReasons.InvalidFPort)]
    [InlineData(Topic, """{"devEui": "0101010101010101", "fPort": 1, "data": "not base64"}""", MqttRejectReasons.MalformedPayload)]
    [InlineData(Topic, """{"devEui": "0101010101010101", "fPort": 1e12}""", MqttRejectReasons.MalformedPayload)]
    [InlineData(Topic, """{"id": "nope", "devEui": "0101010101010101", "fPort": 1}""", MqttRejectReasons.MalformedPayload)]
    [InlineData(Topic, "{", MqttRejectReasons.MalformedPayload)]
    [InlineData(Topic, "null", MqttRejectReasons.MalformedPayload)]
    [InlineData(Topic, "", MqttRejectReasons.EmptyPayload)]
    [InlineData("application/app/device/0101010101010101/command/up", """{"devEui": "0101010101010101", "fPort": 1}""", MqttRejectReasons.InvalidTopic)]
    [InlineData("application/app/device/01010101010101/command/down", """{"devEui": "0101010101010101", "fPort": 1}""", MqttRejectReasons.InvalidTopic)]
    [InlineData("application/app/x/device/0101010101010101/command/down", """{"devEui": "0101010101010101", "fPort": 1}""", MqttRejectReasons.InvalidTopic)]
    public void Rejects_invalid_commands_with_a_reason(string topic, string json, string reason)
    {
        var request = ApplicationDownlinkCommands.Parse(topic, Payload(json), out var rejection);

        Assert.Null(request);
        Assert.Equal(reason, rejection?.Reason);
    }

    [Fact]
    public void Rejects_data_longer_than_242_bytes()
    {
        var ok = $$"""{"devEui": "0101010101010101", "fPort": 1, "data": "{{Convert.ToBase64String(new byte[242])}}"}""";
        var tooLong = $$"""{"devEui": "0101010101010101", "fPort": 1, "data": "{{Convert.ToBase64String(new byte[243])}}"}""";

        Assert.NotNull(ApplicationDownlinkCommands.Parse(Topic, Payload(ok), out _));
        Assert.Null(ApplicationDownlinkCommands.Parse(Topic, Payload(tooLong), out var rejection));
        Assert.Equal(MqttRejectReasons.DataTooLarge, rejection?.Reason);
    }

    [Fact]
    public async Task Counts_rejections_including_the_enqueuers()
    {
        using var metrics = new MqttMetrics();
        using var recorder = new MqttMetricsRecorder(metrics);
        var commands = new ApplicationDownlinkCommands(new RefusingEnqueuer(), metrics, Microsoft.Extensions.Logging.Abstractions.NullLogger<ApplicationDownlinkCommands>.Instance);

        await commands.HandleAsync(Topic, Payload("""{"devEui": "0101010101010101", "fPort": 1}"""), CancellationToken.None);
        await commands.HandleAsync(Topic, Payload("""{"devEui": "0101010101010101", "fPort": 0}"""), CancellationToken.None);

        Assert.Equal(2, recorder.Received("application_down"));
        Assert.Equal(1, recorder.Rejected(MqttRejectReasons.EnqueueRejected));
        Assert.Equal(1, recorder.Rejected(MqttRejectReasons.InvalidFPort));
        Assert.True(commands.Handles(Topic));
        Assert.False(commands.Handles("eu868/gateway/0016c001f153a14c/event/up"));
    }

    private static ReadOnlySequence<byte> Payload(string json) => new(Encoding.UTF8.GetBytes(json));

    private sealed class RefusingEnqueuer : IDownlinkEnqueuer
    {
        public ValueTask<DownlinkEnqueueResult> EnqueueAsync(ApplicationDownlinkRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(DownlinkEnqueueResult.Rejected("unknown device"));
    }
}
