using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Mqtt.Broker;
using WirelessNet.Lns.Mqtt.Gateways;
using WirelessNet.Testing;

namespace WirelessNet.Lns.Tests.Mqtt;

public sealed class EmbeddedMqttBrokerTests
{
    [Fact]
    public async Task Requires_the_configured_credentials_from_gateways_and_from_the_bridge()
    {
        var port = FreeTcpPort.Pick();
        await using var broker = new EmbeddedMqttBroker(
            Options.Create(new EmbeddedBrokerOptions { Enabled = true, Port = port, Username = "gateways", Password = "s3cret" }),
            NullLogger<EmbeddedMqttBroker>.Instance);
        await broker.StartAsync(CancellationToken.None);
        Assert.True(broker.IsRunning);

        await Assert.ThrowsAsync<InvalidOperationException>(() => SimulatedMqttClient.ConnectAsync("127.0.0.1", port, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => SimulatedMqttClient.ConnectAsync("127.0.0.1", port, CancellationToken.None, "gateways", "wrong"));
        await using (await SimulatedMqttClient.ConnectAsync("127.0.0.1", port, CancellationToken.None, "gateways", "s3cret"))
        {
        }

        using var metrics = new MqttMetrics();
        using var refused = Bridge(port, "gateways", "wrong", metrics);
        using var accepted = Bridge(port, "gateways", "s3cret", metrics);
        await refused.StartAsync(CancellationToken.None);
        await accepted.StartAsync(CancellationToken.None);
        try
        {
            await TestWait.UntilAsync(() => accepted.SubscriptionRounds == 1, "the bridge with the right password has subscribed");
            await Task.Delay(300);
            Assert.False(refused.IsConnected);
            Assert.Equal(0, refused.SubscriptionRounds);
        }
        finally
        {
            await refused.StopAsync(CancellationToken.None);
            await accepted.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Does_not_listen_when_disabled_and_frees_the_port_when_stopped()
    {
        var port = FreeTcpPort.Pick();
        var options = new EmbeddedBrokerOptions { Enabled = false, Port = port };
        await using (var disabled = new EmbeddedMqttBroker(Options.Create(options), NullLogger<EmbeddedMqttBroker>.Instance))
        {
            await disabled.StartAsync(CancellationToken.None);
            Assert.False(disabled.IsRunning);
            Assert.True(FreeTcpPort.IsFree(port));
        }

        var broker = new EmbeddedMqttBroker(Options.Create(new EmbeddedBrokerOptions { Enabled = true, Port = port }), NullLogger<EmbeddedMqttBroker>.Instance);
        await broker.StartAsync(CancellationToken.None);
        Assert.False(FreeTcpPort.IsFree(port));
        await broker.StopAsync(CancellationToken.None);
        Assert.False(broker.IsRunning);
        Assert.True(FreeTcpPort.IsFree(port));
        broker.Dispose();
        await broker.DisposeAsync();
    }

    [Fact]
    public void Refuses_an_invalid_port() =>
        Assert.Throws<ArgumentException>(() => new EmbeddedMqttBroker(
            Options.Create(new EmbeddedBrokerOptions { Port = 70000 }),
            NullLogger<EmbeddedMqttBroker>.Instance));

    private static MqttGatewayBridge Bridge(int port, string username, string password, MqttMetrics metrics) =>
        new(
            Options.Create(new MqttGatewayOptions
            {
                Port = port,
                Username = username,
                Password = password,
                ReconnectDelay = TimeSpan.FromMilliseconds(50),
                MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
            }),
            new GatewayMessageCodec(),
            new RecordingGatewayEventSink(),
            metrics,
            NullLogger<MqttGatewayBridge>.Instance);
}
