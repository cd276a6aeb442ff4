using WirelessNet.Coverage.H3;
using WirelessNet.Simulators.Rf;
using WirelessNet.Simulators.World;

namespace WirelessNet.Simulators.Tests.World;

public sealed class WorldGeneratorTests
{
    [Fact]
    public void Worlds_are_reproducible_from_their_seed_and_survive_json()
    {
        var options = new WorldOptions { Seed = 11, Hotspots = 40, Devices = 100 };
        var a = WorldGenerator.Generate(options);
        var b = WorldGenerator.Generate(options);
        Assert.Equal(a.ToJson(), b.ToJson());
        Assert.NotEqual(a.ToJson(), WorldGenerator.Generate(options with { Seed = 12 }).ToJson());

        var loaded = RadioWorldDefinition.FromJson(a.ToJson());
        Assert.Equal(a.ToJson(), loaded.ToJson());
        Assert.Equal(40, loaded.Hotspots.Count);
        Assert.Equal(100, loaded.Devices.Count);
    }

    [Fact]
    public void Helium_hotspots_carry_keys_of_both_types_and_the_ids_the_router_derives_from_them()
    {
        var options = new WorldOptions { Seed = 5, Hotspots = 60, Devices = 0, HeliumShare = 0.5, JsonShare = 0.5 };
        var world = WorldGenerator.Generate(options);

        var helium = world.Hotspots.Select((h, i) => (Hotspot: h, Index: i)).Where(x => x.Hotspot.Transport == HotspotTransports.HeliumGrpc).ToList();
        Assert.InRange(helium.Count, 15, 45);
        Assert.Contains(helium, x => x.Hotspot.HeliumKeyType == "p256");
        Assert.Contains(helium, x => x.Hotspot.HeliumKeyType == "ed25519");
        foreach (var (hotspot, index) in helium)
        {
            var key = WorldGenerator.HeliumKey(options.Seed, index, hotspot.HeliumKeyType!);
            Assert.Equal(hotspot.HeliumKeyType == "p256" ? WirelessNet.Helium.Crypto.HeliumKeyType.EccCompact : WirelessNet.Helium.Crypto.HeliumKeyType.Ed25519, key.PublicKey.KeyType);
            Assert.Equal(WirelessNet.Simulators.Gateways.HeliumGatewaySimulator.GatewayIdOf(key.PublicKey).ToString(), hotspot.GatewayId);
        }

        Assert.Contains(world.Hotspots, h => h.Transport == HotspotTransports.MqttJson);
        Assert.Equal(world.ToJson(), WorldGenerator.Generate(options).ToJson());

        // Without the shares a seed gives the world it always gave: all MQTT protobuf, nothing drawn for transports.
        var plain = WorldGenerator.Generate(options with { HeliumShare = 0, JsonShare = 0 });
        Assert.All(plain.Hotspots, h => Assert.Equal(HotspotTransports.Mqtt, h.Transport));
    }

    [Fact]
    public void Hotspots_sit_on_distinct_res12_cell_centres_denser_in_the_core()
    {
        var world = WorldGenerator.Generate(new WorldOptions { Seed = 3, Hotspots = 400, RadiusKm = 5 });
        var cells = world.Hotspots.Select(h => H3Grid.LatLngToCell(h.Latitude, h.Longitude, 12)).ToList();
        Assert.Equal(cells.Count, cells.Distinct().Count());
        foreach (var (hotspot, cell) in world.Hotspots.Zip(cells))
        {
            var centre = H3Grid.CellToLatLng(cell);
            Assert.Equal(centre.Lat, hotspot.Latitude, 9);
            Assert.Equal(centre.Lng, hotspot.Longitude, 9);
        }

        // r = R·u² puts half the hotspots within a quarter of the radius.
        var centreOfCity = new LatLng(world.CentreLatitude, world.CentreLongitude);
        var inner = world.Hotspots.Count(h => H3Grid.GreatCircleDistanceKm(centreOfCity, new LatLng(h.Latitude, h.Longitude)) <= world.RadiusKm / 4);
        Assert.InRange(inner, 160, 240);
    }

    [Fact]
    public void Nearer_hotspots_hear_stronger_and_far_ones_not_at_all()
    {
        var world = new RadioWorld(new RadioWorldDefinition(
            1,
            52.52,
            13.405,
            10,
            PropagationEnvironment.FreeSpace,
            [
                new WorldHotspot("0000000000000001", 52.52, 13.41, 0, 10, false, "mqtt"),
                new WorldHotspot("0000000000000002", 52.60, 13.405, 0, 10, false, "mqtt"),
            ],
            []));

        // Free space, 14 dBm, 0 dBi, 0.5 dB cable: about 340 m and 8.9 km away; SF7 sensitivity −124.5 dBm.
        var hearings = world.Hear(52.52, 13.405, 99, 14, 7, 868.1e6);
        Assert.Equal(2, hearings.Count);
        Assert.Equal(0, hearings[0].HotspotIndex);
        Assert.True(hearings[0].RssiDbm > hearings[1].RssiDbm);

        var farAway = world.Hear(60.0, 13.405, 99, 14, 7, 868.1e6);
        Assert.Empty(farAway);
    }
}
