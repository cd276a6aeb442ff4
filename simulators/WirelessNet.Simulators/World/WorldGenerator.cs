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

        return new RadioWorldDefinition(options.Seed, options.CentreLatitude, options.CentreLongitude, options.RadiusKm, options.Environment, hotspots, devices);
    }

    /// <summary>The key of a world's Helium hotspot: from SHA-256 of (world seed, hotspot index, attempt), the first
    /// attempt whose entropy is a usable key (ecc_compact refuses some scalars).</summary>
    public static HeliumKeyPair HeliumKey(int worldSeed, int hotspotIndex, string keyType)
    {
        var type = keyType == "p256" ? HeliumKeyType.EccCompact : HeliumKeyType.Ed25519;
        Span<byte> input = stackalloc byte[12];
        for (var attempt = 0; ; attempt++)
        {
            BinaryPrimitives.WriteInt32BigEndian(input, worldSeed);
            BinaryPrimitives.WriteInt32BigEndian(input[4..], hotspotIndex);
            BinaryPrimitives.WriteInt32BigEndian(input[8..], attempt);
            try
            {
                return HeliumKeyPair.FromEntropy(type, HeliumNetwork.MainNet, SHA256.HashData(input));
            }
            catch (ArgumentException) when (attempt < 100)
            {
            }
        }
    }

    // A point at a fraction of the radius in a random direction (flat-earth offset: fine at city scale).
    private static (double Lat, double Lng) Offset(WorldOptions options, Random random, double radiusFraction)
    {
        var bearing = random.NextDouble() * 2 * Math.PI;
        var km = radiusFraction * options.RadiusKm;
        var lat = options.CentreLatitude + (km * Math.Cos(bearing) / 111.32);
        var lng = options.CentreLongitude + (km * Math.Sin(bearing) / (111.32 * Math.Cos(options.CentreLatitude * Math.PI / 180)));
        return (lat, lng);
    }
}
