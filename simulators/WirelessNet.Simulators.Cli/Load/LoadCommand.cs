using System.CommandLine;
using System.Globalization;

namespace WirelessNet.Simulators.Cli.Load;

/// <summary>`load`: open-loop load against a running server, bounded in count and time, loopback only.</summary>
internal static class LoadCommand
{
    public static Command Create()
    {
        var transport = new Option<string>("--transport") { Description = "Gateway transport: mqtt (ChirpStack bridge, protobuf) or grpc (Helium packet router, signed); offload: carrier data sessions (the offload-load command with its defaults; --rate is then records/s).", DefaultValueFactory = _ => "mqtt" };
        var rate = new Option<int>("--rate") { Description = "Unique uplinks per second (each is heard by every gateway).", DefaultValueFactory = _ => 100 };
        var duration = new Option<string>("--duration") { Description = "How long to send: 30s, 2m, or hh:mm:ss.", DefaultValueFactory = _ => "30s" };
        var gateways = new Option<int>("--gateways") { Description = "Gateways hearing every uplink.", DefaultValueFactory = _ => 3 };
        var devices = new Option<int?>("--devices") { Description = "ABP devices (default: rate × 10, so that each device sends once every 10 s, as duty cycles allow)." };
        var server = new Option<string>("--server") { Description = "The server's HTTP address (management API).", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var mqtt = new Option<string>("--mqtt") { Description = "The MQTT broker the server and gateways use, host:port.", DefaultValueFactory = _ => "127.0.0.1:1883" };
        var adminKey = new Option<string?>("--admin-key") { Description = "The server's Api:AdminKey (default: environment variable WIRELESSNET_ADMIN_KEY)." };
        var window = new Option<int>("--dedup-window-ms") { Description = "The server's deduplication window, reported beside the latencies.", DefaultValueFactory = _ => 200 };
        var grpc = new Option<string>("--grpc") { Description = "grpc: the server's packet-router (HTTP/2) address.", DefaultValueFactory = _ => "http://127.0.0.1:8081" };
        var copies = new Option<int>("--copies") { Description = "grpc: hotspots hearing each uplink (each sends it signed); --gateways is then the fleet size (default: enough for 15 packets/s per hotspot).", DefaultValueFactory = _ => 3 };
        var keyType = new Option<string>("--key-type") { Description = "grpc: hotspot key type, ed25519 or p256 (ecc_compact).", DefaultValueFactory = _ => "ed25519" };
        var noSession = new Option<bool>("--no-session") { Description = "grpc: sign packets with the hotspot keys instead of ed25519 session keys." };
        var qos = new Option<int>("--qos") { Description = "mqtt: QoS of the gateways' uplink events, 0 (the ChirpStack Gateway Bridge's default) or 1 (the broker acknowledges each).", DefaultValueFactory = _ => 1 };
        var signLive = new Option<bool>("--sign-live") { Description = "grpc: sign while sending instead of before the timed phase (the generator then competes with the server for CPU)." };

        var command = new Command("load", "Provision devices and gateways through the API, then send uplinks at a fixed rate and measure what comes back as 'up' events.")
        {
            transport, rate, duration, gateways, devices, server, mqtt, adminKey, window, grpc, copies, keyType, noSession, signLive, qos,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var isGrpc = string.Equals(result.GetValue(transport), "grpc", StringComparison.OrdinalIgnoreCase);
            if (string.Equals(result.GetValue(transport), "offload", StringComparison.OrdinalIgnoreCase))
            {
                // The same run as `offload-load` (which has the options to shape it), at this command's rate and duration.
                string[] offloadArgs = ["--rate", result.GetValue(rate).ToString(CultureInfo.InvariantCulture), "--duration", result.GetValue(duration)!, "--server", result.GetValue(server)!];
                var offloadKey = result.GetValue(adminKey);
                return await Offload.OffloadLoadCommand.Create().Parse(offloadKey is null ? offloadArgs : [.. offloadArgs, "--admin-key", offloadKey]).InvokeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            if (!isGrpc && !string.Equals(result.GetValue(transport), "mqtt", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine("--transport must be mqtt, grpc or offload.");
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

            if (isGrpc)
            {
                var grpcUri = new Uri(result.GetValue(grpc)!);
                var perUplink = result.GetValue(copies);
                var type = result.GetValue(keyType)!.ToLowerInvariant() switch
                {
                    "ed25519" => (WirelessNet.Helium.Crypto.HeliumKeyType?)WirelessNet.Helium.Crypto.HeliumKeyType.Ed25519,
                    "p256" or "ecc_compact" => WirelessNet.Helium.Crypto.HeliumKeyType.EccCompact,
                    _ => null,
                };
                if (!IsLoopback(grpcUri.Host) || perUplink is < 1 or > 64 || type is null)
                {
                    Console.Error.WriteLine("--grpc must be a loopback address, --copies 1–64, --key-type ed25519 or p256.");
                    return 2;
                }

                // A hotspot hears a few frames a second; the router limits each to 25/s by default. Unless told, size
                // the fleet so that every hotspot carries 15/s.
                var fleet = result.GetResult(gateways) is { Implicit: false } ? result.GetValue(gateways) : (int)Math.Ceiling(perSecond * perUplink / 15.0);
                if (fleet < perUplink || fleet > 20_000)
                {
                    Console.Error.WriteLine("--gateways (the fleet) must be at least --copies and at most 20000.");
                    return 2;
                }

                var common = new LoadSettings(perSecond, span, fleet, result.GetValue(devices) ?? Math.Max(perSecond * 10, 10), serverUri, mqttParts[0], mqttPort, key, TimeSpan.FromMilliseconds(result.GetValue(window)));
                return await new GrpcLoadRun(new GrpcLoadSettings(common, grpcUri, perUplink, type.Value, !result.GetValue(noSession), !result.GetValue(signLive)))
                    .RunAsync(cancellationToken).ConfigureAwait(false);
            }

            if (result.GetValue(qos) is not (0 or 1))
            {
                Console.Error.WriteLine("--qos must be 0 or 1.");
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
                TimeSpan.FromMilliseconds(result.GetValue(window)))
            {
                UplinkQos = result.GetValue(qos),
            };
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

internal sealed record LoadSettings(int Rate, TimeSpan Duration, int Gateways, int Devices, Uri Server, string MqttHost, int MqttPort, string AdminKey, TimeSpan DeduplicationWindow)
{
    /// <summary>MQTT QoS of the simulated gateways' uplink events.</summary>
    public int UplinkQos { get; init; } = 1;
}
