using System.Collections.Concurrent;
using System.Threading.Channels;
using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.ChirpStack.Gateway;
using WirelessNet.Simulators.Devices;
using WirelessNet.Simulators.Gateways;
using WirelessNet.Simulators.World;
using Xunit.Abstractions;

namespace WirelessNet.Lns.Tests.EndToEnd;

/// <summary>
/// The server (embedded broker, in-memory store) in a simulated city: 50 hotspots and 200 devices, radio physics
/// deciding which hotspots hear each transmission. Every device the RF model lets reach a hotspot joins, at least 99%
/// of receivable uplinks become 'up' events, and confirmed uplinks are acknowledged.
/// </summary>
public sealed class WholeSystemTests(ITestOutputHelper output)
{
    private const ulong Frequency = 868_100_000;
    private const double TxPowerDbm = 14;

    [Fact]
    public async Task A_simulated_city_joins_and_delivers()
    {
        var world = new RadioWorld(WorldGenerator.Generate(new WorldOptions { Seed = 7, Hotspots = 50, Devices = 200, RadiusKm = 6, Environment = WirelessNet.Simulators.Rf.PropagationEnvironment.Urban }));
        await using var server = await ServerUnderTest.StartAsync();
        var gatewayIds = world.Definition.Hotspots.Select(h => Eui64.Parse(h.GatewayId)).ToArray();
        var devices = world.Definition.Devices.Select(d => new SimulatedDevice(d.Seed, d.Lorawan11)).ToArray();
        var locations = world.Definition.Hotspots.ToDictionary(h => Eui64.Parse(h.GatewayId), h => new GeoLocation(h.Latitude, h.Longitude));
        await server.ProvisionAsync(gatewayIds, devices, locations);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var gateways = new List<MqttGatewaySimulator>();
        var downlinks = Channel.CreateUnbounded<DownlinkFrame>();
        try
        {
            foreach (var id in gatewayIds)
            {
                var gateway = new MqttGatewaySimulator(id, server.MqttHost, server.MqttPort);
                await gateway.ConnectAsync(cts.Token);
                gateways.Add(gateway);
                _ = Task.Run(async () =>
                {
                    await foreach (var frame in gateway.Downlinks.ReadAllAsync(cts.Token))
                    {
                        await downlinks.Writer.WriteAsync(frame, cts.Token);
                    }
                });
            }

            // Who hears whom is fixed by the RF model (static devices).
            var hearings = world.Definition.Devices
                .Select((d, i) => world.Hear(d.Latitude, d.Longitude, devices[i].DevEui.Value, TxPowerDbm, 7, Frequency))
                .ToArray();
            var reachable = Enumerable.Range(0, devices.Length).Where(i => hearings[i].Count > 0).ToArray();
            Assert.True(reachable.Length >= devices.Length * 0.5, $"the world is too sparse: {reachable.Length} of {devices.Length} devices reach a hotspot");

            // Joins, in batches: a Join-Accept is tried on every device of the batch (only its own verifies).
            var joined = 0;
            foreach (var batch in reachable.Chunk(25))
            {
                foreach (var i in batch)
                {
                    await HearAsync(gateways, hearings[i], devices[i].CreateJoinRequest(), cts.Token);
                }

                var pending = batch.ToList();
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (pending.Count > 0 && DateTime.UtcNow < deadline)
                {
                    using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    if (!await downlinks.Reader.WaitToReadAsync(wait.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default))
                    {
                        continue;
                    }

                    while (downlinks.Reader.TryRead(out var frame))
                    {
                        var payload = frame.Items[0].PhyPayload.ToByteArray();
                        var owner = pending.FirstOrDefault(i => devices[i].TryAcceptJoin(payload), -1);
                        if (owner >= 0)
                        {
                            pending.Remove(owner);
                            joined++;
                        }
                    }
                }
            }

            Assert.Equal(reachable.Length, joined);

            // Three rounds of uplinks; the second is confirmed. Rounds are spaced as a duty cycle would space them.
            var upEvents = 0;
            var expectedAcks = 0;
            var acks = new ConcurrentDictionary<Eui64, int>();
            var byDevAddr = reachable.GroupBy(i => devices[i].DevAddr).ToDictionary(g => g.Key, g => g.ToArray());
            for (var round = 0; round < 3; round++)
            {
                var confirmed = round == 1;
                foreach (var i in reachable)
                {
                    var frame = devices[i].CreateDataUplink([(byte)round, (byte)i], fPort: 10, confirmed: confirmed);
                    await HearAsync(gateways, hearings[i], frame, cts.Token);
                }

                expectedAcks += confirmed ? reachable.Length : 0;
                await Task.Delay(1500, cts.Token);
                while (downlinks.Reader.TryRead(out var frame))
                {
                    var payload = frame.Items[0].PhyPayload.ToByteArray();
                    if (DataFrame.TryDecode(payload, out var decoded) == FrameError.None && byDevAddr.TryGetValue(decoded.DevAddr, out var owners))
                    {
                        foreach (var i in owners)
                        {
                            if (devices[i].TryReceiveDownlink(payload, (ushort)(devices[i].FCntUp - 1)) is { Ack: true })
                            {
                                acks.AddOrUpdate(devices[i].DevEui, 1, (_, n) => n + 1);
                            }
                        }
                    }
                }
            }

            foreach (var i in reachable)
            {
                while (server.TryTakeEvent(devices[i].DevEui, "up", out _))
                {
                    upEvents++;
                }
            }

            var sent = reachable.Length * 3;
            output.WriteLine($"{world.Definition.Hotspots.Count} hotspots, {devices.Length} devices, {reachable.Length} reach a hotspot (mean {reachable.Average(i => hearings[i].Count):0.0} hotspots each); {joined} joined; {upEvents}/{sent} uplinks delivered; {acks.Values.Sum()}/{expectedAcks} confirmed uplinks acknowledged");
            Assert.True(upEvents >= sent * 0.99, $"{upEvents} up events for {sent} receivable uplinks");
            Assert.True(upEvents <= sent, $"{upEvents} up events for {sent} uplinks: duplicates");
            Assert.True(acks.Values.Sum() >= expectedAcks * 0.99, $"{acks.Values.Sum()} ACKs for {expectedAcks} confirmed uplinks");
        }
        finally
        {
            foreach (var gateway in gateways)
            {
                await gateway.DisposeAsync();
            }
        }
    }

    private static async Task HearAsync(List<MqttGatewaySimulator> gateways, IReadOnlyList<Hearing> hearings, byte[] frame, CancellationToken cancellationToken)
    {
        await Task.WhenAll(hearings.Select(h => gateways[h.HotspotIndex].PublishUplinkAsync(frame, Frequency, 7, (int)h.RssiDbm, (float)h.SnrDb, cancellationToken)));
    }
}
