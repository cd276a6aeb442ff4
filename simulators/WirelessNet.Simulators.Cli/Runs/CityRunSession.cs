using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Net.Client;
using MQTTnet;
using MQTTnet.Protocol;
using Spectre.Console;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Cli.Load;
using WirelessNet.Simulators.Fleets;
using WirelessNet.Simulators.Gateways;
using WirelessNet.Simulators.World;

namespace WirelessNet.Simulators.Cli.Runs;

/// <summary>One `run`: provisioning, the hotspots' connections, an application listener, live progress and the summary.</summary>
internal sealed class CityRunSession(RadioWorldDefinition definition, CityRunOptions options, Uri server, string mqttHost, int mqttPort, Uri grpc, string adminKey, FileInfo? summaryFile = null)
{
    private const string Region = "eu868";
    private readonly ConcurrentDictionary<string, long> _events = new(StringComparer.Ordinal);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var world = new RadioWorld(definition);
        var radios = new List<IHotspotRadio>(definition.Hotspots.Count);
        var run = new CityFleetRun(world, options);
        var runId = Guid.NewGuid().ToString("N")[..6];
        try
        {
            var applicationId = await AnsiConsole.Status().StartAsync(
                $"Provisioning {definition.Hotspots.Count:N0} hotspots and {definition.Devices.Count:N0} devices on {server} …",
                _ => ProvisionAsync(run, runId, cancellationToken)).ConfigureAwait(false);

            using var application = new MqttClientFactory().CreateMqttClient();
            application.ApplicationMessageReceivedAsync += e =>
            {
                var kind = e.ApplicationMessage.Topic[(e.ApplicationMessage.Topic.LastIndexOf('/') + 1)..];
                _events.AddOrUpdate(kind, 1, (_, n) => n + 1);
                return Task.CompletedTask;
            };
            await application.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mqttHost, mqttPort).WithClientId("sim-run-app-" + runId).Build(), cancellationToken).ConfigureAwait(false);
            await application.SubscribeAsync($"application/{applicationId}/device/+/event/+", MqttQualityOfServiceLevel.AtMostOnce, cancellationToken).ConfigureAwait(false);

            using var channel = GrpcChannel.ForAddress(grpc);
            await AnsiConsole.Status().StartAsync($"Connecting {definition.Hotspots.Count:N0} hotspots (MQTT {mqttHost}:{mqttPort}, Helium gRPC {grpc}) …", async _ =>
            {
                await HotspotRadios.ConnectAsync(definition, mqttHost, mqttPort, channel, radios, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);

            var clock = Stopwatch.StartNew();
            var running = run.RunAsync(radios, cancellationToken);
            await AnsiConsole.Live(Render(run.Statistics.Snapshot(), clock.Elapsed)).StartAsync(async live =>
            {
                while (!running.IsCompleted)
                {
                    await Task.WhenAny(running, Task.Delay(500, CancellationToken.None)).ConfigureAwait(false);
                    live.UpdateTarget(Render(run.Statistics.Snapshot(), clock.Elapsed));
                }
            }).ConfigureAwait(false);
            await running.ConfigureAwait(false);

            var final = run.Statistics.Snapshot();
            AnsiConsole.Write(Render(final, clock.Elapsed, summary: true));
            if (summaryFile is not null)
            {
                await File.WriteAllLinesAsync(summaryFile.FullName, Measures(final).Select(m => $"{m.Name}: {m.Value}"), cancellationToken).ConfigureAwait(false);
            }
            return final.Joins > 0 ? 0 : 1;
        }
        finally
        {
            foreach (var radio in radios)
            {
                await radio.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<string> ProvisionAsync(CityFleetRun run, string runId, CancellationToken cancellationToken)
    {
        using var api = ManagementApiClient.Create(server, adminKey);
        await api.CreateTenantAsync("sim-city-" + runId, cancellationToken).ConfigureAwait(false);
        var applicationId = await api.CreateApplicationAsync("sim-city-" + runId, cancellationToken).ConfigureAwait(false);
        var profile10 = await api.CreateOtaaProfileAsync("sim-1.0.4", Region, "1.0.4", cancellationToken).ConfigureAwait(false);
        var profile11 = await api.CreateOtaaProfileAsync("sim-1.1", Region, "1.1.0", cancellationToken).ConfigureAwait(false);
        // A world run again against the same server finds its hotspots and devices (EUIs are global): they are used as they are.
        var existing = 0;
        for (var i = 0; i < definition.Hotspots.Count; i++)
        {
            var hotspot = definition.Hotspots[i];
            var heliumAddress = hotspot.Transport == HotspotTransports.HeliumGrpc ? HotspotRadios.HeliumKey(definition, i).PublicKey.ToAddress() : null;
            existing += await api.TryCreateGatewayAsync(hotspot.GatewayId, Region, hotspot.Latitude, hotspot.Longitude, hotspot.AntennaGainDbi, hotspot.HeightMetres, cancellationToken, heliumAddress).ConfigureAwait(false) ? 0 : 1;
        }

        foreach (var device in run.Devices)
        {
            existing += await api.TryCreateOtaaDeviceAsync(
                device.DevEui.ToString(),
                applicationId,
                device.IsLoRaWan11 ? profile11 : profile10,
                device.JoinEui.ToString(),
                device.AppKey.ToHexString(),
                device.IsLoRaWan11 ? device.NwkKey.ToHexString() : null,
                cancellationToken).ConfigureAwait(false) ? 0 : 1;
        }

        if (existing > 0)
        {
            // Their events go to the application that first provisioned them.
            AnsiConsole.MarkupLine($"[yellow]{existing:N0} hotspots/devices of this world were provisioned by an earlier run and are used as they are; their application events go to that run's application.[/]");
        }

        return applicationId;
    }

    private IEnumerable<(string Name, string Value)> Measures(CityRunSnapshot s)
    {
        yield return ("hotspots / devices", $"{definition.Hotspots.Count:N0} / {definition.Devices.Count:N0}");
        yield return ("join requests / joined", $"{s.JoinRequests:N0} / {s.Joins:N0}");
        yield return ("uplinks sent (not heard by any hotspot)", $"{s.Uplinks:N0} ({s.UnheardUplinks:N0})");
        yield return ("gateway receptions forwarded", $"{s.Receptions:N0}");
        yield return ("up events at the application", $"{_events.GetValueOrDefault("up"):N0}");
        yield return ("join events at the application", $"{_events.GetValueOrDefault("join"):N0}");
        yield return ("downlinks accepted by devices", $"{s.Downlinks:N0}");
        yield return ("confirmed uplinks heard / ACKs", $"{s.ConfirmedUplinks:N0} / {s.Acks:N0}");
        yield return ("PoC beacons transmitted / witness receptions", $"{s.Beacons:N0} / {s.WitnessReceptions:N0}");
        yield return ("transport errors", $"{s.Errors:N0}");
    }

    private Table Render(CityRunSnapshot s, TimeSpan elapsed, bool summary = false)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title(summary ? "[bold]Run summary[/]" : $"[bold]Running[/] {elapsed:mm\\:ss} of {options.Duration:hh\\:mm\\:ss}")
            .AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (name, value) in Measures(s))
        {
            table.AddRow(name, name == "transport errors" && s.Errors > 0 ? $"[red]{value}[/]" : value);
        }

        return table;
    }
}
