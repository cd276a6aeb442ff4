using System.CommandLine;
using System.Globalization;

namespace WirelessNet.Simulators.Cli.Load;

/// <summary>`load`: open-loop load against a running server, bounded in count and time, loopback only.</summary>
internal static class LoadCommand
{
    public static Command Create()
    {
        var transport = new Option<string>("--transport") { Description = "Gateway transport: mqtt (ChirpStack bridge, protobuf).", DefaultValueFactory = _ => "mqtt" };
        var rate = new Option<int>("--rate") { Description = "Unique uplinks per second (each is heard by every gateway).", DefaultValueFactory = _ => 100 };
        var duration = new Option<string>("--duration") { Description = "How long to send: 30s, 2m, or hh:mm:ss.", DefaultValueFactory = _ => "30s" };
        var gateways = new Option<int>("--gateways") { Description = "Gateways hearing every uplink.", DefaultValueFactory = _ => 3 };
        var devices = new Option<int?>("--devices") { Description = "ABP devices (default: rate × 10, so that each device sends once every 10 s, as duty cycles allow)." };
        var server = new Option<string>("--server") { Description = "The server's HTTP address (management API).", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var mqtt = new Option<string>("--mqtt") { Description = "The MQTT broker the server and gateways use, host:port.", DefaultValueFactory = _ => "127.0.0.1:1883" };
        var adminKey = new Option<string?>("--admin-key") { Description = "The server's Api:AdminKey (default: environment variable WIRELESSNET_ADMIN_KEY)." };
        var window = new Option<int>("--dedup-window-ms") { Description = "The server's deduplication window, reported beside the latencies.", DefaultValueFactory = _ => 200 };

        var command = new Command("load", "Provision devices and gateways through the API, then send uplinks at a fixed rate and measure what comes back as 'up' events.")
        {
            transport, rate, duration, gateways, devices, server, mqtt, adminKey, window,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!string.Equals(result.GetValue(transport), "mqtt", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine("Only --transport mqtt is implemented so far.");
                return 2;
            }

            if (!TryParseDuration(result.GetValue(duration)!, out var span) || span <= TimeSpan.Zero || span > TimeSpan.FromHours(1))
            {
                Console.Error.WriteLine("--duration must be between 1s and 1h, e.g. 60s.");
                return 2;
            }

            var key = result.GetValue(adminKey) ?? Environment.GetEnvironmentVariable("WIRELESSNET_ADMIN_KEY");
            if (string.IsNullOrEmpty(key))
            {
                Console.Error.WriteLine("An admin key is needed to provision: --admin-key or WIRELESSNET_ADMIN_KEY (the server's Api:AdminKey).");
                return 2;
            }

            var serverUri = new Uri(result.GetValue(server)!);
            var mqttParts = result.GetValue(mqtt)!.Split(':');
            if (mqttParts.Length != 2 || !int.TryParse(mqttParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var mqttPort))
            {
                Console.Error.WriteLine("--mqtt must be host:port.");
                return 2;
            }

            if (!IsLoopback(serverUri.Host) || !IsLoopback(mqttParts[0]))
            {
                Console.Error.WriteLine("The load generator only targets loopback addresses (127.0.0.0/8, ::1, localhost).");
                return 2;
            }

            var perSecond = result.GetValue(rate);
            if (perSecond is < 1 or > 100_000)
            {
                Console.Error.WriteLine("--rate must be 1–100000.");
                return 2;
            }

            var settings = new LoadSettings(
                perSecond,
                span,
                Math.Clamp(result.GetValue(gateways), 1, 64),
                result.GetValue(devices) ?? Math.Max(perSecond * 10, 10),
                serverUri,
                mqttParts[0],
                mqttPort,
                key,
                TimeSpan.FromMilliseconds(result.GetValue(window)));
            return await new MqttLoadRun(settings).RunAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    internal static bool IsLoopback(string host) =>
        host is "localhost" or "::1" or "[::1]" || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));

    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        text = text.Trim();
        if (text.Length > 1 && char.IsLetter(text[^1]) && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            duration = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(value),
                'm' => TimeSpan.FromMinutes(value),
                'h' => TimeSpan.FromHours(value),
                _ => TimeSpan.Zero,
            };
            return duration > TimeSpan.Zero;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }
}

internal sealed record LoadSettings(int Rate, TimeSpan Duration, int Gateways, int Devices, Uri Server, string MqttHost, int MqttPort, string AdminKey, TimeSpan DeduplicationWindow);
