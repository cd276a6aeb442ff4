using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Net.Client;
using MQTTnet;
using MQTTnet.Protocol;
using Spectre.Console;
using WirelessNet.Helium.Crypto;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PacketRouter;
using WirelessNet.Simulators.Devices;
using WirelessNet.Simulators.Gateways;

namespace WirelessNet.Simulators.Cli.Load;

/// <summary>Settings of a run over the Helium packet router.</summary>
/// <param name="Copies">Hotspots hearing each uplink (each a signed reception).</param>
/// <param name="Presign">Make every signed packet before the timed phase (the generator's own signing then costs the server nothing).</param>
internal sealed record GrpcLoadSettings(LoadSettings Common, Uri PacketRouter, int Copies, HeliumKeyType KeyType, bool Session, bool Presign);

/// <summary>
/// One load run over the Helium packet router: a fleet of hotspots (each its own key, route stream and session),
/// provisioned through the API with ABP devices; every uplink is heard by <c>Copies</c> hotspots, each sending it
/// signed with its session key. Measures signed receptions/s offered and accepted, the time from the first copy's
/// send to the 'up' event, and what never arrives.
/// </summary>
internal sealed class GrpcLoadRun(GrpcLoadSettings settings)
{
    private const uint Frequency = 868_100_000;
    private readonly LoadSettings _common = settings.Common;
    private readonly ConcurrentDictionary<(ulong DevEui, uint FCnt), long> _sentAt = new();
    private readonly LatencyRecorder _latencies = new();
    private long _received;
    private long _duplicates;
    private double _sendSeconds = 1;
    private (double Accepted, double Rejected) _atEndOfSending;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        AnsiConsole.MarkupLine($"[bold]Generating[/] {_common.Gateways} {settings.KeyType} hotspot keys …");
        var keys = new HeliumKeyPair[_common.Gateways];
        Parallel.For(0, keys.Length, i => keys[i] = HeliumKeyPair.Generate(settings.KeyType, HeliumNetwork.MainNet));

        using var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan };
        using var channel = GrpcChannel.ForAddress(settings.PacketRouter, new GrpcChannelOptions { HttpHandler = handler, MaxReceiveMessageSize = 1 << 20 });
        var hotspots = keys.Select(k => new HeliumGatewaySimulator(k, channel, region.Eu868, outboxCapacity: 4096)).ToArray();
        try
        {
            AnsiConsole.MarkupLine($"[bold]Provisioning[/] {_common.Devices} ABP devices and {hotspots.Length} hotspots on {_common.Server} …");
            var (devices, applicationId) = await ProvisionAsync(run, hotspots, cancellationToken).ConfigureAwait(false);

            using var subscriber = new MqttClientFactory().CreateMqttClient();
            subscriber.ApplicationMessageReceivedAsync += e =>
            {
                OnUpEvent(e.ApplicationMessage.Payload);
                return Task.CompletedTask;
            };
            await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_common.MqttHost, _common.MqttPort).WithClientId("load-app-" + run).Build(), cancellationToken).ConfigureAwait(false);
            await subscriber.SubscribeAsync($"application/{applicationId}/device/+/event/up", MqttQualityOfServiceLevel.AtMostOnce, cancellationToken).ConfigureAwait(false);

            AnsiConsole.MarkupLine($"[bold]Connecting[/] {hotspots.Length} route streams (session keys: {settings.Session}) to {settings.PacketRouter} …");
            await Parallel.ForEachAsync(hotspots, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (h, ct) =>
                await h.ConnectAsync(settings.Session, packetAckInterval: 0, ct).ConfigureAwait(false)).ConfigureAwait(false);

            // Streams that are registered but not yet live would have their first packets checked too early.
            await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
            var before = await ScrapeAsync(cancellationToken).ConfigureAwait(false);

            var total = (long)(_common.Rate * _common.Duration.TotalSeconds);
            var plan = new Planned[total];
            var clockBase = hotspots[0].ConcentratorMicros;
            var signing = Stopwatch.StartNew();
            await AnsiConsole.Status().StartAsync(settings.Presign ? "signing every packet before the timed phase …" : "framing uplinks …", _ =>
            {
                // Frames in order (each device's counter advances), signatures in parallel.
                for (long i = 0; i < total; i++)
                {
                    var device = devices[(int)(i % devices.Count)];
                    plan[i] = new Planned(device.DevEui.Value, device.FCntUp, ByteString.CopyFrom(device.CreateDataUplink(BitConverter.GetBytes(i), fPort: 7)), null);
                }

                if (settings.Presign)
                {
                    Parallel.For(0, total, i => plan[i] = plan[i] with { Packets = Sign(hotspots, plan[i], i, clockBase) });
                }

                return Task.CompletedTask;
            }).ConfigureAwait(false);
            if (settings.Presign)
            {
                AnsiConsole.MarkupLine($"signed {total * settings.Copies:N0} packets in {signing.Elapsed.TotalSeconds:0.0} s ({total * settings.Copies / signing.Elapsed.TotalSeconds:N0}/s on this machine)");
            }

            AnsiConsole.MarkupLine($"[bold]Sending[/] {total:N0} uplinks at {_common.Rate:N0}/s × {settings.Copies} hotspots = {_common.Rate * settings.Copies:N0} signed receptions/s for {_common.Duration} …");
            var clock = Stopwatch.StartNew();
            long sent = 0;
            long waited = 0;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    var sending = progress.AddTask("uplinks sent", maxValue: total);
                    var arriving = progress.AddTask("up events", maxValue: total);
                    while (sent < total && !cancellationToken.IsCancellationRequested)
                    {
                        // Open loop: send what the schedule says is due, whatever the server's pace.
                        var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * _common.Rate) + 1);
                        for (; sent < due; sent++)
                        {
                            var p = plan[sent];
                            var packets = p.Packets ?? Sign(hotspots, p, sent, clockBase);
                            _sentAt[(p.DevEui, p.FCnt)] = Stopwatch.GetTimestamp();
                            for (var c = 0; c < packets.Length; c++)
                            {
                                var hotspot = hotspots[HotspotOf(sent, c, hotspots.Length)];
                                if (!hotspot.TrySend(packets[c]))
                                {
                                    // The stream's flow control is holding it back: the open loop becomes closed here.
                                    waited++;
                                    await hotspot.SendAsync(packets[c], cancellationToken).ConfigureAwait(false);
                                }
                            }

                            plan[sent] = default;
                        }

                        sending.Value = sent;
                        arriving.Value = Interlocked.Read(ref _received);
                        await Task.Delay(2, cancellationToken).ConfigureAwait(false);
                    }

                    sending.Value = sent;
                    var sendSecondsSoFar = clock.Elapsed;

                    // What the door had taken in when sending stopped: whether ingest kept pace with the offer.
                    _atEndOfSending = await ScrapeAsync(CancellationToken.None).ConfigureAwait(false);

                    // Bounded wait for the stragglers: a server that falls behind still counts what it delivers late.
                    var deadline = clock.Elapsed + TimeSpan.FromSeconds(60);
                    while (Interlocked.Read(ref _received) < sent && clock.Elapsed < deadline)
                    {
                        arriving.Value = Interlocked.Read(ref _received);
                        await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
                    }

                    arriving.Value = Interlocked.Read(ref _received);
                    _sendSeconds = sendSecondsSoFar.TotalSeconds;
                }).ConfigureAwait(false);

            var after = await ScrapeAsync(CancellationToken.None).ConfigureAwait(false);
            var received = Interlocked.Read(ref _received);
            var accepted = after.Accepted - before.Accepted;
            var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("uplinks sent", sent.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("signed receptions sent", (sent * settings.Copies).ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("achieved signed receptions/s", (sent * settings.Copies / _sendSeconds).ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("receptions accepted by the server", accepted.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("… of which accepted while sending", (_atEndOfSending.Accepted - before.Accepted).ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("receptions rejected (any reason)", (after.Rejected - before.Rejected).ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("sends that waited on stream flow control", waited.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("up events", received.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("lost (no up event within 60 s)", (sent - received).ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("duplicate up events", Interlocked.Read(ref _duplicates).ToString("N0", CultureInfo.InvariantCulture));
            foreach (var p in new[] { 50.0, 90.0, 99.0, 100.0 })
            {
                var latency = _latencies.Percentile(p);
                var label = p == 100 ? "max" : $"p{p:0}";
                table.AddRow($"latency {label} (beyond the {_common.DeduplicationWindow.TotalMilliseconds:0} ms window)", $"{latency.TotalMilliseconds:0.0} ms ({(latency - _common.DeduplicationWindow).TotalMilliseconds:0.0} ms)");
            }

            AnsiConsole.Write(table);
            return sent == received && Interlocked.Read(ref _duplicates) == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var hotspot in hotspots)
            {
                await hotspot.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var key in keys)
            {
                key?.Dispose();
            }
        }
    }

    /// <summary>The c-th hotspot hearing uplink i: consecutive hotspots, so each carries rate × copies / fleet packets/s.</summary>
    private static int HotspotOf(long uplink, int copy, int fleet) => (int)(((uplink * 7919) + copy) % fleet);

    private packet_router_packet_up_v1[] Sign(HeliumGatewaySimulator[] hotspots, Planned planned, long index, uint clockBase)
    {
        var packets = new packet_router_packet_up_v1[settings.Copies];

        // The hotspot's µs clock at the uplink's scheduled time (the clocks of the fleet start together).
        var timestamp = unchecked(clockBase + (uint)(index * 1_000_000 / _common.Rate));
        for (var c = 0; c < packets.Length; c++)
        {
            packets[c] = hotspots[HotspotOf(index, c, hotspots.Length)].CreateUplink(planned.Payload, Frequency, data_rate.Sf7Bw125, -80 - (5 * c), 9f - c, timestamp);
        }

        return packets;
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

    /// <summary>The server's Helium counters (accepted, rejected over all reasons) from /metrics.</summary>
    private async Task<(double Accepted, double Rejected)> ScrapeAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = _common.Server, Timeout = TimeSpan.FromSeconds(10) };
        string text;
        try
        {
            text = await http.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            AnsiConsole.MarkupLine($"[yellow]could not read the server's /metrics: {Markup.Escape(e.Message)}[/]");
            return (double.NaN, double.NaN);
        }

        double accepted = 0, rejected = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("wirelessnet_helium_packets_accepted_total", StringComparison.Ordinal))
            {
                accepted += Value(line);
            }
            else if (line.StartsWith("wirelessnet_helium_packets_rejected_total", StringComparison.Ordinal))
            {
                rejected += Value(line);
            }
        }

        return (accepted, rejected);

        static double Value(string line) => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    private async Task<(List<SimulatedDevice> Devices, string ApplicationId)> ProvisionAsync(string run, HeliumGatewaySimulator[] hotspots, CancellationToken cancellationToken)
    {
        using var api = ManagementApiClient.Create(_common.Server, _common.AdminKey);
        await api.CreateTenantAsync("load-" + run, cancellationToken).ConfigureAwait(false);
        var applicationId = await api.CreateApplicationAsync("load-" + run, cancellationToken).ConfigureAwait(false);
        var profileId = await api.CreateAbpProfileAsync("abp-" + run, "eu868", cancellationToken).ConfigureAwait(false);
        var random = new Random(run.GetHashCode(StringComparison.Ordinal));
        var netId = NetId.Parse("000000");
        var keys = new byte[32];
        var planned = new List<(SimulatedDevice Device, DevAddr DevAddr, AesKey NwkSKey, AesKey AppSKey)>(_common.Devices);
        // Consecutive seeds from a random start: distinct seeds give distinct DevEUIs (random seeds would collide
        // within tens of thousands of devices, and the API refuses a DevEUI twice).
        var firstSeed = random.Next(int.MaxValue - _common.Devices);
        for (var i = 0; i < _common.Devices; i++)
        {
            var device = new SimulatedDevice(firstSeed + i);
            random.NextBytes(keys);
            var nwkSKey = new AesKey(keys.AsSpan(0, 16));
            var appSKey = new AesKey(keys.AsSpan(16, 16));
            var devAddr = DevAddr.FromNetId(netId, (uint)random.Next(1 << 25));
            device.ActivateAbp(devAddr, nwkSKey, appSKey);
            planned.Add((device, devAddr, nwkSKey, appSKey));
        }

        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var gatewayTask = progress.AddTask("hotspots provisioned", maxValue: hotspots.Length);
            await Parallel.ForEachAsync(hotspots, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (h, ct) =>
            {
                await api.CreateGatewayAsync(h.GatewayId.ToString(), "eu868", ct).ConfigureAwait(false);
                gatewayTask.Increment(1);
            }).ConfigureAwait(false);

            var deviceTask = progress.AddTask("devices provisioned", maxValue: planned.Count);
            await Parallel.ForEachAsync(planned, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (p, ct) =>
            {
                await api.CreateAbpDeviceAsync(p.Device.DevEui.ToString(), applicationId, profileId, p.DevAddr.ToString(), p.NwkSKey.ToHexString(), p.AppSKey.ToHexString(), ct).ConfigureAwait(false);
                deviceTask.Increment(1);
            }).ConfigureAwait(false);
        }).ConfigureAwait(false);

        return ([.. planned.Select(p => p.Device)], applicationId);
    }

    /// <summary>One uplink of the plan: its frame, and (pre-signed) the packet of each hotspot hearing it.</summary>
    private readonly record struct Planned(ulong DevEui, uint FCnt, ByteString Payload, packet_router_packet_up_v1[]? Packets);
}
