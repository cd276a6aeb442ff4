using Microsoft.Extensions.DependencyInjection;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Poc;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Tests.EndToEnd;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Gateways;

namespace WirelessNet.Lns.Tests.Poc;

/// <summary>Who counts as an active PoC hotspot: only provisioned, not denied gateways that forward traffic.</summary>
public sealed class PocParticipantTests
{
    [Fact]
    public async Task Receptions_of_unknown_or_denied_MQTT_gateways_do_not_make_them_participants()
    {
        await using var server = await ServerUnderTest.StartAsync(null, null, null, new Dictionary<string, string?>
        {
            ["Poc:OperatorSeed"] = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f",
        });
        var registry = server.Services.GetRequiredService<IDeviceRegistry>();
        var known = new Eui64(0x0200_0000_0000_0001UL);
        var denied = new Eui64(0x0200_0000_0000_0002UL);
        var unknown = new Eui64(0x0200_0000_0000_0003UL);
        await registry.PutGatewayAsync(new Gateway { GatewayId = known, TenantId = "t1", Region = "eu868", Location = new GeoLocation(48.1, 11.5) }, default);
        await registry.PutGatewayAsync(new Gateway { GatewayId = denied, TenantId = "t1", Region = "eu868", Location = new GeoLocation(48.2, 11.5), Denied = true }, default);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        foreach (var gatewayId in new[] { unknown, denied, known })
        {
            await using var gateway = new MqttGatewaySimulator(gatewayId, server.MqttHost, server.MqttPort);
            await gateway.ConnectAsync(cts.Token);
            await gateway.PublishUplinkAsync([0x40, 1, 2, 3, 4, 0, 0, 0, 1, 9, 9, 9, 9], 868_100_000, 7, -90, 5, cts.Token);
        }

        // The pipeline has dropped both strangers (counted) and the provisioned gateway is active.
        var directory = server.Services.GetRequiredService<PocHotspotDirectory>();
        while (true)
        {
            var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cts.Token);
            var participants = await directory.GetParticipantsAsync(cts.Token);
            if (metrics.Contains("reason=\"UnknownGateway\"", StringComparison.Ordinal)
                && metrics.Contains("reason=\"DeniedGateway\"", StringComparison.Ordinal)
                && participants.Values.Any(p => p.GatewayId == known))
            {
                Assert.Equal([known], participants.Values.Select(p => p.GatewayId));
                return;
            }

            await Task.Delay(100, cts.Token);
        }
    }
}
