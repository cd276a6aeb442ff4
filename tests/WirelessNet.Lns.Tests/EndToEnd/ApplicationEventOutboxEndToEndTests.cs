using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;
using WirelessNet.Lns.Mqtt.Applications.Outbox;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Devices;
using WirelessNet.Simulators.Gateways;
using WirelessNet.Testing;

namespace WirelessNet.Lns.Tests.EndToEnd;

/// <summary>
/// The broker dies while a frame is being processed: the frame's 'up' event waits in the Redis outbox and reaches the
/// application once the broker is back. Own Mosquitto and Redis processes, because this test kills the broker.
/// </summary>
public sealed class ApplicationEventOutboxEndToEndTests(MosquittoFixture mosquitto, RedisServerFixture redis)
    : IClassFixture<MosquittoFixture>, IClassFixture<RedisServerFixture>
{
    private const uint Frequency = 868_100_000;
    private static readonly Eui64 Gateway = Eui64.Parse("00000000000e2b01");

    [Fact]
    public async Task An_up_event_published_while_the_broker_is_down_arrives_after_it_is_back()
    {
        await using var server = await ServerUnderTest.StartAsync(mosquitto.Broker, redis.ConnectionString, extra: new Dictionary<string, string?>
        {
            // The server reconnects later than the test's application client, which must be listening first.
            ["Mqtt:Gateway:ReconnectDelay"] = "00:00:02",
            ["Mqtt:Outbox:PollInterval"] = "00:00:00.500",
        });
        var device = new SimulatedDevice(seed: 4711);
        await server.ProvisionAsync([Gateway], [device]);
        await using var gateway = new MqttGatewaySimulator(Gateway, server.MqttHost, server.MqttPort) { AutoAcknowledge = true };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await gateway.ConnectAsync(cts.Token);
        await Task.Delay(300, cts.Token);

        await gateway.PublishUplinkAsync(device.CreateJoinRequest(), Frequency, 7, -80, 8f, cts.Token, channel: 0);
        var joinAccept = await gateway.Downlinks.ReadAsync(cts.Token);
        Assert.True(device.TryAcceptJoin(joinAccept.Items[0].PhyPayload.ToByteArray()));
        await server.NextEventAsync(device.DevEui, "join");

        // The reception reaches the server; the broker dies inside the deduplication window, before the event.
        await gateway.PublishUplinkAsync(device.CreateDataUplink(Encoding.ASCII.GetBytes("held"), fPort: 3, txDr: 5, txCh: 0), Frequency, 7, -90, 5f, cts.Token, channel: 0);
        await Task.Delay(100, cts.Token);
        await mosquitto.Broker.StopAsync(ServerStopMode.Kill, cts.Token);

        var outbox = server.Services.GetRequiredService<IApplicationEventOutbox>();
        Assert.IsType<WirelessNet.Lns.Storage.Redis.RedisApplicationEventOutbox>(outbox);
        while (await outbox.CountAsync(cts.Token) == 0)
        {
            await Task.Delay(50, cts.Token);
        }

        await mosquitto.Broker.StartAsync(cts.Token);
        var events = Channel.CreateUnbounded<JsonElement>();
        using var application = new MqttClientFactory().CreateMqttClient();
        application.ApplicationMessageReceivedAsync += e =>
        {
            using var json = JsonDocument.Parse(e.ApplicationMessage.Payload);
            events.Writer.TryWrite(json.RootElement.Clone());
            return Task.CompletedTask;
        };
        await application.ConnectAsync(mosquitto.Broker.CreateClientOptions().Build(), cts.Token);
        await application.SubscribeAsync($"application/+/device/{device.DevEui}/event/up", MqttQualityOfServiceLevel.AtLeastOnce, cts.Token);

        var up = await events.Reader.ReadAsync(cts.Token);
        Assert.Equal("held", Encoding.ASCII.GetString(Convert.FromBase64String(up.GetProperty("data").GetString()!)));
        Assert.Equal(3, up.GetProperty("fPort").GetInt32());
        while (await outbox.CountAsync(cts.Token) > 0)
        {
            await Task.Delay(50, cts.Token);
        }
    }
}
