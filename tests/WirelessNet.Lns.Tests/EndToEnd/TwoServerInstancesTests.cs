using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using StackExchange.Redis;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Devices;
using WirelessNet.Simulators.Gateways;
using WirelessNet.Testing;

namespace WirelessNet.Lns.Tests.EndToEnd;

/// <summary>
/// Two server processes share one Mosquitto (shared subscription) and one Redis: receptions of one frame reach
/// different instances, and still every uplink heard by three gateways produces exactly one <c>up</c> event.
/// </summary>
[Collection(MosquittoAndRedisCollection.Name)]
public sealed class TwoServerInstancesTests(MosquittoFixture mosquitto, RedisServerFixture redis)
{
    private const int Devices = 100;
    private const int UplinksPerDevice = 10;
    private const ulong Frequency = 868_100_000;

    [Fact]
    public async Task Thousand_uplinks_heard_by_three_gateways_give_exactly_a_thousand_up_events()
    {
        var prefix = "two" + Guid.NewGuid().ToString("N")[..6];
        var gateways = new[] { Eui64.Parse("0000000000002201"), Eui64.Parse("0000000000002202"), Eui64.Parse("0000000000002203") };
        var devices = await ProvisionAsync(prefix, gateways);

        var httpPorts = new[] { FreeTcpPort.Pick(), FreeTcpPort.Pick() };
        await using var first = await StartServerProcessAsync(prefix, httpPorts[0]);
        await using var second = await StartServerProcessAsync(prefix, httpPorts[1]);

        var events = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        using var application = new MqttClientFactory().CreateMqttClient();
        application.ApplicationMessageReceivedAsync += e =>
        {
            using var json = JsonDocument.Parse(e.ApplicationMessage.Payload);
            var key = json.RootElement.GetProperty("deviceInfo").GetProperty("devEui").GetString() + "/" + json.RootElement.GetProperty("fCnt").GetUInt32();
            events.AddOrUpdate(key, 1, (_, n) => n + 1);
            Interlocked.Increment(ref total);
            return Task.CompletedTask;
        };
        await application.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Host, mosquitto.Port).WithClientId("app-" + prefix).Build());
        await application.SubscribeAsync("application/+/device/+/event/up", MqttQualityOfServiceLevel.AtLeastOnce);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var simulators = new List<MqttGatewaySimulator>();
        try
        {
            foreach (var gateway in gateways)
            {
                var simulator = new MqttGatewaySimulator(gateway, mosquitto.Host, mosquitto.Port);
                await simulator.ConnectAsync(cts.Token);
                simulators.Add(simulator);
            }

            // Bounded: 1,000 uplinks × 3 receptions, in rounds of one uplink per device. A device's consecutive frames
            // are kept more than two deduplication windows apart, as the duty cycle keeps real devices seconds apart:
            // closer frames could be processed out of order, and the older counter would then be refused as a replay.
            for (var round = 0; round < UplinksPerDevice; round++)
            {
                foreach (var device in devices)
                {
                    var frame = device.CreateDataUplink(BitConverter.GetBytes(round), fPort: 5);
                    for (var g = 0; g < simulators.Count; g++)
                    {
                        await simulators[g].PublishUplinkAsync(frame, Frequency, 7, -90 - (10 * g), 8f - (3 * g), cts.Token);
                    }
                }

                await Task.Delay(1000, cts.Token);
            }

            const int expected = Devices * UplinksPerDevice;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Volatile.Read(ref total) < expected && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, CancellationToken.None);
            }

            // Anything extra would arrive within a deduplication window or two.
            await Task.Delay(1500, CancellationToken.None);
            if (events.Count != expected)
            {
                using var probe = new HttpClient();
                var rejected = new List<string>();
                foreach (var port in httpPorts)
                {
                    var text = await probe.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), CancellationToken.None);
                    rejected.AddRange(text.Split('\n').Where(l => l.StartsWith("wirelessnet_uplinks_rejected_total", StringComparison.Ordinal) || l.StartsWith("wirelessnet_gateway_receptions_total", StringComparison.Ordinal)));
                }

                Assert.Fail($"{events.Count} distinct up events ({Volatile.Read(ref total)} in all) for {expected} uplinks; server counters: {string.Join("; ", rejected)}; first server: {first.Output()} second server: {second.Output()}");
            }
            Assert.Equal(expected, Volatile.Read(ref total));
            Assert.All(events.Values, count => Assert.Equal(1, count));

            // Both instances took part: the shared subscription split the receptions between them.
            using var http = new HttpClient();
            foreach (var port in httpPorts)
            {
                var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), cts.Token);
                var line = metrics.Split('\n').Single(l => l.StartsWith("wirelessnet_gateway_receptions_total ", StringComparison.Ordinal));
                var receptions = double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
                Assert.True(receptions is > 0 and < 3 * expected, $"instance on port {port} handled {receptions} receptions");
            }
        }
        finally
        {
            foreach (var simulator in simulators)
            {
                await simulator.DisposeAsync();
            }
        }
    }

    private async Task<List<SimulatedDevice>> ProvisionAsync(string prefix, Eui64[] gateways)
    {
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var store = new RedisStore(connection, new RedisStoreOptions { KeyPrefix = prefix });
        foreach (var gateway in gateways)
        {
            await store.PutGatewayAsync(new Gateway { GatewayId = gateway, TenantId = "t1", Region = "eu868" }, default);
        }

        await store.PutProfileAsync(new DeviceProfile { Id = "abp", TenantId = "t1", Region = "eu868", MacVersion = MacVersion.LoRaWan1_0_4, SupportsOtaa = false }, default);
        var devices = new List<SimulatedDevice>();
        var random = new Random(1000);
        for (var i = 0; i < Devices; i++)
        {
            var device = new SimulatedDevice(10_000 + i);
            var keys = new byte[32];
            random.NextBytes(keys);
            var nwkSKey = new AesKey(keys.AsSpan(0, 16));
            var appSKey = new AesKey(keys.AsSpan(16, 16));
            var devAddr = DevAddr.FromNetId(NetId.Parse("000013"), (uint)(0x1000 + i));
            device.ActivateAbp(devAddr, nwkSKey, appSKey);
            await store.PutDeviceAsync(new Device { DevEui = device.DevEui, TenantId = "t1", ApplicationId = "app1", ProfileId = "abp", Name = "abp-" + i }, default);
            await store.SaveActiveSessionAsync(
                new DeviceSession
                {
                    DevEui = device.DevEui,
                    DevAddr = devAddr,
                    MacVersion = MacVersion.LoRaWan1_0_4,
                    FNwkSIntKey = nwkSKey,
                    SNwkSIntKey = nwkSKey,
                    NwkSEncKey = nwkSKey,
                    AppSKey = appSKey,
                },
                default);
            devices.Add(device);
        }

        return devices;
    }

    private async Task<ServerProcess> StartServerProcessAsync(string prefix, int httpPort)
    {
        var arguments = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "WirelessNet.Lns.dll"),
            $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{httpPort}",
            $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{FreeTcpPort.Pick()}",
            "--Mqtt:Broker:Enabled=false",
            $"--Mqtt:Gateway:Host={mosquitto.Host}",
            $"--Mqtt:Gateway:Port={mosquitto.Port.ToString(CultureInfo.InvariantCulture)}",
            "--Store:Kind=Redis",
            $"--Redis:Configuration={redis.ConnectionString}",
            $"--Redis:KeyPrefix={prefix}",
            "--NetworkServer:NetId=000013",
            "--Logging:LogLevel:Default=Warning",
        };
        var process = ManagedProcess.Start("dotnet", arguments, new ManagedProcessOptions { WorkingDirectory = AppContext.BaseDirectory });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var ready = await process.WaitUntilReadyAsync(
            async ct =>
            {
                try
                {
                    return (await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/healthz"), ct)) == "ok";
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(90),
            CancellationToken.None);
        Assert.True(ready.Outcome == ReadinessOutcome.Ready, "server process did not start: " + process.DescribeOutput());

        // Give the MQTT subscription a moment after the HTTP side is up.
        await Task.Delay(500);
        return new ServerProcess(process);
    }

    private sealed class ServerProcess(ManagedProcess process) : IAsyncDisposable
    {
        public string Output() => process.DescribeOutput();

        public async ValueTask DisposeAsync()
        {
            await process.StopAsync(TimeSpan.FromSeconds(5));
            await process.DisposeAsync();
        }
    }
}
