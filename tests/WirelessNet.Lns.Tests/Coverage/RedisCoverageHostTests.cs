using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Measured;
using WirelessNet.Coverage.Payloads;
using WirelessNet.Lns.Coverage;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Hosting;
using WirelessNet.Lns.Tests.EndToEnd;
using WirelessNet.Lns.Tests.Storage;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Devices;
using WirelessNet.Simulators.Gateways;

namespace WirelessNet.Lns.Tests.Coverage;

/// <summary>
/// The server with <c>Store:Kind=Redis</c> keeps measured coverage in Redis: what one instance records, another
/// instance on the same Redis serves.
/// </summary>
[Collection(RedisStoreCollection.Name)]
public sealed class RedisCoverageHostTests(RedisStoreFixture redis)
{
    [Theory]
    [InlineData("Redis", typeof(RedisCoverageStore))]
    [InlineData("InMemory", typeof(InMemoryCoverageStore))]
    [InlineData(null, typeof(InMemoryCoverageStore))]
    public async Task The_store_kind_chooses_the_coverage_store(string? kind, Type expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Kind"] = kind,
            ["Redis:Configuration"] = redis.ConnectionString,
            ["Redis:KeyPrefix"] = "wnc-di",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddNetworkServer(configuration).AddMeasuredCoverage(configuration);
        await using var provider = services.BuildServiceProvider();

        Assert.IsType(expected, provider.GetRequiredService<ICoverageStore>());
    }

    [Fact]
    public async Task A_mapper_uplink_recorded_by_one_instance_is_served_with_three_gateways_by_another()
    {
        var prefix = "cov" + Guid.NewGuid().ToString("N")[..8];
        await using var recorder = await ServerUnderTest.StartAsync(redis: redis.Server, redisKeyPrefix: prefix);
        await using var reader = await ServerUnderTest.StartAsync(redis: redis.Server, redisKeyPrefix: prefix);
        Assert.IsType<RedisCoverageStore>(recorder.Services.GetRequiredService<ICoverageStore>());

        var gateways = new[] { Eui64.Parse("000000000000c101"), Eui64.Parse("000000000000c102"), Eui64.Parse("000000000000c103") };
        var locations = new Dictionary<Eui64, GeoLocation>
        {
            [gateways[0]] = new(52.5200, 13.4050),
            [gateways[1]] = new(52.5300, 13.4200),
            [gateways[2]] = new(52.5100, 13.3900),
        };
        var device = new SimulatedDevice(78);
        await recorder.ProvisionAsync(gateways, [device], locations);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var simulators = new List<MqttGatewaySimulator>();
        try
        {
            foreach (var g in gateways)
            {
                var simulator = new MqttGatewaySimulator(g, recorder.MqttHost, recorder.MqttPort);
                await simulator.ConnectAsync(cts.Token);
                simulators.Add(simulator);
            }

            await simulators[0].PublishUplinkAsync(device.CreateJoinRequest(), 868_100_000, 7, -80, 8f, cts.Token);
            var accept = await simulators[0].Downlinks.ReadAsync(cts.Token);
            Assert.True(device.TryAcceptJoin(accept.Items[0].PhyPayload.ToByteArray()));

            var payload = new byte[CayenneLppGps.EntryLength];
            CayenneLppGps.Encode(payload, 1, new GpsFix(new LatLng(52.5163, 13.3777), 34));
            var uplink = device.CreateDataUplink(payload, fPort: 2);
            int[] rssi = [-97, -84, -112];
            float[] snr = [1.5f, 7.25f, -6f];
            for (var i = 0; i < simulators.Count; i++)
            {
                await simulators[i].PublishUplinkAsync(uplink, 868_100_000, 7, rssi[i], snr[i], cts.Token);
            }

            await recorder.NextEventAsync(device.DevEui, "up");
            CayenneLppGps.TryDecode(payload, out var decoded);
            var cell = H3Grid.LatLngToCell(decoded.Position, 12);

            // The other instance never saw the uplink: it answers from Redis. The recorder stores just after it
            // publishes the event, so poll briefly.
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{reader.HttpPort}") };
            var properties = await PollAsync(http, $"/api/coverage/hex/{cell}", cts.Token);
            Assert.Equal(3, properties.GetProperty("distinctGateways").GetInt32());
            Assert.Equal(3, properties.GetProperty("count").GetInt32());
            Assert.Equal(-84, properties.GetProperty("bestRssi").GetDouble());
            Assert.Equal(7.25, properties.GetProperty("bestSnr").GetDouble());

            // The gateway's own coverage and its asserted location, from the other instance too.
            using var own = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/hotspots/000000000000c102/coverage", UriKind.Relative), cts.Token));
            var features = own.RootElement.GetProperty("features").EnumerateArray().ToList();
            Assert.Contains(features, f => f.GetProperty("properties").GetProperty("kind").GetString() == "hex");
            Assert.Contains(features, f => f.GetProperty("properties").GetProperty("kind").GetString() == "hotspot");
            using var area = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/coverage?bbox=13.30,52.48,13.45,52.55&res=9", UriKind.Relative), cts.Token));
            Assert.Equal(4, area.RootElement.GetProperty("features").GetArrayLength());
        }
        finally
        {
            foreach (var s in simulators)
            {
                await s.DisposeAsync();
            }
        }
    }

    private static async Task<JsonElement> PollAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                response.EnsureSuccessStatusCode();
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                var properties = json.RootElement.GetProperty("properties").Clone();
                if (properties.GetProperty("count").GetInt32() >= 3)
                {
                    return properties;
                }
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
