using System.Text.Json;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Mqtt.Applications;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Tests.Mqtt;

public sealed class ApplicationEventPublisherTests
{
    private static readonly Eui64 DevEui = Eui64.Parse("0101010101010101");
    private static readonly DateTimeOffset Time = new(2026, 11, 26, 7, 0, 0, 123, TimeSpan.FromHours(1));

    private static readonly ApplicationDeviceInfo DeviceInfo = new()
    {
        TenantId = "52f14cd4-c6f1-4fbd-8f87-4025e1d49242",
        TenantName = "ChirpStack",
        ApplicationId = "17c82e96-be03-4f38-aef3-f83d48582d97",
        ApplicationName = "Test application",
        DeviceProfileId = "14855bf7-d10d-4aee-b618-ebfcb64dc7ad",
        DeviceProfileName = "Test device-profile",
        DeviceName = "Test device",
        DevEui = DevEui,
    };

    [Fact]
    public async Task Publishes_an_uplink_with_chirpstack_field_names()
    {
        var publisher = new CapturingPublisher();
        var uplink = new ApplicationUplinkEvent
        {
            DeduplicationId = Guid.Parse("3ac7e3c4-4401-4b8d-9386-a5c902f9202d"),
            Time = Time,
            DeviceInfo = DeviceInfo,
            DevAddr = new DevAddr(0x00189440),
            Adr = true,
            DataRate = 5,
            FCnt = 10,
            FPort = 1,
            Confirmed = true,
            Data = [0xaa],
            FrequencyHz = 867_100_000,
            Modulation = new LoRaModulation(7, 125_000, 5),
            Receptions =
            [
                new UplinkReception
                {
                    GatewayId = Eui64.Parse("0016c001f153a14c"),
                    PhyPayload = [1],
                    FrequencyHz = 867_100_000,
                    Modulation = new LoRaModulation(7, 125_000, 5),
                    Rssi = -36,
                    Snr = 10.5f,
                    ReceivedAt = Time,
                    UplinkId = 4217106255,
                    Channel = 3,
                    RfChain = 1,
                    Context = [0x13, 0x73, 0x96, 0x39],
                    Location = new GeoLocation(52.5, 4.5, 10),
                    Metadata = new Dictionary<string, string> { ["region_config_id"] = "eu868" },
                },
            ],
        };

        await new ApplicationEventPublisher(publisher).PublishUplinkAsync(uplink, CancellationToken.None);

        var (topic, json, type) = Assert.Single(publisher.Messages);
        Assert.Equal("application/17c82e96-be03-4f38-aef3-f83d48582d97/device/0101010101010101/event/up", topic);
        Assert.Equal("application_up", type);
        var root = json.RootElement;
        Assert.Equal("3ac7e3c4-4401-4b8d-9386-a5c902f9202d", root.GetProperty("deduplicationId").GetString());
        Assert.Equal(Time, root.GetProperty("time").GetDateTimeOffset());
        Assert.EndsWith("+00:00", root.GetProperty("time").GetString(), StringComparison.Ordinal);
        var info = root.GetProperty("deviceInfo");
        Assert.Equal("52f14cd4-c6f1-4fbd-8f87-4025e1d49242", info.GetProperty("tenantId").GetString());
        Assert.Equal("ChirpStack", info.GetProperty("tenantName").GetString());
        Assert.Equal("17c82e96-be03-4f38-aef3-f83d48582d97", info.GetProperty("applicationId").GetString());
        Assert.Equal("Test application", info.GetProperty("applicationName").GetString());
        Assert.Equal("14855bf7-d10d-4aee-b618-ebfcb64dc7ad", info.GetProperty("deviceProfileId").GetString());
        Assert.Equal("Test device-profile", info.GetProperty("deviceProfileName").GetString());
        Assert.Equal("Test device", info.GetProperty("deviceName").GetString());
        Assert.Equal("0101010101010101", info.GetProperty("devEui").GetString());
        Assert.Equal("00189440", root.GetProperty("devAddr").GetString());
        Assert.True(root.GetProperty("adr").GetBoolean());
        Assert.Equal(5, root.GetProperty("dr").GetInt32());
        Assert.Equal(10, root.GetProperty("fCnt").GetInt32());
        Assert.Equal(1, root.GetProperty("fPort").GetInt32());
        Assert.True(root.GetProperty("confirmed").GetBoolean());
        Assert.Equal("qg==", root.GetProperty("data").GetString());
        var rx = Assert.Single(root.GetProperty("rxInfo").EnumerateArray());
        Assert.Equal("0016c001f153a14c", rx.GetProperty("gatewayId").GetString());
        Assert.Equal(4217106255u, rx.GetProperty("uplinkId").GetUInt32());
        Assert.Equal(-36, rx.GetProperty("rssi").GetInt32());
        Assert.Equal(10.5, rx.GetProperty("snr").GetDouble());
        Assert.Equal(3, rx.GetProperty("channel").GetInt32());
        Assert.Equal(1, rx.GetProperty("rfChain").GetInt32());
        Assert.Equal(52.5, rx.GetProperty("location").GetProperty("latitude").GetDouble());
        Assert.Equal(4.5, rx.GetProperty("location").GetProperty("longitude").GetDouble());
        Assert.Equal(10, rx.GetProperty("location").GetProperty("altitude").GetDouble());
        Assert.Equal("E3OWOQ==", rx.GetProperty("context").GetString());
        Assert.Equal("CRC_OK", rx.GetProperty("crcStatus").GetString());
        Assert.Equal("eu868", rx.GetProperty("metadata").GetProperty("region_config_id").GetString());
        var tx = root.GetProperty("txInfo");
        Assert.Equal(867_100_000, tx.GetProperty("frequency").GetInt64());
        var lora = tx.GetProperty("modulation").GetProperty("lora");
        Assert.Equal(125_000, lora.GetProperty("bandwidth").GetInt32());
        Assert.Equal(7, lora.GetProperty("spreadingFactor").GetInt32());
        Assert.Equal("CR_4_5", lora.GetProperty("codeRate").GetString());
        Assert.False(lora.TryGetProperty("polarizationInversion", out _));
    }

    [Fact]
    public async Task Publishes_join_ack_txack_and_log_events()
    {
        var publisher = new CapturingPublisher();
        var events = new ApplicationEventPublisher(publisher);
        var queueItemId = Guid.Parse("9bd3e6a1-0d8a-4c8e-8f3b-1f4f1c1e2d3c");

        await events.PublishJoinAsync(new ApplicationJoinEvent(Guid.Empty, Time, DeviceInfo, new DevAddr(0x26011234)), CancellationToken.None);
        await events.PublishAckAsync(new ApplicationAckEvent(null, Time, DeviceInfo, queueItemId, true, 7), CancellationToken.None);
        await events.PublishTxAckAsync(
            new ApplicationTxAckEvent(
                894104280,
                Time,
                DeviceInfo,
                queueItemId,
                7,
                Eui64.Parse("0016c001f153a14c"),
                new DownlinkItem([1], 869_525_000, 27, new LoRaModulation(12, 125_000, 5), new DownlinkTiming.Delay(TimeSpan.FromMilliseconds(2500)), [0xc7])),
            CancellationToken.None);
        await events.PublishLogAsync(
            new ApplicationLogEvent(Time, DeviceInfo, ApplicationLogLevel.Error, "UPLINK_CODEC", "decode failed", new Dictionary<string, string> { ["deduplication_id"] = "x" }),
            CancellationToken.None);

        Assert.Equal(
            ["join", "ack", "txack", "log"],
            publisher.Messages.Select(m => m.Topic.Split('/')[^1]));

        var join = publisher.Messages[0].Json.RootElement;
        Assert.Equal("26011234", join.GetProperty("devAddr").GetString());
        Assert.Equal(Guid.Empty.ToString(), join.GetProperty("deduplicationId").GetString());
        Assert.Equal("0101010101010101", join.GetProperty("deviceInfo").GetProperty("devEui").GetString());

        var ack = publisher.Messages[1].Json.RootElement;
        Assert.False(ack.TryGetProperty("deduplicationId", out _));
        Assert.Equal(queueItemId.ToString(), ack.GetProperty("queueItemId").GetString());
        Assert.True(ack.GetProperty("acknowledged").GetBoolean());
        Assert.Equal(7, ack.GetProperty("fCntDown").GetInt32());

        var txAck = publisher.Messages[2].Json.RootElement;
        Assert.Equal(894104280u, txAck.GetProperty("downlinkId").GetUInt32());
        Assert.Equal(queueItemId.ToString(), txAck.GetProperty("queueItemId").GetString());
        Assert.Equal(7, txAck.GetProperty("fCntDown").GetInt32());
        Assert.Equal("0016c001f153a14c", txAck.GetProperty("gatewayId").GetString());
        var txInfo = txAck.GetProperty("txInfo");
        Assert.Equal(869_525_000, txInfo.GetProperty("frequency").GetInt64());
        Assert.Equal(27, txInfo.GetProperty("power").GetInt32());
        Assert.Equal(12, txInfo.GetProperty("modulation").GetProperty("lora").GetProperty("spreadingFactor").GetInt32());
        Assert.True(txInfo.GetProperty("modulation").GetProperty("lora").GetProperty("polarizationInversion").GetBoolean());
        Assert.Equal("2.5s", txInfo.GetProperty("timing").GetProperty("delay").GetProperty("delay").GetString());
        Assert.Equal("xw==", txInfo.GetProperty("context").GetString());

        var log = publisher.Messages[3].Json.RootElement;
        Assert.Equal("ERROR", log.GetProperty("level").GetString());
        Assert.Equal("UPLINK_CODEC", log.GetProperty("code").GetString());
        Assert.Equal("decode failed", log.GetProperty("description").GetString());
        Assert.Equal("x", log.GetProperty("context").GetProperty("deduplication_id").GetString());
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("+")]
    [InlineData("#")]
    [InlineData("")]
    public async Task Refuses_application_ids_that_are_not_a_topic_level(string applicationId)
    {
        var events = new ApplicationEventPublisher(new CapturingPublisher());

        await Assert.ThrowsAsync<ArgumentException>(async () => await events.PublishJoinAsync(
            new ApplicationJoinEvent(Guid.Empty, Time, DeviceInfo with { ApplicationId = applicationId }, default),
            CancellationToken.None));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(1_000, "1s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(1, "0.001s")]
    public void Formats_durations_as_proto3_json(int milliseconds, string expected) =>
        Assert.Equal(expected, ApplicationEventPublisher.FormatDuration(TimeSpan.FromMilliseconds(milliseconds)));

    private sealed class CapturingPublisher : IMqttMessagePublisher
    {
        public List<(string Topic, JsonDocument Json, string Type)> Messages { get; } = [];

        public bool IsConnected => true;

        public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, string type, CancellationToken cancellationToken)
        {
            Messages.Add((topic, JsonDocument.Parse(payload), type));
            return ValueTask.CompletedTask;
        }
    }
}
