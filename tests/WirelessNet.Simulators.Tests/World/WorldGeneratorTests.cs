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

    [Fact]
    public void Carrier_radios_and_cheaters_survive_json_and_leave_the_rest_of_the_world_as_the_seed_made_it()
    {
        var plain = new WorldOptions { Seed = 21, Hotspots = 60, Devices = 30, HeliumShare = 0.2 };
        var options = plain with { CarrierRadios = 6, CarrierId = "demo-carrier", Cheaters = 10 };
        var world = WorldGenerator.Generate(options);
        Assert.Equal(world.ToJson(), WorldGenerator.Generate(options).ToJson());
        var loaded = RadioWorldDefinition.FromJson(world.ToJson());
        Assert.Equal(world.ToJson(), loaded.ToJson());
        Assert.Equal(6, loaded.CarrierRadios.Count);
        Assert.Equal(10, loaded.Hotspots.Count(h => h.Cheat is not null));

        // Radios: both kinds, one carrier, in the city, with subscribers and a key that derives again from seed and index.
        Assert.All(loaded.CarrierRadios, r => Assert.Equal("demo-carrier", r.CarrierId));
        Assert.Equal(3, loaded.CarrierRadios.Count(r => r.Kind == CarrierRadioKinds.Cbrs));
        Assert.Equal(3, loaded.CarrierRadios.Count(r => r.Kind == CarrierRadioKinds.Wifi));
        var centre = new LatLng(world.CentreLatitude, world.CentreLongitude);
        Assert.All(loaded.CarrierRadios, r => Assert.True(H3Grid.GreatCircleDistanceKm(centre, new LatLng(r.Latitude, r.Longitude)) <= world.RadiusKm * 1.01));
        Assert.All(loaded.CarrierRadios, r => Assert.InRange(r.Subscribers, 5, 200));
        var keys = loaded.CarrierRadios.Select((r, i) => WorldGenerator.CarrierRadioKey(21, i, r.HeliumKeyType).PublicKey.ToAddress()).ToList();
        Assert.Equal(6, keys.Distinct().Count());
        Assert.Equal(keys[0], WorldGenerator.CarrierRadioKey(21, 0, loaded.CarrierRadios[0].HeliumKeyType).PublicKey.ToAddress());
        Assert.DoesNotContain(WorldGenerator.HeliumKey(21, 0, loaded.CarrierRadios[0].HeliumKeyType).PublicKey.ToAddress(), keys);

        // Adding radios and cheaters draws nothing from the hotspots' and devices' generator.
        var before = WorldGenerator.Generate(plain);
        Assert.Equal(before.Devices, world.Devices);
        for (var i = 0; i < before.Hotspots.Count; i++)
        {
            var (lat, lng) = world.Hotspots[i].AssertedLocation();
            Assert.Equal((before.Hotspots[i].Latitude, before.Hotspots[i].Longitude), world.Hotspots[i].Cheat is { Profile: CheatProfiles.FalseLocation } ? (world.Hotspots[i].Latitude, world.Hotspots[i].Longitude) : (lat, lng));
            Assert.Equal(before.Hotspots[i].GatewayId, world.Hotspots[i].GatewayId);
        }
    }

    [Fact]
    public void Cheaters_carry_each_profile_where_it_puts_their_radio_and_their_assertion()
    {
        var world = WorldGenerator.Generate(new WorldOptions { Seed = 4, Hotspots = 40, Devices = 0, RadiusKm = 5, HeliumShare = 0.3, Cheaters = 10 });
        var centre = new LatLng(world.CentreLatitude, world.CentreLongitude);
        double FromCentre(double lat, double lng) => H3Grid.GreatCircleDistanceKm(centre, new LatLng(lat, lng));
        var cheaters = world.Hotspots.Where(h => h.Cheat is not null).ToList();
        Assert.Equal(10, cheaters.Count);
        Assert.All(cheaters, c => Assert.NotEqual(HotspotTransports.HeliumGrpc, c.Transport));
        Assert.Equal(2, cheaters.Count(c => c.Cheat!.Profile == CheatProfiles.FalseLocation));
        Assert.Equal(2, cheaters.Count(c => c.Cheat!.Profile == CheatProfiles.WitnessStuffing));
        Assert.Equal(2, cheaters.Count(c => c.Cheat!.Profile == CheatProfiles.LateReplay));
        Assert.Equal(4, cheaters.Count(c => c.Cheat!.Profile == CheatProfiles.SelfWitnessingCluster));
        foreach (var c in cheaters)
        {
            if (c.Cheat!.Profile == CheatProfiles.FalseLocation)
            {
                // Radio in the city, assertion beyond PoC's 100 km from any city spot.
                Assert.True(FromCentre(c.Latitude, c.Longitude) <= 5.01);
                Assert.True(FromCentre(c.Cheat.AssertedLatitude, c.Cheat.AssertedLongitude) > 140);
            }
            else
            {
                // Assertion in the city, radio far out of reach.
                Assert.True(FromCentre(c.Cheat.AssertedLatitude, c.Cheat.AssertedLongitude) <= 5.01);
                Assert.True(FromCentre(c.Latitude, c.Longitude) > 180);
            }
        }

        // Two clusters of two, each member a few metres from the other and asserting a different city spot.
        foreach (var cluster in cheaters.Where(c => c.Cheat!.Cluster > 0).GroupBy(c => c.Cheat!.Cluster))
        {
            var members = cluster.ToList();
            Assert.Equal(2, members.Count);
            Assert.True(H3Grid.GreatCircleDistanceKm(new LatLng(members[0].Latitude, members[0].Longitude), new LatLng(members[1].Latitude, members[1].Longitude)) < 0.01);
            Assert.NotEqual(members[0].AssertedLocation(), members[1].AssertedLocation());
        }

        // Four cheaters: the fourth would be a lone cluster member, so it asserts a false location instead.
        var few = WorldGenerator.Generate(new WorldOptions { Seed = 4, Hotspots = 40, Devices = 0, Cheaters = 4 });
        Assert.DoesNotContain(few.Hotspots, h => h.Cheat?.Profile == CheatProfiles.SelfWitnessingCluster);
        Assert.Equal(2, few.Hotspots.Count(h => h.Cheat?.Profile == CheatProfiles.FalseLocation));
    }

    [Fact]
    public void A_world_file_from_before_carrier_radios_and_cheats_still_loads()
    {
        const string Old = """
            {"seed":3,"centreLatitude":52.52,"centreLongitude":13.405,"radiusKm":5,"environment":"urban",
             "hotspots":[{"gatewayId":"00a0000003000000","latitude":52.52,"longitude":13.4,"antennaGainDbi":2.15,"heightMetres":10,"indoor":false,"transport":"mqtt","heliumKeyType":null}],
             "devices":[{"seed":300000,"latitude":52.51,"longitude":13.41,"mapper":false,"lorawan11":false}]}
            """;
        var world = RadioWorldDefinition.FromJson(Old);
        Assert.Empty(world.CarrierRadios);
        Assert.Null(Assert.Single(world.Hotspots).Cheat);
        Assert.Equal((52.52, 13.4), world.Hotspots[0].AssertedLocation());
        Assert.DoesNotContain("cheat", world.ToJson(), StringComparison.Ordinal);
    }
}
