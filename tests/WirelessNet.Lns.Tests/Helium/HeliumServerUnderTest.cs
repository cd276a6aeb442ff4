using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Hosting;
using WirelessNet.Lns.Storage;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Devices;
using WirelessNet.Testing;

namespace WirelessNet.Lns.Tests.Helium;

/// <summary>
/// The real network server (embedded broker, in-memory store) on free loopback ports, with its HTTP/2 gRPC endpoint
/// for Helium gateways, an application client on MQTT, and a listener on this host's Helium rejection counter.
/// </summary>
internal sealed class HeliumServerUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IMqttClient _application;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _rejections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Channel<JsonElement>> _events = new(StringComparer.Ordinal);

    private HeliumServerUnderTest(WebApplication app, IMqttClient application, int mqttPort, int grpcPort, int httpPort)
    {
        _app = app;
        _application = application;
        MqttPort = mqttPort;
        HttpPort = httpPort;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");

        // Only this host's meter: other test hosts in the process publish the same instrument names.
        var meter = app.Services.GetRequiredService<HeliumMetrics>().Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "wirelessnet_helium_packets_rejected")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason" && tag.Value is string reason)
                {
                    _rejections.AddOrUpdate(reason, value, (_, v) => v + value);
                }
            }
        });
        _listener.Start();
    }

    public int MqttPort { get; }

    public int HttpPort { get; }

    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<HeliumServerUnderTest> StartAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var httpPort = FreeTcpPort.Pick();
        var grpcPort = FreeTcpPort.Pick();
        var mqttPort = FreeTcpPort.Pick();
        var settings = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{httpPort}",
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Mqtt:Broker:Enabled"] = "true",
            ["Mqtt:Broker:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:Gateway:Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:Gateway:ClientId"] = "lns-" + Guid.NewGuid().ToString("N")[..8],
            ["NetworkServer:NetId"] = "000013",
            ["NetworkServer:DeduplicationWindow"] = "00:00:00.200",
            ["Store:Kind"] = "InMemory",
            ["Logging:LogLevel:Default"] = "Warning",

            // Provisioning changes must show at once in these tests.
            ["Helium:PacketRouter:GatewayCacheLifetime"] = "00:00:00",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = NetworkServerHost.Build([], settings);
        await app.StartAsync();
        var application = new MqttClientFactory().CreateMqttClient();
        var server = new HeliumServerUnderTest(app, application, mqttPort, grpcPort, httpPort);
        application.ApplicationMessageReceivedAsync += server.OnApplicationMessageAsync;
        await ConnectWithRetryAsync(application, mqttPort);
        await application.SubscribeAsync("application/+/device/+/event/+", MqttQualityOfServiceLevel.AtLeastOnce);
        return server;
    }

    public async Task ProvisionGatewayAsync(HeliumPublicKey key, bool denied = false) =>
        await ProvisionGatewayAsync(HeliumGatewayIds.FromPublicKey(key), denied);

    public async Task ProvisionGatewayAsync(Eui64 gatewayId, bool denied = false) =>
        await Services.GetRequiredService<IDeviceRegistry>().PutGatewayAsync(
            new Gateway { GatewayId = gatewayId, TenantId = "t1", Region = "eu868", Name = "gw-" + gatewayId, Denied = denied },
            default);

    public async Task ProvisionDeviceAsync(SimulatedDevice device)
    {
        var registry = Services.GetRequiredService<IDeviceRegistry>();
        await registry.PutProfileAsync(new DeviceProfile { Id = "p10", TenantId = "t1", Region = "eu868", MacVersion = MacVersion.LoRaWan1_0_4 }, default);
        await registry.PutDeviceAsync(
            new Device
            {
                DevEui = device.DevEui,
                TenantId = "t1",
                ApplicationId = "app1",
                ProfileId = "p10",
                Name = "sim-" + device.DevEui,
                JoinEui = device.JoinEui,
                AppKey = device.AppKey,
            },
            default);
    }

    /// <summary>The host's Prometheus exposition (<c>/metrics</c>).</summary>
    public async Task<string> MetricsTextAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{HttpPort}/metrics"));
    }

    public long Rejections(string reason) => _rejections.GetValueOrDefault(reason);

    /// <summary>Waits until the rejection counter for <paramref name="reason"/> reaches <paramref name="count"/>.</summary>
    public async Task WaitForRejectionsAsync(string reason, long count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Rejections(reason) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} '{reason}' rejections, saw {Rejections(reason)}");
            await Task.Delay(20);
        }
    }

    public async Task<JsonElement> NextEventAsync(Eui64 devEui, string kind, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await Events($"{devEui}/{kind}").Reader.ReadAsync(cts.Token);
    }

    public bool TryTakeEvent(Eui64 devEui, string kind, out JsonElement element) => Events($"{devEui}/{kind}").Reader.TryRead(out element);

    private Channel<JsonElement> Events(string key) => _events.GetOrAdd(key, _ => System.Threading.Channels.Channel.CreateUnbounded<JsonElement>());

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
        _listener.Dispose();
        Channel.Dispose();
        if (_application.IsConnected)
        {
            await _application.DisconnectAsync();
        }

        _application.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
