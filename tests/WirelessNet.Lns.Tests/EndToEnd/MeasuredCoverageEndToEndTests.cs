using System.Text.Json;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Payloads;
using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Devices;
using WirelessNet.Simulators.Gateways;

namespace WirelessNet.Lns.Tests.EndToEnd;

/// <summary>
/// A mapper device reports its GPS position (CayenneLPP) and three gateways hear it: the server's coverage API shows
/// the device's hex with three distinct gateways and the strongest RSSI, and the map page and GeoJSON serve it. A
/// device with an installed location counts at that location with any uplink.
/// </summary>
public sealed class MeasuredCoverageEndToEndTests
{
    [Fact]
    public async Task Mapper_uplink_heard_by_three_gateways_shows_in_its_hex()
    {
        await using var server = await ServerUnderTest.StartAsync();
        var gateways = new[] { Eui64.Parse("000000000000c001"), Eui64.Parse("000000000000c002"), Eui64.Parse("000000000000c003") };
        var locations = new Dictionary<Eui64, GeoLocation>
        {
            [gateways[0]] = new(52.5200, 13.4050),
            [gateways[1]] = new(52.5300, 13.4200),
            [gateways[2]] = new(52.5100, 13.3900),
        };
        var device = new SimulatedDevice(77);
        await server.ProvisionAsync(gateways, [device], locations);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var simulators = new List<MqttGatewaySimulator>();
        foreach (var g in gateways)
        {
            var simulator = new MqttGatewaySimulator(g, server.MqttHost, server.MqttPort);
            await simulator.ConnectAsync(cts.Token);
            simulators.Add(simulator);
        }

        try
        {
            await simulators[0].PublishUplinkAsync(device.CreateJoinRequest(), 868_100_000, 7, -80, 8f, cts.Token);
            var accept = await simulators[0].Downlinks.ReadAsync(cts.Token);
            Assert.True(device.TryAcceptJoin(accept.Items[0].PhyPayload.ToByteArray()));

            // Position 52.5163, 13.3777 (Brandenburger Tor) in CayenneLPP: channel 1, type 0x88, 0.0001° units.
            var position = new LatLng(52.5163, 13.3777);
            var payload = new byte[CayenneLppGps.EntryLength];
            CayenneLppGps.Encode(payload, 1, new GpsFix(position, 34));
            var uplink = device.CreateDataUplink(payload, fPort: 2);
            int[] rssi = [-97, -84, -112];
            float[] snr = [1.5f, 7.25f, -6f];
            await Task.WhenAll(simulators.Select((s, i) => s.PublishUplinkAsync(uplink, 868_100_000, 7, rssi[i], snr[i], cts.Token)));

            await server.NextEventAsync(device.DevEui, "up");
            await Task.Delay(200, cts.Token);

            CayenneLppGps.TryDecode(payload, out var decoded);
            var cell = H3Grid.LatLngToCell(decoded.Position, 12);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
            using var hex = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/coverage/hex/{cell}", UriKind.Relative), cts.Token));
            var properties = hex.RootElement.GetProperty("properties");
            Assert.Equal(3, properties.GetProperty("distinctGateways").GetInt32());
            Assert.Equal(-84, properties.GetProperty("bestRssi").GetDouble());
            Assert.Equal(7.25, properties.GetProperty("bestSnr").GetDouble());
            Assert.Equal(3, properties.GetProperty("count").GetInt32());

            // The same hex at res 9 through the bbox query, and the map page.
            using var area = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/coverage?bbox=13.30,52.48,13.45,52.55&res=9", UriKind.Relative), cts.Token));
            Assert.Contains(area.RootElement.GetProperty("features").EnumerateArray(), f => f.GetProperty("properties").GetProperty("kind").GetString() == "hex");
            using var map = await http.GetAsync(new Uri("/map", UriKind.Relative), cts.Token);
            Assert.True(map.IsSuccessStatusCode);
            Assert.Equal("text/html", map.Content.Headers.ContentType?.MediaType);

            // A stationary device whose installed location is known: any uplink of it counts, at that location.
            var registry = (WirelessNet.Lns.Storage.IDeviceRegistry)server.Services.GetService(typeof(WirelessNet.Lns.Storage.IDeviceRegistry))!;
            var installedAt = new LatLng(52.5250, 13.3690);
            var provisioned = (await registry.GetDeviceAsync(device.DevEui, cts.Token))!;
            await registry.PutDeviceAsync(provisioned with { Location = new GeoLocation(installedAt.Lat, installedAt.Lng) }, cts.Token);
            ((WirelessNet.Lns.Pipeline.ProvisioningCache)server.Services.GetService(typeof(WirelessNet.Lns.Pipeline.ProvisioningCache))!).InvalidateDevice(device.DevEui);
            var reading = device.CreateDataUplink([0x01, 0x67, 0x00, 0xe1], fPort: 10);
            await Task.WhenAll(simulators.Take(2).Select((s, i) => s.PublishUplinkAsync(reading, 868_100_000, 7, rssi[i], snr[i], cts.Token)));
            await server.NextEventAsync(device.DevEui, "up");
            await Task.Delay(200, cts.Token);
            using var installed = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/coverage/hex/{H3Grid.LatLngToCell(installedAt, 12)}", UriKind.Relative), cts.Token));
            Assert.Equal(2, installed.RootElement.GetProperty("properties").GetProperty("distinctGateways").GetInt32());
            Assert.Equal(-84, installed.RootElement.GetProperty("properties").GetProperty("bestRssi").GetDouble());

            // Malformed input is refused with a reason.
            using var bad = await http.GetAsync(new Uri("/api/coverage/hex/zzz", UriKind.Relative), cts.Token);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        }
        finally
        {
            foreach (var s in simulators)
            {
                await s.DisposeAsync();
            }
        }
    }
}
