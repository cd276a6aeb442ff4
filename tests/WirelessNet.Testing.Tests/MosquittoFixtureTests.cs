using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace WirelessNet.Testing.Tests;

/// <summary>A broker that refuses anonymous clients: the password-file pattern for later tests.</summary>
public sealed class PasswordMosquittoFixture() : MosquittoFixture(new MosquittoOptions
{
    Users = new Dictionary<string, string> { ["gateway"] = "s3cret pass:word" },
});

internal static class Mqtt
{
    public static async Task<IMqttClient> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken = default)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            // MQTTnet 5 reports a refused CONNACK in the result rather than by throwing.
            var result = await client.ConnectAsync(options, cancellationToken);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new InvalidOperationException($"CONNECT refused: {result.ResultCode}");
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public static async Task<MqttClientConnectResultCode> TryConnectAsync(MqttClientOptions options)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(options);
        return result.ResultCode;
    }

    /// <summary>Subscribes <paramref name="subscriber"/>, publishes from <paramref name="publisher"/>, returns the received payload.</summary>
    public static async Task<string> RoundTripAsync(IMqttClient publisher, IMqttClient subscriber, string topic, string payload)
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic == topic)
            {
                received.TrySetResult(e.ApplicationMessage.ConvertPayloadToString());
            }

            return Task.CompletedTask;
        };
        await subscriber.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await publisher.PublishAsync(message);

        return await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}

public sealed class MosquittoFixtureTests(MosquittoFixture mosquitto) : IClassFixture<MosquittoFixture>
{
    [Fact]
    public async Task PublishSubscribe_RoundTripsThroughTheBroker()
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Host, mosquitto.Port);
        using var subscriber = await Mqtt.ConnectAsync(options.WithClientId("subscriber").Build());
        using var publisher = await Mqtt.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Host, mosquitto.Port).WithClientId("publisher").Build());

        var payload = await Mqtt.RoundTripAsync(publisher, subscriber, "gateway/0102030405060708/event/up", "{\"rssi\":-42}");

        Assert.Equal("{\"rssi\":-42}", payload);
        Assert.Equal("127.0.0.1", mosquitto.Host);
    }

    [Fact]
    public void Config_ListensOnLoopbackOnly_WithoutPersistence()
    {
        var config = File.ReadAllLines(mosquitto.Broker.ConfigPath);

        Assert.Contains($"listener {mosquitto.Port} 127.0.0.1", config);
        Assert.Contains("allow_anonymous true", config);
        Assert.Contains("persistence false", config);
    }
}

public sealed class MosquittoPasswordTests(PasswordMosquittoFixture mosquitto) : IClassFixture<PasswordMosquittoFixture>
{
    [Fact]
    public async Task AnonymousClient_IsRefused()
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Host, mosquitto.Port).WithTimeout(TimeSpan.FromSeconds(5)).Build();

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await Mqtt.TryConnectAsync(options));
    }

    [Fact]
    public async Task WrongPassword_IsRefused()
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(mosquitto.Host, mosquitto.Port)
            .WithCredentials("gateway", "wrong")
            .WithTimeout(TimeSpan.FromSeconds(5))
            .Build();

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await Mqtt.TryConnectAsync(options));
    }

    [Fact]
    public async Task ConfiguredUser_CanPublishAndSubscribe()
    {
        using var subscriber = await Mqtt.ConnectAsync(mosquitto.Broker.CreateClientOptions("subscriber").Build());
        using var publisher = await Mqtt.ConnectAsync(
            new MqttClientOptionsBuilder()
                .WithTcpServer(mosquitto.Host, mosquitto.Port)
                .WithCredentials("gateway", "s3cret pass:word")
                .Build());

        Assert.Equal("ok", await Mqtt.RoundTripAsync(publisher, subscriber, "auth/test", "ok"));
    }
}

public sealed class MosquittoLifecycleTests
{
    [Fact]
    public async Task RestartAsync_KeepsThePort_AndAcceptsClientsAgain()
    {
        await using var broker = await MosquittoBroker.StartNewAsync();
        var port = broker.Port;
        var firstProcess = broker.ProcessId;

        await broker.RestartAsync();

        Assert.Equal(port, broker.Port);
        Assert.NotEqual(firstProcess, broker.ProcessId);
        using var client = await Mqtt.ConnectAsync(broker.CreateClientOptions().Build());
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task DisposeAsync_KillsTheBroker()
    {
        var broker = await MosquittoBroker.StartNewAsync();
        var processId = broker.ProcessId;
        var config = broker.ConfigPath;

        await broker.DisposeAsync();

        Assert.True(await ProcessProbe.WaitUntilGoneAsync(processId, TimeSpan.FromSeconds(5)));
        Assert.False(File.Exists(config));
    }

    [Fact]
    public async Task MissingBinary_FailsWithTheSetupCommand()
    {
        var exception = await Assert.ThrowsAsync<RequiredToolMissingException>(
            () => MosquittoBroker.StartNewAsync(new MosquittoOptions { ExecutablePath = "/nonexistent/mosquitto" }));

        Assert.Contains("mosquitto not found", exception.Message);
        Assert.Contains("apt-get install mosquitto", exception.Message);
    }

    [Fact]
    public void Locator_FindsMosquittoOutsidePath()
    {
        // Debian installs the broker in /usr/sbin, which a non-root PATH usually lacks.
        var found = ExecutableLocator.Find("mosquitto");

        Assert.NotNull(found);
        Assert.EndsWith("/mosquitto", found);
    }
}
