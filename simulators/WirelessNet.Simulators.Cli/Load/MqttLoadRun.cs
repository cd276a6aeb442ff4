using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Spectre.Console;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Devices;
using WirelessNet.Simulators.Gateways;

namespace WirelessNet.Simulators.Cli.Load;

/// <summary>
/// One load run over the ChirpStack MQTT interface: provisions ABP devices and gateways through the API, sends
/// uplinks open-loop at the target rate (every uplink published by every gateway), and measures the time from the
/// first publish of an uplink to its 'up' event, and what never arrives.
/// </summary>
internal sealed class MqttLoadRun(LoadSettings settings)
{
    private const ulong Frequency = 868_100_000;
    private readonly ConcurrentDictionary<(ulong DevEui, uint FCnt), long> _sentAt = new();
    private readonly LatencyRecorder _latencies = new();
    private long _received;
    private long _duplicates;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        AnsiConsole.MarkupLine($"[bold]Provisioning[/] {settings.Devices} ABP devices and {settings.Gateways} gateways on {settings.Server} …");
        var (devices, gatewayIds, applicationId) = await ProvisionAsync(run, cancellationToken).ConfigureAwait(false);

        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            OnUpEvent(e.ApplicationMessage.Payload);
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(settings.MqttHost, settings.MqttPort).WithClientId("load-app-" + run).Build(), cancellationToken).ConfigureAwait(false);
        // QoS 0 towards the measuring client: its own acknowledgements must not be what limits the measurement.
        await subscriber.SubscribeAsync($"application/{applicationId}/device/+/event/up", MqttQualityOfServiceLevel.AtMostOnce, cancellationToken).ConfigureAwait(false);

        var gateways = new List<MqttGatewaySimulator>();
        foreach (var id in gatewayIds)
        {
            var gateway = new MqttGatewaySimulator(id, settings.MqttHost, settings.MqttPort)
            {
                AutoAcknowledge = true,
                EventQos = settings.UplinkQos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce,
            };
            await gateway.ConnectAsync(cancellationToken).ConfigureAwait(false);
            gateways.Add(gateway);
        }

        var total = (long)(settings.Rate * settings.Duration.TotalSeconds);
        AnsiConsole.MarkupLine($"[bold]Sending[/] {total:N0} uplinks at {settings.Rate:N0}/s ({settings.Rate * settings.Gateways:N0} gateway receptions/s) for {settings.Duration}, QoS {settings.UplinkQos} …");
        var clock = Stopwatch.StartNew();
        long sent = 0;
        var sendErrors = 0L;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var sending = progress.AddTask("uplinks sent", maxValue: total);
                var arriving = progress.AddTask("up events", maxValue: total);
                var inFlight = new List<Task>(1024);
                while (sent < total && !cancellationToken.IsCancellationRequested)
                {
                    // Open loop: send what the schedule says is due, whatever the server's pace.
                    var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * settings.Rate) + 1);
                    for (; sent < due; sent++)
                    {
                        var device = devices[(int)(sent % devices.Count)];
                        var frame = device.CreateDataUplink(BitConverter.GetBytes(sent), fPort: 7);
                        _sentAt[(device.DevEui.Value, device.FCntUp - 1)] = Stopwatch.GetTimestamp();
                        for (var g = 0; g < gateways.Count; g++)
                        {
                            inFlight.Add(gateways[g].PublishUplinkAsync(frame, Frequency, 7, -80 - (5 * g), 9f - g, cancellationToken));
                        }
                    }

                    if (inFlight.Count > 512)
                    {
                        sendErrors += await DrainAsync(inFlight).ConfigureAwait(false);
                    }

                    sending.Value = sent;
                    arriving.Value = Interlocked.Read(ref _received);
                    await Task.Delay(2, cancellationToken).ConfigureAwait(false);
                }

                sendErrors += await DrainAsync(inFlight).ConfigureAwait(false);
                sending.Value = sent;

                // Bounded wait for the stragglers: a server that falls behind still counts what it delivers late.
                var deadline = clock.Elapsed + TimeSpan.FromSeconds(60);
                while (Interlocked.Read(ref _received) < sent && clock.Elapsed < deadline)
                {
                    arriving.Value = Interlocked.Read(ref _received);
                    await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
                }

                arriving.Value = Interlocked.Read(ref _received);
            }).ConfigureAwait(false);

        var sendSeconds = Math.Min(clock.Elapsed.TotalSeconds, settings.Duration.TotalSeconds + 1);
        foreach (var gateway in gateways)
        {
            await gateway.DisposeAsync().ConfigureAwait(false);
        }

        var received = Interlocked.Read(ref _received);
        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("uplinks sent", sent.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("gateway receptions sent", (sent * settings.Gateways).ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("achieved receptions/s", (sent * settings.Gateways / sendSeconds).ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("up events", received.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("lost (no up event within 60 s)", (sent - received).ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("duplicate up events", Interlocked.Read(ref _duplicates).ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("publish errors", sendErrors.ToString("N0", CultureInfo.InvariantCulture));
        foreach (var p in new[] { 50.0, 90.0, 99.0, 100.0 })
        {
            var latency = _latencies.Percentile(p);
            var label = p == 100 ? "max" : $"p{p:0}";
            table.AddRow($"latency {label} (beyond the {settings.DeduplicationWindow.TotalMilliseconds:0} ms window)", $"{latency.TotalMilliseconds:0.0} ms ({(latency - settings.DeduplicationWindow).TotalMilliseconds:0.0} ms)");
        }

        AnsiConsole.Write(table);
        return sent == received && Interlocked.Read(ref _duplicates) == 0 ? 0 : 1;
    }

    private void OnUpEvent(System.Buffers.ReadOnlySequence<byte> payload)
    {
        var now = Stopwatch.GetTimestamp();
        using var json = JsonDocument.Parse(payload);
        var devEui = Eui64.Parse(json.RootElement.GetProperty("deviceInfo").GetProperty("devEui").GetString()!);
        var fCnt = json.RootElement.GetProperty("fCnt").GetUInt32();
        if (_sentAt.TryRemove((devEui.Value, fCnt), out var sentAt))
        {
            _latencies.Record(Stopwatch.GetElapsedTime(sentAt, now));
            Interlocked.Increment(ref _received);
        }
        else
        {
            Interlocked.Increment(ref _duplicates);
        }
    }

    private static async Task<long> DrainAsync(List<Task> tasks)
    {
        long errors = 0;
        foreach (var task in tasks)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
                errors++;
            }
        }

        tasks.Clear();
        return errors;
    }

    private async Task<(List<SimulatedDevice> Devices, List<Eui64> Gateways, string ApplicationId)> ProvisionAsync(string run, CancellationToken cancellationToken)
    {
        using var api = ManagementApiClient.Create(settings.Server, settings.AdminKey);
        await api.CreateTenantAsync("load-" + run, cancellationToken).ConfigureAwait(false);
        var applicationId = await api.CreateApplicationAsync("load-" + run, cancellationToken).ConfigureAwait(false);
        var profileId = await api.CreateAbpProfileAsync("abp-" + run, "eu868", cancellationToken).ConfigureAwait(false);
        var random = new Random(run.GetHashCode(StringComparison.Ordinal));
        var gateways = new List<Eui64>();
        for (var g = 0; g < settings.Gateways; g++)
        {
            var id = new Eui64((ulong)random.NextInt64(1, long.MaxValue));
            await api.CreateGatewayAsync(id.ToString(), "eu868", cancellationToken).ConfigureAwait(false);
            gateways.Add(id);
        }

        var devices = new List<SimulatedDevice>(settings.Devices);
        var netId = NetId.Parse("000000");
        var keys = new byte[32];
        var planned = new List<(SimulatedDevice Device, DevAddr DevAddr, AesKey NwkSKey, AesKey AppSKey)>(settings.Devices);
        for (var i = 0; i < settings.Devices; i++)
        {
            var device = new SimulatedDevice(random.Next());
            random.NextBytes(keys);
            var nwkSKey = new AesKey(keys.AsSpan(0, 16));
            var appSKey = new AesKey(keys.AsSpan(16, 16));
            var devAddr = DevAddr.FromNetId(netId, (uint)random.Next(1 << 25));
            device.ActivateAbp(devAddr, nwkSKey, appSKey);
            planned.Add((device, devAddr, nwkSKey, appSKey));
            devices.Add(device);
        }

        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("devices provisioned", maxValue: settings.Devices);

            // A few requests in flight: provisioning thousands of devices one by one would dominate short runs.
            await Parallel.ForEachAsync(planned, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (p, ct) =>
            {
                await api.CreateAbpDeviceAsync(p.Device.DevEui.ToString(), applicationId, profileId, p.DevAddr.ToString(), p.NwkSKey.ToHexString(), p.AppSKey.ToHexString(), ct).ConfigureAwait(false);
                task.Increment(1);
            }).ConfigureAwait(false);
        }).ConfigureAwait(false);

        return (devices, gateways, applicationId);
    }
}
