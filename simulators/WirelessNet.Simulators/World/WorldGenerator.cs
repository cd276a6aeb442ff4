using System.Buffers.Binary;
using System.Security.Cryptography;
using WirelessNet.Helium.Crypto;
using WirelessNet.Simulators.Gateways;
using System.Globalization;
using WirelessNet.Coverage.H3;
using WirelessNet.Simulators.Rf;

namespace WirelessNet.Simulators.World;

/// <summary>Parameters of a generated world.</summary>
public sealed record WorldOptions
{
    public int Seed { get; init; } = 7;

    public double CentreLatitude { get; init; } = 52.5200;

    public double CentreLongitude { get; init; } = 13.4050;

    public double RadiusKm { get; init; } = 5;

    public int Hotspots { get; init; } = 50;

    public int Devices { get; init; } = 200;

    public PropagationEnvironment Environment { get; init; } = PropagationEnvironment.Suburban;

    /// <summary>Share of devices that are mappers (send their GPS position).</summary>
    public double MapperShare { get; init; } = 0.1;

    /// <summary>Share of hotspots that are Helium hotspots (gRPC packet router, own keys; a third of them P-256).</summary>
    public double HeliumShare { get; init; }

    /// <summary>Share of the MQTT hotspots whose bridge speaks JSON rather than protobuf.</summary>
    public double JsonShare { get; init; }

    /// <summary>Carrier radios (CBRS cells and Wi-Fi access points, alternating) placed uniformly over the city.</summary>
    public int CarrierRadios { get; init; }

    /// <summary>The carrier the radios belong to: 1–64 letters, digits, '-' or '_'.</summary>
    public string CarrierId { get; init; } = "sim-carrier";

    /// <summary>MQTT hotspots given a proof-of-coverage cheat (<see cref="CheatProfiles"/>).</summary>
    public int Cheaters { get; init; }
}

/// <summary>
/// Builds worlds: hotspots on H3 res-12 cell centres with a radial density that falls from the centre (the square-root
/// radius of a uniform disc, squared: r = R·u²), so the core is dense and the edge sparse; devices uniform over the disc.
/// </summary>
public static class WorldGenerator
{
    public static RadioWorldDefinition Generate(WorldOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(options.Seed);
        var hotspots = new List<WorldHotspot>(options.Hotspots);
        var used = new HashSet<ulong>();
        for (var i = 0; i < options.Hotspots; i++)
        {
            H3Index cell;
            do
            {
                var (lat, lng) = Offset(options, random, random.NextDouble() * random.NextDouble());
                cell = H3Grid.LatLngToCell(lat, lng, 12);
            }
            while (!used.Add(cell.Value));

            var centre = H3Grid.CellToLatLng(cell);
            var indoor = random.NextDouble() < 0.3;
            var gain = random.NextDouble() < 0.5 ? 2.15 : 5.8;
            var height = indoor ? 3 + (random.NextDouble() * 9) : 6 + (random.NextDouble() * 24);
            var gatewayId = (0x00A0_0000_0000_0000UL | (ulong)(uint)options.Seed << 24 | (uint)i).ToString("x16", CultureInfo.InvariantCulture);
            var transport = HotspotTransports.Mqtt;
            string? keyType = null;
            // Draws only when asked for, so that worlds made without these shares stay as they were for a seed.
            if (options.HeliumShare > 0 && random.NextDouble() < options.HeliumShare)
            {
                transport = HotspotTransports.HeliumGrpc;
                keyType = random.NextDouble() < 1.0 / 3 ? "p256" : "ed25519";
                gatewayId = HeliumGatewaySimulator.GatewayIdOf(HeliumKey(options.Seed, i, keyType).PublicKey).ToString();
            }
            else if (options.JsonShare > 0 && random.NextDouble() < options.JsonShare)
            {
                transport = HotspotTransports.MqttJson;
            }

            hotspots.Add(new WorldHotspot(gatewayId, centre.Lat, centre.Lng, gain, height, indoor, transport, keyType));
        }

        var devices = new List<WorldDevice>(options.Devices);
        for (var i = 0; i < options.Devices; i++)
        {
            var (lat, lng) = Offset(options, random, Math.Sqrt(random.NextDouble()));
            devices.Add(new WorldDevice(options.Seed * 100_000 + i, lat, lng, random.NextDouble() < options.MapperShare, Lorawan11: random.NextDouble() < 0.2));
        }

        // Carrier radios and cheats draw from their own generators, so adding them leaves a seed's hotspots and devices as they were.
        AssignCheats(options, hotspots);
        return new RadioWorldDefinition(options.Seed, options.CentreLatitude, options.CentreLongitude, options.RadiusKm, options.Environment, hotspots, devices)
        {
            CarrierRadios = CarrierRadios(options),
        };
    }

    /// <summary>The carrier radios of a world with these options: CBRS and Wi-Fi alternating, uniform over the city,
    /// CBRS cells with 20–200 subscribers and Wi-Fi access points with 5–60; reproducible from the seed.</summary>
    public static IReadOnlyList<WorldCarrierRadio> CarrierRadios(WorldOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsCarrierId(options.CarrierId))
        {
            throw new ArgumentException("A carrier id is 1–64 letters, digits, '-' or '_'.", nameof(options));
        }

        var random = new Random(unchecked((options.Seed * 31) + 0x0CA7));
        var radios = new List<WorldCarrierRadio>(options.CarrierRadios);
        for (var i = 0; i < options.CarrierRadios; i++)
        {
            var (lat, lng) = Offset(options, random, Math.Sqrt(random.NextDouble()));
            var cbrs = i % 2 == 0;
            var keyType = random.NextDouble() < 0.5 ? "p256" : "ed25519";
            var subscribers = cbrs ? random.Next(20, 201) : random.Next(5, 61);
            radios.Add(new WorldCarrierRadio(options.CarrierId, cbrs ? CarrierRadioKinds.Cbrs : CarrierRadioKinds.Wifi, lat, lng, keyType, subscribers));
        }

        return radios;
    }

    /// <summary>True for a usable carrier id: 1–64 letters, digits, '-' or '_'.</summary>
    public static bool IsCarrierId(string? carrierId) =>
        carrierId is { Length: > 0 and <= 64 } && carrierId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>
    /// Gives <see cref="WorldOptions.Cheaters"/> MQTT hotspots (the ones that witness by forwarding what they hear) a
    /// cheat, in cycles of five: a false location, a witness stuffer, a late replayer and a two-member self-witnessing
    /// cluster; a cluster left with one member (too few cheaters) asserts a false location instead. Cheaters whose radio
    /// is "far away" sit 200 km beyond the city edge, out of reach of the city's radios; false locations are asserted
    /// 150 km beyond it, farther than PoC's 100 km witness range from any city hotspot.
    /// </summary>
    private static void AssignCheats(WorldOptions options, List<WorldHotspot> hotspots)
    {
        if (options.Cheaters <= 0)
        {
            return;
        }

        var random = new Random(unchecked((options.Seed * 31) + 0x0C4E));
        var candidates = Enumerable.Range(0, hotspots.Count).Where(i => hotspots[i].Transport != HotspotTransports.HeliumGrpc).ToList();
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates));
        var chosen = candidates.Take(options.Cheaters).ToList();
        var clusterSites = new Dictionary<int, (double Lat, double Lng)>();
        for (var slot = 0; slot < chosen.Count; slot++)
        {
            var index = chosen[slot];
            var hotspot = hotspots[index];
            var group = (slot / 5) + 1;
            var profile = (slot % 5) switch
            {
                0 => CheatProfiles.FalseLocation,
                1 => CheatProfiles.WitnessStuffing,
                2 => CheatProfiles.LateReplay,
                3 when slot + 1 < chosen.Count => CheatProfiles.SelfWitnessingCluster,
                3 => CheatProfiles.FalseLocation,
                _ => CheatProfiles.SelfWitnessingCluster,
            };

            if (profile == CheatProfiles.FalseLocation)
            {
                var (lat, lng) = At(options.CentreLatitude, options.CentreLongitude, options.RadiusKm + 150, random.NextDouble() * 2 * Math.PI);
                hotspots[index] = hotspot with { Cheat = new WorldCheat(profile, lat, lng) };
                continue;
            }

            (double Lat, double Lng) radio;
            if (profile == CheatProfiles.SelfWitnessingCluster)
            {
                if (!clusterSites.TryGetValue(group, out var site))
                {
                    site = At(options.CentreLatitude, options.CentreLongitude, options.RadiusKm + 200, random.NextDouble() * 2 * Math.PI);
                    clusterSites[group] = site;
                }

                // Members stand a few metres apart: one roof, one rack.
                radio = At(site.Lat, site.Lng, 0.003 * (slot % 5 - 3), Math.PI / 2);
            }
            else
            {
                radio = At(options.CentreLatitude, options.CentreLongitude, options.RadiusKm + 200, random.NextDouble() * 2 * Math.PI);
            }

            hotspots[index] = hotspot with
            {
                Latitude = radio.Lat,
                Longitude = radio.Lng,
                Cheat = new WorldCheat(profile, hotspot.Latitude, hotspot.Longitude, profile == CheatProfiles.SelfWitnessingCluster ? group : 0),
            };
        }
    }

    /// <summary>The key of a world's carrier radio: like <see cref="HeliumKey"/>, from its own domain so that it never
    /// equals a hotspot's key.</summary>
    public static HeliumKeyPair CarrierRadioKey(int worldSeed, int radioIndex, string keyType) => DerivedKey("carrier-radio", worldSeed, radioIndex, keyType);

    /// <summary>The key a carrier's router signs session envelopes with (registered for the carrier).</summary>
    public static HeliumKeyPair CarrierRouterKey(int worldSeed, string carrierId) => DerivedKey("carrier-router/" + carrierId, worldSeed, 0, "ed25519");

    /// <summary>The key that pays a carrier's data credits.</summary>
    public static HeliumKeyPair CarrierPayerKey(int worldSeed, string carrierId) => DerivedKey("carrier-payer/" + carrierId, worldSeed, 0, "ed25519");

    private static HeliumKeyPair DerivedKey(string domain, int worldSeed, int index, string keyType) =>
        DerivedKey(System.Text.Encoding.UTF8.GetBytes("wirelessnet-sim/" + domain), worldSeed, index, keyType);

    // SHA-256 of (tag, seed, index, attempt): the first attempt whose entropy is a usable key (ecc_compact refuses some scalars).
    private static HeliumKeyPair DerivedKey(byte[] tag, int worldSeed, int index, string keyType)
    {
        var type = keyType == "p256" ? HeliumKeyType.EccCompact : HeliumKeyType.Ed25519;
        var input = new byte[tag.Length + 12];
        tag.CopyTo(input, 0);
        for (var attempt = 0; ; attempt++)
        {
            BinaryPrimitives.WriteInt32BigEndian(input.AsSpan(tag.Length), worldSeed);
            BinaryPrimitives.WriteInt32BigEndian(input.AsSpan(tag.Length + 4), index);
            BinaryPrimitives.WriteInt32BigEndian(input.AsSpan(tag.Length + 8), attempt);
            try
            {
                return HeliumKeyPair.FromEntropy(type, HeliumNetwork.MainNet, SHA256.HashData(input));
            }
            catch (ArgumentException) when (attempt < 100)
            {
            }
        }
    }

    /// <summary>The key of a world's Helium hotspot: from SHA-256 of (world seed, hotspot index, attempt), the first
    /// attempt whose entropy is a usable key (ecc_compact refuses some scalars).</summary>
    public static HeliumKeyPair HeliumKey(int worldSeed, int hotspotIndex, string keyType) => DerivedKey([], worldSeed, hotspotIndex, keyType);

    // A point at a fraction of the radius in a random direction (flat-earth offset: fine at city scale).
    private static (double Lat, double Lng) Offset(WorldOptions options, Random random, double radiusFraction)
    {
        var bearing = random.NextDouble() * 2 * Math.PI;
        var km = radiusFraction * options.RadiusKm;
        var lat = options.CentreLatitude + (km * Math.Cos(bearing) / 111.32);
        var lng = options.CentreLongitude + (km * Math.Sin(bearing) / (111.32 * Math.Cos(options.CentreLatitude * Math.PI / 180)));
        return (lat, lng);
    }

    // The same flat-earth offset at a given distance and bearing (a few hundred km: good to a few per cent, which is
    // all "far beyond the city" needs); latitude kept off the poles.
    private static (double Lat, double Lng) At(double latitude, double longitude, double km, double bearing)
    {
        var lat = Math.Clamp(latitude + (km * Math.Cos(bearing) / 111.32), -89, 89);
        var lng = longitude + (km * Math.Sin(bearing) / (111.32 * Math.Cos(latitude * Math.PI / 180)));
        return (lat, lng > 180 ? lng - 360 : lng < -180 ? lng + 360 : lng);
    }
}
