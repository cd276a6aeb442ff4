using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Fleets;
using WirelessNet.Simulators.Gateways;
using WirelessNet.Simulators.World;
using Xunit.Abstractions;

namespace WirelessNet.Lns.Tests.EndToEnd;

/// <summary>
/// The server (embedded broker, in-memory store) in a simulated city: 50 hotspots (MQTT protobuf and JSON bridges and
/// Helium hotspots on gRPC) and 200 devices run by the simulator's fleet (the same engine as `wirelessnet-sim run`), radio physics deciding which hotspots hear each
/// transmission. Every device the RF model lets reach a hotspot joins, at least 99% of receivable uplinks become 'up'
/// events, and confirmed uplinks are acknowledged.
/// </summary>
public sealed class WholeSystemTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_simulated_city_joins_and_delivers()
    {
        var world = new RadioWorld(WorldGenerator.Generate(new WorldOptions { Seed = 7, Hotspots = 50, Devices = 200, RadiusKm = 6, Environment = WirelessNet.Simulators.Rf.PropagationEnvironment.Urban, HeliumShare = 0.3, JsonShare = 0.3 }));
        var options = new CityRunOptions { Duration = TimeSpan.FromSeconds(25), UplinkInterval = TimeSpan.FromSeconds(6), ConfirmedShare = 0.3, Seed = 3 };
        var run = new CityFleetRun(world, options);
        await using var server = await ServerUnderTest.StartAsync();
        var gatewayIds = world.Definition.Hotspots.Select(h => Eui64.Parse(h.GatewayId)).ToArray();
        var locations = world.Definition.Hotspots.ToDictionary(h => Eui64.Parse(h.GatewayId), h => new GeoLocation(h.Latitude, h.Longitude));
        await server.ProvisionAsync(gatewayIds, run.Devices, locations);

        // Reachable: some hotspot hears the device at the slowest rate (static devices; mappers start there).
        var reachable = world.Definition.Devices
            .Where((d, i) => world.Hear(d.Latitude, d.Longitude, run.Devices[i].DevEui.Value, options.TxPowerDbm, 12, 868_100_000).Count > 0)
            .Count();
        Assert.True(reachable >= world.Definition.Devices.Count * 0.5, $"the world is too sparse: {reachable} of {world.Definition.Devices.Count} devices reach a hotspot");

        // Hotspots of all three kinds: ChirpStack bridges speaking protobuf or JSON, and Helium hotspots on gRPC.
        Assert.Contains(world.Definition.Hotspots, h => h.Transport == HotspotTransports.HeliumGrpc);
        Assert.Contains(world.Definition.Hotspots, h => h.Transport == HotspotTransports.MqttJson);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        var radios = new List<IHotspotRadio>();
        try
        {
            await HotspotRadios.ConnectAsync(world.Definition, server.MqttHost, server.MqttPort, channel, radios, cts.Token);
            await run.RunAsync(radios, cts.Token);
        }
        finally
        {
            foreach (var radio in radios)
            {
                await radio.DisposeAsync();
            }
        }

        var upEvents = 0;
        foreach (var device in run.Devices)
        {
            while (server.TryTakeEvent(device.DevEui, "up", out _))
            {
                upEvents++;
            }
        }

        var s = run.Statistics.Snapshot();
        var heard = s.Uplinks - s.UnheardUplinks;
        output.WriteLine($"{world.Definition.Hotspots.Count} hotspots, {world.Definition.Devices.Count} devices ({reachable} reach a hotspot); {s.Joins} joined; {s.Uplinks} uplinks, {heard} heard, {upEvents} up events; {s.ConfirmedUplinks} confirmed heard, {s.Acks} ACKs; {s.Errors} errors");
        Assert.Equal(reachable, s.Joins);
        Assert.True(heard > 0, "no uplink was heard");
        Assert.True(upEvents >= heard * 0.99, $"{upEvents} up events for {heard} receivable uplinks");
        Assert.True(upEvents <= heard, $"{upEvents} up events for {heard} uplinks: duplicates");
        Assert.True(s.Acks >= s.ConfirmedUplinks * 0.99, $"{s.Acks} ACKs for {s.ConfirmedUplinks} confirmed uplinks");
        Assert.Equal(0, s.Errors);
    }
}
