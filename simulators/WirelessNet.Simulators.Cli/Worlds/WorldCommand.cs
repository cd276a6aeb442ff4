using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using WirelessNet.Simulators.Rf;
using WirelessNet.Simulators.World;

namespace WirelessNet.Simulators.Cli.Worlds;

/// <summary>`world new`: generate a reproducible city and save it as JSON.</summary>
internal static class WorldCommand
{
    public static Command Create()
    {
        var hotspots = new Option<int>("--hotspots") { Description = "Hotspots to place.", DefaultValueFactory = _ => 500 };
        var devices = new Option<int>("--devices") { Description = "Devices to place.", DefaultValueFactory = _ => 5000 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives the same world.", DefaultValueFactory = _ => 7 };
        var radius = new Option<double>("--radius-km") { Description = "City radius in km.", DefaultValueFactory = _ => 6 };
        var centre = new Option<string>("--centre") { Description = "City centre as lat,lng.", DefaultValueFactory = _ => "52.5200,13.4050" };
        var environment = new Option<PropagationEnvironment>("--environment") { Description = "Propagation environment.", DefaultValueFactory = _ => PropagationEnvironment.Urban };
        var heliumShare = new Option<double>("--helium-share") { Description = "Share of hotspots that are Helium hotspots (gRPC, own ed25519 or P-256 keys).", DefaultValueFactory = _ => 0.3 };
        var jsonShare = new Option<double>("--json-share") { Description = "Share of the MQTT hotspots whose bridge speaks JSON.", DefaultValueFactory = _ => 0.2 };
        var carrierRadios = new Option<int>("--carrier-radios") { Description = "Carrier radios (CBRS cells and Wi-Fi access points, alternating) with subscribers, driven by `run` when the server has offload on.", DefaultValueFactory = _ => 4 };
        var carrier = new Option<string>("--carrier") { Description = "The carrier the radios belong to (letters, digits, '-', '_').", DefaultValueFactory = _ => "sim-carrier" };
        var cheaters = new Option<int>("--cheaters") { Description = "MQTT hotspots that cheat at proof of coverage, in cycles of false location, witness stuffing, late replay and a two-member self-witnessing cluster.", DefaultValueFactory = _ => 0 };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the world (JSON).", Required = true };

        var create = new Command("new", "Generate a world: hotspots on H3 cells (dense core, sparse edge), devices, carrier radios and (optionally) PoC cheaters.")
        {
            hotspots, devices, seed, radius, centre, environment, heliumShare, jsonShare, carrierRadios, carrier, cheaters, output,
        };
        create.SetAction(result =>
        {
            var parts = result.GetValue(centre)!.Split(',');
            if (parts.Length != 2
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) || lat is < -85 or > 85
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lng) || lng is < -180 or > 180)
            {
                Console.Error.WriteLine("--centre must be lat,lng with |lat| ≤ 85 and |lng| ≤ 180.");
                return 2;
            }

            var hotspotCount = result.GetValue(hotspots);
            var deviceCount = result.GetValue(devices);
            var radiusKm = result.GetValue(radius);
            if (hotspotCount is < 1 or > 1_000_000 || deviceCount is < 0 or > 10_000_000 || radiusKm is <= 0 or > 500)
            {
                Console.Error.WriteLine("--hotspots 1–1000000, --devices 0–10000000, --radius-km (0, 500].");
                return 2;
            }

            var radioCount = result.GetValue(carrierRadios);
            var cheaterCount = result.GetValue(cheaters);
            var carrierId = result.GetValue(carrier)!;
            if (radioCount is < 0 or > 100_000 || cheaterCount < 0 || cheaterCount > hotspotCount || !WorldGenerator.IsCarrierId(carrierId))
            {
                Console.Error.WriteLine("--carrier-radios 0–100000, --cheaters 0–hotspots, --carrier 1–64 letters, digits, '-' or '_'.");
                return 2;
            }

            var world = WorldGenerator.Generate(new WorldOptions
            {
                Seed = result.GetValue(seed),
                Hotspots = hotspotCount,
                Devices = deviceCount,
                RadiusKm = radiusKm,
                CentreLatitude = lat,
                CentreLongitude = lng,
                Environment = result.GetValue(environment),
                HeliumShare = Math.Clamp(result.GetValue(heliumShare), 0, 1),
                JsonShare = Math.Clamp(result.GetValue(jsonShare), 0, 1),
                CarrierRadios = radioCount,
                CarrierId = carrierId,
                Cheaters = cheaterCount,
            });
            var file = result.GetValue(output)!;
            File.WriteAllText(file.FullName, world.ToJson());
            var cheating = world.Hotspots.Count(h => h.Cheat is not null);
            AnsiConsole.MarkupLine($"Wrote [bold]{world.Hotspots.Count}[/] hotspots ({cheating} cheating), [bold]{world.Devices.Count}[/] devices and [bold]{world.CarrierRadios.Count}[/] carrier radios of {Markup.Escape(carrierId)} to {Markup.Escape(file.FullName)}");
            if (cheating < cheaterCount)
            {
                AnsiConsole.MarkupLine($"[yellow]Only {cheating} of {cheaterCount} cheaters placed: cheats need MQTT hotspots (they witness by forwarding what they hear).[/]");
            }

            return 0;
        });

        var worldFile = new Option<FileInfo>("--world") { Description = "The world file.", Required = true };
        var bbox = new Command("bbox", "Print the world's bounding box as minLng,minLat,maxLng,maxLat (the coverage API's bbox).") { worldFile };
        bbox.SetAction(result =>
        {
            var file = result.GetValue(worldFile)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"No world file at {file.FullName}.");
                return 2;
            }

            RadioWorldDefinition world;
            try
            {
                world = RadioWorldDefinition.FromJson(File.ReadAllText(file.FullName));
            }
            catch (System.Text.Json.JsonException e)
            {
                Console.Error.WriteLine($"{file.Name} is not a world file: {e.Message}");
                return 2;
            }

            // The disc plus a 10 % margin, in the flat-earth approximation the generator uses at city scale.
            var dLat = world.RadiusKm * 1.1 / 111.32;
            var dLng = world.RadiusKm * 1.1 / (111.32 * Math.Cos(world.CentreLatitude * Math.PI / 180));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{Math.Max(-180, world.CentreLongitude - dLng):F5},{Math.Max(-90, world.CentreLatitude - dLat):F5},{Math.Min(180, world.CentreLongitude + dLng):F5},{Math.Min(90, world.CentreLatitude + dLat):F5}"));
            return 0;
        });

        return new Command("world", "Create and inspect simulated worlds.") { create, bbox };
    }
}
