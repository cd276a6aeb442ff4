using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Hosting;
using WirelessNet.Lns.Storage;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Devices;
using WirelessNet.Testing;

namespace WirelessNet.Lns.Tests.EndToEnd;

/// <summary>
/// The real network server application (the same host <c>dotnet run</c> starts) on free loopback ports, with either
/// its embedded broker and in-memory store or an external broker and Redis, plus an application client on MQTT.
/// </summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IMqttClient _application;
    private readonly ConcurrentDictionary<string, Channel<JsonElement>> _events = new(StringComparer.Ordinal);

    private ServerUnderTest(WebApplication app, IMqttClient application, string mqttHost, int mqttPort, int httpPort, int grpcPort)
    {
        _app = app;
        _application = application;
        MqttHost = mqttHost;
        MqttPort = mqttPort;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
    }

    public string MqttHost { get; }

    public int MqttPort { get; }

    public int HttpPort { get; }

    /// <summary>The HTTP/2-only endpoint serving gRPC.</summary>
    public int GrpcPort { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="externalBroker">Null: the embedded broker on a free port.</param>
    /// <param name="redis">Null: the in-memory store.</param>
    public static Task<ServerUnderTest> StartAsync(MosquittoBroker? externalBroker = null, RedisServer? redis = null, string? redisKeyPrefix = null) =>
        StartAsync(externalBroker, redis?.ConnectionString, redisKeyPrefix);

    /// <param name="redisConfiguration">A StackExchange.Redis configuration string (several nodes for a cluster); null: in memory.</param>
    /// <param name="extra">Configuration values applied over the test defaults.</param>
    public static async Task<ServerUnderTest> StartAsync(MosquittoBroker? externalBroker, string? redisConfiguration, string? redisKeyPrefix = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var httpPort = FreeTcpPort.Pick();
        var grpcPort = FreeTcpPort.Pick();
        var mqttPort = externalBroker?.Port ?? FreeTcpPort.Pick();
        var settings = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{httpPort}",
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Mqtt:Broker:Enabled"] = externalBroker is null ? "true" : "false",
            ["Mqtt:Broker:Port"] = mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:Gateway:Port"] = mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:Gateway:ClientId"] = "lns-" + Guid.NewGuid().ToString("N")[..8],
            ["NetworkServer:NetId"] = "000013",
            // Wider than the 200 ms default: on a loaded 2-core CI machine the simulated gateways' publishes of one
            // frame can be further apart than real gateways' would be, and the tests check the merge, not the window.
            ["NetworkServer:DeduplicationWindow"] = "00:00:00.500",
            ["Store:Kind"] = redisConfiguration is null ? "InMemory" : "Redis",
            ["Redis:Configuration"] = redisConfiguration,
            ["Redis:KeyPrefix"] = redisKeyPrefix ?? "t" + Guid.NewGuid().ToString("N")[..8],
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = NetworkServerHost.Build([], settings);
        await app.StartAsync();

        var application = new MqttClientFactory().CreateMqttClient();
        var server = new ServerUnderTest(app, application, "127.0.0.1", mqttPort, httpPort, grpcPort);
        application.ApplicationMessageReceivedAsync += server.OnApplicationMessageAsync;
        await ConnectWithRetryAsync(application, mqttPort);
        await application.SubscribeAsync("application/+/device/+/event/+", MqttQualityOfServiceLevel.AtLeastOnce);
        return server;
    }

    public async Task ProvisionAsync(IEnumerable<Eui64> gateways, IEnumerable<SimulatedDevice> devices, IReadOnlyDictionary<Eui64, GeoLocation>? locations = null)
    {
        var registry = Services.GetRequiredService<IDeviceRegistry>();
        foreach (var gateway in gateways)
        {
            await registry.PutGatewayAsync(new Gateway { GatewayId = gateway, TenantId = "t1", Region = "eu868", Name = "gw-" + gateway, Location = locations?.GetValueOrDefault(gateway) }, default);
        }

        await registry.PutProfileAsync(new DeviceProfile { Id = "p10", TenantId = "t1", Region = "eu868", MacVersion = MacVersion.LoRaWan1_0_4 }, default);
        await registry.PutProfileAsync(new DeviceProfile { Id = "p11", TenantId = "t1", Region = "eu868", MacVersion = MacVersion.LoRaWan1_1_0 }, default);
        foreach (var device in devices)
        {
            await registry.PutDeviceAsync(
                new Device
                {
                    DevEui = device.DevEui,
                    TenantId = "t1",
                    ApplicationId = "app1",
                    ProfileId = device.IsLoRaWan11 ? "p11" : "p10",
                    Name = "sim-" + device.DevEui,
                    JoinEui = device.JoinEui,
                    AppKey = device.AppKey,
                    NwkKey = device.IsLoRaWan11 ? device.NwkKey : null,
                },
                default);
        }
    }

    /// <summary>The next application event of a kind for a device (up, join, txack, log…).</summary>
    public async Task<JsonElement> NextEventAsync(Eui64 devEui, string kind, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await Events($"{devEui}/{kind}").Reader.ReadAsync(cts.Token);
    }

    public bool TryTakeEvent(Eui64 devEui, string kind, out JsonElement element) => Events($"{devEui}/{kind}").Reader.TryRead(out element);

    public Task PublishApplicationDownlinkAsync(Eui64 devEui, int fPort, byte[] data, bool confirmed = false) =>
        _application.PublishAsync(
            new MqttApplicationMessageBuilder()
                .WithTopic($"application/app1/device/{devEui}/command/down")
                .WithPayload(JsonSerializer.Serialize(new { devEui = devEui.ToString(), confirmed, fPort, data = Convert.ToBase64String(data) }))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());

    private Channel<JsonElement> Events(string key) => _events.GetOrAdd(key, _ => Channel.CreateUnbounded<JsonElement>());

    private Task OnApplicationMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        // application/{app}/device/{devEui}/event/{kind}
        var parts = e.ApplicationMessage.Topic.Split('/');
        if (parts.Length == 6)
        {
            using var document = JsonDocument.Parse(e.ApplicationMessage.Payload);
            Events($"{parts[3]}/{parts[5]}").Writer.TryWrite(document.RootElement.Clone());
        }

        return Task.CompletedTask;
    }

    private static async Task ConnectWithRetryAsync(IMqttClient client, int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var result = await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("app-" + Guid.NewGuid().ToString("N")[..8]).Build());
                if (result.ResultCode == MqttClientConnectResultCode.Success)
                {
                    return;
                }
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException) when (attempt < 20)
            {
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_application.IsConnected)
        {
            await _application.DisconnectAsync();
        }

        _application.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
