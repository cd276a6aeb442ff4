using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Net.Client;
using MQTTnet;
using MQTTnet.Protocol;
using Spectre.Console;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Carriers;
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
    private CarrierFleetRun? _carriers;

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

            // The world's carrier radios run beside the LoRa fleet when the server has offload on.
            using var offloadHttp = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
            if (definition.CarrierRadios.Count > 0)
            {
                var carriers = new CarrierFleetRun(definition, new CarrierRunOptions { Duration = options.Duration, Seed = options.Seed });
                var offloadOn = await AnsiConsole.Status().StartAsync(
                    $"Configuring {carriers.Networks.Count} carrier(s) and registering {definition.CarrierRadios.Count:N0} carrier radios …",
                    _ => carriers.ProvisionAsync(offloadHttp, adminKey, cancellationToken)).ConfigureAwait(false);
                if (offloadOn)
                {
                    _carriers = carriers;
                }
                else
                {
                    AnsiConsole.MarkupLine($"[yellow]The server has carrier offload off (its offload API answers 404): the world's {definition.CarrierRadios.Count:N0} carrier radios stay silent; running LoRa only.[/]");
                }
            }

            using var channel = GrpcChannel.ForAddress(grpc);
            await AnsiConsole.Status().StartAsync($"Connecting {definition.Hotspots.Count:N0} hotspots (MQTT {mqttHost}:{mqttPort}, Helium gRPC {grpc}) …", async _ =>
            {
                await HotspotRadios.ConnectAsync(definition, mqttHost, mqttPort, channel, radios, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);

            var clock = Stopwatch.StartNew();
            var running = Task.WhenAll(run.RunAsync(radios, cancellationToken), _carriers?.RunAsync(offloadHttp, cancellationToken) ?? Task.CompletedTask);
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
            var carrierFinal = _carriers?.Statistics.Snapshot();
            return (definition.Devices.Count == 0 || final.Joins > 0) && (carrierFinal is null || carrierFinal.Accepted > 0) ? 0 : 1;
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
            // A cheater is provisioned where it claims to be, not where its radio is.
            var (latitude, longitude) = hotspot.AssertedLocation();
            existing += await api.TryCreateGatewayAsync(hotspot.GatewayId, Region, latitude, longitude, hotspot.AntennaGainDbi, hotspot.HeightMetres, cancellationToken, heliumAddress).ConfigureAwait(false) ? 0 : 1;
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
        if (definition.Hotspots.Any(h => h.Cheat is not null))
        {
            yield return ("cheating hotspots / witnesses they made up", $"{definition.Hotspots.Count(h => h.Cheat is not null):N0} / {s.CheatedWitnesses:N0}");
        }

        yield return ("transport errors", $"{s.Errors:N0}");
        if (_carriers?.Statistics.Snapshot() is { } c)
        {
            var cbrs = definition.CarrierRadios.Count(r => r.Kind == CarrierRadioKinds.Cbrs);
            yield return ("carrier radios (CBRS / Wi-Fi)", $"{cbrs:N0} / {definition.CarrierRadios.Count - cbrs:N0}");
            yield return ("session records sent / accepted", $"{c.SessionRecords:N0} / {c.Accepted:N0}");
            yield return ("session records rejected", c.Rejected == 0 ? "0" : $"{c.Rejected:N0} ({string.Join(", ", c.RejectionReasons.Select(r => $"{r.Key} {r.Value:N0}"))})");
            yield return ("session records retried (already accepted)", $"{c.Retried:N0} ({c.AlreadyAccepted:N0})");
            yield return ("heartbeats taken / rejected", $"{c.HeartbeatsCounted:N0} / {c.HeartbeatsRejected:N0}");
            yield return ("speed tests taken / rejected", $"{c.SpeedtestsAccepted:N0} / {c.SpeedtestsRejected:N0}");
            yield return ("carrier errors (records given up)", $"{c.Errors:N0} ({c.GivenUp:N0})");
        }
    }

    private Table Render(CityRunSnapshot s, TimeSpan elapsed, bool summary = false)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title(summary ? "[bold]Run summary[/]" : $"[bold]Running[/] {elapsed:mm\\:ss} of {options.Duration:hh\\:mm\\:ss}")
            .AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (name, value) in Measures(s))
        {
            var failing = (name == "transport errors" && s.Errors > 0) || (name.StartsWith("carrier errors", StringComparison.Ordinal) && value != "0 (0)")
                || (name == "session records rejected" && value != "0");
            table.AddRow(name, failing ? $"[red]{Markup.Escape(value)}[/]" : Markup.Escape(value));
        }

        return table;
    }
}
