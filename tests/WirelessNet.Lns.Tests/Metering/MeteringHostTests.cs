using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WirelessNet.Lns.Hosting;
using WirelessNet.Lns.Metering;
using WirelessNet.Lns.Tests.EndToEnd;
using WirelessNet.Lns.Tests.Storage;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Devices;
using WirelessNet.Simulators.Gateways;

namespace WirelessNet.Lns.Tests.Metering;

/// <summary>
/// The hosted server meters into the store it runs on; with Redis, two instances that each receive some copies of a
/// frame charge it exactly once.
/// </summary>
[Collection(RedisStoreCollection.Name)]
public sealed class MeteringHostTests(RedisStoreFixture redis)
{
    [Theory]
    [InlineData("Redis", typeof(RedisPacketMeter))]
    [InlineData("InMemory", typeof(InMemoryPacketMeter))]
    [InlineData(null, typeof(InMemoryPacketMeter))]
    public async Task The_store_kind_chooses_the_meter(string? kind, Type expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Kind"] = kind,
            ["Redis:Configuration"] = redis.ConnectionString,
            ["Redis:KeyPrefix"] = "wnm-di",
        }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddNetworkServer(configuration).BuildServiceProvider();

        Assert.IsType(expected, provider.GetRequiredService<IPacketMeter>());
        Assert.NotNull(provider.GetRequiredService<PacketMetering>());
    }

    [Fact]
    public async Task Copies_received_by_two_instances_are_charged_once()
    {
        var prefix = "met" + Guid.NewGuid().ToString("N")[..8];
        await using var first = await ServerUnderTest.StartAsync(redis: redis.Server, redisKeyPrefix: prefix);
        await using var second = await ServerUnderTest.StartAsync(redis: redis.Server, redisKeyPrefix: prefix);
        var meter = first.Services.GetRequiredService<IPacketMeter>();
        Assert.IsType<RedisPacketMeter>(meter);

        var gateways = new[] { Eui64.Parse("000000000000d101"), Eui64.Parse("000000000000d102"), Eui64.Parse("000000000000d103") };
        var device = new SimulatedDevice(91);
        await first.ProvisionAsync(gateways, [device]);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var simulators = new List<MqttGatewaySimulator>();
        try
        {
            // Each instance has its own broker: gateway 1 talks to the first, gateways 2 and 3 to the second.
            for (var i = 0; i < gateways.Length; i++)
            {
                var server = i == 0 ? first : second;
                var simulator = new MqttGatewaySimulator(gateways[i], server.MqttHost, server.MqttPort);
                await simulator.ConnectAsync(cts.Token);
                simulators.Add(simulator);
            }

            var join = device.CreateJoinRequest();
            await simulators[0].PublishUplinkAsync(join, 868_100_000, 7, -80, 8f, cts.Token);
            var accept = await simulators[0].Downlinks.ReadAsync(cts.Token);
            Assert.True(device.TryAcceptJoin(accept.Items[0].PhyPayload.ToByteArray()));

            var uplink = device.CreateDataUplink(new byte[30], fPort: 2);
            for (var i = 0; i < simulators.Count; i++)
            {
                await simulators[i].PublishUplinkAsync(uplink, 868_100_000, 7, -90 - i, 5f - i, cts.Token);
            }

            var expected = new MeterHour(
                default,
                1 + 3,
                join.Length + (3L * uplink.Length),
                DataCredits.ForPayload(join.Length) + (3 * DataCredits.ForPayload(uplink.Length)));
            var total = await PollAsync(meter, expected.Copies, cts.Token);

            // Give a wrongly double-counting instance time to show itself.
            await Task.Delay(500, cts.Token);
            total = await TotalAsync(meter, cts.Token);
            Assert.Equal(expected, total);
            Assert.Equal(4, (await second.Services.GetRequiredService<IPacketMeter>().GetRecentReportsAsync(100, cts.Token)).Count);
        }
        finally
        {
            foreach (var s in simulators)
            {
                await s.DisposeAsync();
            }
        }
    }

    private static async Task<MeterHour> PollAsync(IPacketMeter meter, long copies, CancellationToken cancellationToken)
    {
        while (true)
        {
            var total = await TotalAsync(meter, cancellationToken);
            if (total.Copies >= copies)
            {
                return total;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    // Summed over the hours around now: the test may cross an hour boundary.
    private static async Task<MeterHour> TotalAsync(IPacketMeter meter, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var hours = await meter.GetTenantHoursAsync("t1", now.AddHours(-1), now.AddHours(1), cancellationToken);
        return new MeterHour(default, hours.Sum(h => h.Copies), hours.Sum(h => h.Bytes), hours.Sum(h => h.DataCredits));
    }
}
