using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Tests.EndToEnd;
using WirelessNet.Lns.Storage;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Devices;

namespace WirelessNet.Lns.Tests.Helium;

/// <summary>
/// The real network server (embedded broker, in-memory store) on free loopback ports, with its HTTP/2 gRPC endpoint
/// for Helium gateways, an application client on MQTT, and a listener on this host's Helium rejection counter.
/// </summary>
internal sealed class HeliumServerUnderTest : IAsyncDisposable
{
    private readonly ServerUnderTest _server;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _rejections = new(StringComparer.Ordinal);

    private HeliumServerUnderTest(ServerUnderTest server)
    {
        _server = server;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");

        // Only this host's meter: other test hosts in the process publish the same instrument names.
        var meter = server.Services.GetRequiredService<HeliumMetrics>().Meter;
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

    public int MqttPort => _server.MqttPort;

    public int HttpPort => _server.HttpPort;

    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _server.Services;

    public static async Task<HeliumServerUnderTest> StartAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["NetworkServer:DeduplicationWindow"] = "00:00:00.200",

            // Provisioning changes must show at once in these tests.
            ["Helium:PacketRouter:GatewayCacheLifetime"] = "00:00:00",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new HeliumServerUnderTest(await ServerUnderTest.StartAsync(null, null, extra: settings));
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

    public Task<JsonElement> NextEventAsync(Eui64 devEui, string kind, TimeSpan? timeout = null) => _server.NextEventAsync(devEui, kind, timeout);

    public bool TryTakeEvent(Eui64 devEui, string kind, out JsonElement element) => _server.TryTakeEvent(devEui, kind, out element);

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        Channel.Dispose();
        await _server.DisposeAsync();
    }
}
