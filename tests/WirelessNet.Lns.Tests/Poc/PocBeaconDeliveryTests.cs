using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Tests.EndToEnd;
using WirelessNet.Lns.Tests.Helium;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Poc.Validation;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PacketRouter;
using WirelessNet.Simulators.Gateways;

namespace WirelessNet.Lns.Tests.Poc;

/// <summary>
/// Challenges reach gateways as immediate downlinks: an MQTT gateway gets a <c>command/down</c> with the 52-byte
/// Proprietary beacon on the beacon's frequency, SF12 and power, the MQTT gateways that hear it forward it as an uplink
/// and become its witnesses; a Helium gateway gets the beacon as an immediate <c>packet_down</c> on its route stream.
/// </summary>
public sealed class PocBeaconDeliveryTests
{
    private const string AdminKey = "poc-admin-key-0123456789abcdef0123456789";
    private static readonly LatLng Centre = new(52.52, 13.40);

    [Fact]
    public async Task An_mqtt_gateway_beacons_on_command_and_mqtt_gateways_that_hear_it_are_its_witnesses()
    {
        await using var server = await ServerUnderTest.StartAsync(null, null, extra: Settings());
        var beaconerId = Eui64.Parse("00000000000000a1", CultureInfo.InvariantCulture);
        var witnessIds = new[] { Eui64.Parse("00000000000000b2", CultureInfo.InvariantCulture), Eui64.Parse("00000000000000c3", CultureInfo.InvariantCulture) };
        var places = new Dictionary<Eui64, LatLng>
        {
            [beaconerId] = Centre,
            [witnessIds[0]] = PocHotspotSimulator.Offset(Centre, 2, 0),
            [witnessIds[1]] = PocHotspotSimulator.Offset(Centre, 0, -3),
        };
        var registry = server.Services.GetRequiredService<IDeviceRegistry>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var gateways = new Dictionary<Eui64, MqttGatewaySimulator>();
        foreach (var (id, at) in places)
        {
            await registry.PutGatewayAsync(new Gateway { GatewayId = id, TenantId = "t1", Region = "eu868", Name = "gw-" + id, Location = new GeoLocation(at.Lat, at.Lng), AntennaGainDbi10 = 12 }, default);
            var simulator = new MqttGatewaySimulator(id, server.MqttHost, server.MqttPort);
            await simulator.ConnectAsync(cts.Token);
            gateways[id] = simulator;

            // Any frame makes the gateway an active participant.
            await simulator.PublishUplinkAsync([0x40, 1, 2, 3, 4, 0, 0, 0, 1, 9, 9, 9, 9], 868_100_000, 7, -90, 5, cts.Token);
        }

        try
        {
            using var http = Http(server.HttpPort);
            var beaconer = await WaitForParticipantAsync(http, beaconerId);
            foreach (var id in witnessIds)
            {
                await WaitForParticipantAsync(http, id);
            }

            var challenge = await http.PostAsync(new Uri($"/api/poc/challenges/{beaconer}", UriKind.Relative), null, cts.Token);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, challenge.StatusCode);

            var frame = await gateways[beaconerId].Downlinks.ReadAsync(cts.Token);
            var item = Assert.Single(frame.Items);
            Assert.Equal(52, item.PhyPayload.Length);
            Assert.Equal(0xE0, item.PhyPayload[0]);
            Assert.Contains(item.TxInfo.Frequency, new uint[] { 868_100_000, 868_300_000, 868_500_000 });
            Assert.Equal(12u, item.TxInfo.Modulation.Lora.SpreadingFactor);
            Assert.Equal(125_000u, item.TxInfo.Modulation.Lora.Bandwidth);
            Assert.NotNull(item.TxInfo.Timing.Immediately);
            Assert.Equal(14, item.TxInfo.Power);

            // The witnesses hear it with the RSSI free space allows minus 20 dB.
            foreach (var id in witnessIds)
            {
                var distance = H3Grid.GreatCircleDistanceKm(places[beaconerId], places[id]) * 1000;
                var rssi = (int)(FreeSpace.MaxRssiDbm(148, 12, 12, distance, item.TxInfo.Frequency) - 20);
                await gateways[id].PublishUplinkAsync(item.PhyPayload.ToByteArray(), item.TxInfo.Frequency, 12, rssi, 3.5f, cts.Token);
            }

            var round = (await WaitForRoundsAsync(http, 1)).Single();
            Assert.Equal(beaconer, round.GetProperty("beaconer").GetString());
            Assert.Equal("reason_none", round.GetProperty("beacon_reason").GetString());
            var witnesses = round.GetProperty("witnesses").EnumerateArray().ToList();
            Assert.Equal(2, witnesses.Count);
            Assert.All(witnesses, w => Assert.Equal("reason_none", w.GetProperty("reason").GetString()));
        }
        finally
        {
            foreach (var simulator in gateways.Values)
            {
                await simulator.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_helium_gateway_gets_its_beacon_as_an_immediate_packet_down_on_its_route_stream()
    {
        await using var server = await ServerUnderTest.StartAsync(null, null, extra: Settings());
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        using var key = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        await server.Services.GetRequiredService<IDeviceRegistry>().PutGatewayAsync(
            new Gateway { GatewayId = HeliumGatewayIds.FromPublicKey(key.PublicKey), TenantId = "t1", Region = "eu868", Location = new GeoLocation(Centre.Lat, Centre.Lng), AntennaGainDbi10 = 30 },
            default);
        await using var hotspot = await HeliumGatewayClient.ConnectAsync(channel, key, session: true);
        await hotspot.SendPacketAsync([0x40, 1, 2, 3, 4, 0, 0, 0, 1, 9, 9, 9, 9], 1_000_000);

        using var http = Http(server.HttpPort);
        Assert.Equal(key.PublicKey.ToAddress(), await WaitForParticipantAsync(http, HeliumGatewayIds.FromPublicKey(key.PublicKey)));
        var challenge = await http.PostAsync(new Uri($"/api/poc/challenges/{key.PublicKey.ToAddress()}", UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, challenge.StatusCode);

        var down = (await hotspot.NextAsync(envelope_down_v1.DataOneofCase.Packet)).Packet;
        Assert.Equal(52, down.Payload.Length);
        Assert.Equal(0xE0, down.Payload[0]);
        Assert.True(down.Rx1.Immediate);
        Assert.Equal(data_rate.Sf12Bw125, down.Rx1.Datarate);
        Assert.Null(down.Rx2);
    }

    private static HttpClient Http(int port)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return http;
    }

    private static async Task<string> WaitForParticipantAsync(HttpClient http, Eui64 gatewayId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            using var hotspots = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/poc/hotspots", UriKind.Relative)));
            foreach (var hotspot in hotspots.RootElement.EnumerateArray())
            {
                if (hotspot.GetProperty("gateway_id").GetString() == gatewayId.ToString())
                {
                    return hotspot.GetProperty("address").GetString()!;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"gateway {gatewayId} never became a PoC participant");
            await Task.Delay(100);
        }
    }

    private static async Task<List<JsonElement>> WaitForRoundsAsync(HttpClient http, int count)
    {
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var rounds = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/poc/epochs/{day}/rounds", UriKind.Relative)));
            if (rounds.RootElement.GetArrayLength() >= count)
            {
                return rounds.RootElement.EnumerateArray().Select(r => r.Clone()).ToList();
            }

            Assert.True(DateTime.UtcNow < deadline, $"expected {count} verified rounds, saw {rounds.RootElement.GetArrayLength()}");
            await Task.Delay(200);
        }
    }

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Api:AdminKey"] = AdminKey,
        ["Poc:OperatorSeed"] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        ["Poc:RoundSettleDelay"] = "00:00:05",
        ["Poc:RoundPollInterval"] = "00:00:00.200",
        ["Poc:IssueChallenges"] = "false",
        ["Poc:EnforceReciprocity"] = "false",
        ["Helium:PacketRouter:GatewayCacheLifetime"] = "00:00:00",
    };
}
