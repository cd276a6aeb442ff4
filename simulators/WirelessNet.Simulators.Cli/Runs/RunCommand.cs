using System.CommandLine;
using System.Globalization;
using WirelessNet.Simulators.Cli.Load;
using WirelessNet.Simulators.Fleets;
using WirelessNet.Simulators.World;

namespace WirelessNet.Simulators.Cli.Runs;

/// <summary>`run`: provision a world through the management API and run its fleets against the server.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var world = new Option<FileInfo>("--world") { Description = "The world to run (from `world new`).", Required = true };
        var duration = new Option<string>("--duration") { Description = "How long devices transmit: 60s, 10m, or hh:mm:ss (at most 24h).", DefaultValueFactory = _ => "60s" };
        var interval = new Option<string>("--uplink-interval") { Description = "Mean time between a device's uplinks.", DefaultValueFactory = _ => "20s" };
        var server = new Option<string>("--server") { Description = "The server's HTTP address (management API).", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var grpc = new Option<string>("--grpc") { Description = "The server's gRPC (HTTP/2) address, for the world's Helium hotspots.", DefaultValueFactory = _ => "http://127.0.0.1:8081" };
        var mqtt = new Option<string>("--mqtt") { Description = "The MQTT broker the server and gateways use, host:port.", DefaultValueFactory = _ => "127.0.0.1:1883" };
        var adminKey = new Option<string?>("--admin-key") { Description = "The server's Api:AdminKey (default: environment variable WIRELESSNET_ADMIN_KEY)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the run's randomness (the world has its own).", DefaultValueFactory = _ => 1 };
        var summary = new Option<FileInfo?>("--summary-file") { Description = "Also write the final summary to this file (plain text, one measure per line)." };

        var command = new Command("run", "Provision a world's hotspots and devices through the API, run them against the server, and show what happens. "
            + "When the server has carrier offload on, the world's carrier radios are configured too (carrier, router key, radios at their locations, rate card) and send heartbeats, speed tests and data-transfer sessions "
            + "(RADIUS interims included, unanswered batches retried); when it is off, the run says so and goes on with LoRa only. Cheating hotspots are provisioned at their asserted locations and cheat as their profile says.")
        {
            world, duration, interval, server, mqtt, grpc, adminKey, seed, summary,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var file = result.GetValue(world)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"No world file at {file.FullName}; create one with `wirelessnet-sim world new -o {file.Name}`.");
                return 2;
            }

            if (!LoadCommand.TryParseDuration(result.GetValue(duration)!, out var span) || span > TimeSpan.FromHours(24))
            {
                Console.Error.WriteLine("--duration must be between 1s and 24h, e.g. 10m.");
                return 2;
            }

            if (!LoadCommand.TryParseDuration(result.GetValue(interval)!, out var every) || every < TimeSpan.FromSeconds(1) || every > TimeSpan.FromHours(1))
            {
                Console.Error.WriteLine("--uplink-interval must be between 1s and 1h.");
                return 2;
            }

            var key = result.GetValue(adminKey) ?? Environment.GetEnvironmentVariable("WIRELESSNET_ADMIN_KEY");
            if (string.IsNullOrEmpty(key))
            {
                Console.Error.WriteLine("An admin key is needed to provision: --admin-key or WIRELESSNET_ADMIN_KEY (the server's Api:AdminKey).");
                return 2;
            }

            if (!Uri.TryCreate(result.GetValue(server), UriKind.Absolute, out var serverUri) || !Uri.TryCreate(result.GetValue(grpc), UriKind.Absolute, out var grpcUri)
                || !TryParseHostPort(result.GetValue(mqtt)!, out var mqttHost, out var mqttPort))
            {
                Console.Error.WriteLine("--server and --grpc must be absolute URLs and --mqtt host:port.");
                return 2;
            }

            if (!LoadCommand.IsLoopback(serverUri.Host) || !LoadCommand.IsLoopback(grpcUri.Host) || !LoadCommand.IsLoopback(mqttHost))
            {
                Console.Error.WriteLine("The simulator only targets loopback addresses (127.0.0.0/8, ::1, localhost).");
                return 2;
            }

            RadioWorldDefinition definition;
            try
            {
                definition = RadioWorldDefinition.FromJson(await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false));
            }
            catch (System.Text.Json.JsonException e)
            {
                Console.Error.WriteLine($"{file.Name} is not a world file: {e.Message}");
                return 2;
            }

            var options = new CityRunOptions { Duration = span, UplinkInterval = every, Seed = result.GetValue(seed) };
            return await new CityRunSession(definition, options, serverUri, mqttHost, mqttPort, grpcUri, key, result.GetValue(summary)).RunAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static bool TryParseHostPort(string text, out string host, out int port)
    {
        var colon = text.LastIndexOf(':');
        host = colon > 0 ? text[..colon] : string.Empty;
        port = 0;
        return colon > 0 && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536;
    }
}
