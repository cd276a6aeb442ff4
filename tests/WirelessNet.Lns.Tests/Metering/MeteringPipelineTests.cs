using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Joins;
using WirelessNet.Lns.Metering;
using WirelessNet.Lns.Observability;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Tests.Pipeline;
using WirelessNet.Lns.Uplinks;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;
using WirelessNet.Simulators.Devices;

namespace WirelessNet.Lns.Tests.Metering;

/// <summary>
/// Metering through the whole pipeline: MaxCopies limits what is delivered, used for the downlink and charged, and each
/// purchased copy of a join or data uplink costs its data credits once.
/// </summary>
public sealed class MeteringPipelineTests
{
    private static readonly Eui64 GatewayA = Eui64.Parse("0000000000000a01");
    private static readonly Eui64 GatewayB = Eui64.Parse("0000000000000b02");
    private static readonly Eui64 GatewayC = Eui64.Parse("0000000000000c03");
    private const ulong Frequency = 868_300_000;

    [Fact]
    public async Task Max_copies_two_of_three_delivers_and_charges_the_two_strongest()
    {
        using var prometheus = new PrometheusMetrics();
        await using var harness = new MeteringHarness();
        await harness.ProvisionGatewaysAsync(GatewayA, GatewayB, GatewayC);
        var device = new SimulatedDevice(41);
        await harness.ProvisionDeviceAsync(device, maxCopies: 2);

        // Join heard by three gateways: two copies purchased, the Join-Accept goes to the best of them.
        var join = device.CreateJoinRequest();
        await harness.HearAsync(join, Frequency, (GatewayA, -100, 3f), (GatewayB, -90, 6f), (GatewayC, -120, -5f));
        var accept = await harness.Downlinks.NextAsync();
        Assert.Equal(GatewayB, accept.GatewayId);
        Assert.True(device.TryAcceptJoin(accept.Items[0].PhyPayload));
        await harness.Pipeline.OnTxAckAsync(new DownlinkTxAck(accept.GatewayId, accept.DownlinkId, [TxAckStatus.Ok]), default);

        // Data uplink heard by three; C is strongest now and A weakest, so A's copy is not purchased.
        var uplink = device.CreateDataUplink(Encoding.ASCII.GetBytes("metered"), fPort: 10, confirmed: true, txCh: 1);
        await harness.HearAsync(uplink, Frequency, (GatewayA, -115, -8f), (GatewayB, -95, 2f), (GatewayC, -80, 9f));
        var up = await harness.Events.NextUplinkAsync();
        Assert.Equal(2, up.Receptions.Count);
        Assert.DoesNotContain(up.Receptions, r => r.GatewayId == GatewayA);
        var ack = await harness.Downlinks.NextAsync();
        Assert.Equal(GatewayC, ack.GatewayId);

        // Join-Request 23 bytes: 1 DC per copy; data uplink 13 + 7 = 20 bytes: 1 DC per copy.
        var hours = await harness.Meter.GetTenantHoursAsync("t1", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), default);
        var total = (Copies: hours.Sum(h => h.Copies), Bytes: hours.Sum(h => h.Bytes), Dc: hours.Sum(h => h.DataCredits));
        Assert.Equal((4L, (2L * join.Length) + (2L * uplink.Length), 2L * DataCredits.ForPayload(join.Length) + (2L * DataCredits.ForPayload(uplink.Length))), total);

        var reports = await harness.Meter.GetRecentReportsAsync(100, default);
        Assert.Equal(4, reports.Count);
        Assert.Equal(2, reports.Count(r => r.Type == packet_router_packet_report_v1.Types.packet_type.Join));
        Assert.Equal(2, reports.Count(r => r.Type == packet_router_packet_report_v1.Types.packet_type.Uplink));
        Assert.All(reports, r => Assert.Equal(0x13u, r.NetId));
        Assert.All(reports, r => Assert.False(r.Free));

        var now = DateTimeOffset.UtcNow;
        var perGateway = new[] { GatewayA, GatewayB, GatewayC }
            .Select(g => harness.Meter.GetGatewayCopiesAsync(g, now, default).AsTask().Result + harness.Meter.GetGatewayCopiesAsync(g, now.AddHours(-1), default).AsTask().Result)
            .ToArray();
        Assert.Equal([1L, 2L, 1L], perGateway);

        // Exported at /metrics (other tests add to the same series, so only their presence is checked).
        var text = prometheus.Render();
        Assert.Contains("wirelessnet_dc_charged_total{tenant=\"t1\"}", text, StringComparison.Ordinal);
        Assert.Contains("wirelessnet_copies_purchased_total{tenant=\"t1\"}", text, StringComparison.Ordinal);
        Assert.Contains("wirelessnet_copies_over_max_total", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_copies_zero_purchases_every_copy_and_a_larger_payload_costs_more()
    {
        await using var harness = new MeteringHarness();
        await harness.ProvisionGatewaysAsync(GatewayA, GatewayB, GatewayC);
        var device = new SimulatedDevice(42);
        await harness.ProvisionDeviceAsync(device, maxCopies: 0);
        var join = device.CreateJoinRequest();
        await harness.HearAsync(join, Frequency, (GatewayA, -100, 3f));
        var accept = await harness.Downlinks.NextAsync();
        Assert.True(device.TryAcceptJoin(accept.Items[0].PhyPayload));

        // 13 bytes of header and MIC + 40 bytes of payload = 53 bytes: 3 DC per copy.
        var uplink = device.CreateDataUplink(new byte[40], fPort: 3, txCh: 1);
        await harness.HearAsync(uplink, Frequency, (GatewayA, -115, -8f), (GatewayB, -95, 2f), (GatewayC, -80, 9f));
        var up = await harness.Events.NextUplinkAsync();
        Assert.Equal(3, up.Receptions.Count);

        var hours = await harness.Meter.GetTenantHoursAsync("t1", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), default);
        Assert.Equal(1 + 3, hours.Sum(h => h.Copies));
        Assert.Equal(DataCredits.ForPayload(join.Length) + (3 * 3), hours.Sum(h => h.DataCredits));
    }

    [Fact]
    public async Task Rejected_frames_are_not_charged()
    {
        await using var harness = new MeteringHarness(TimeSpan.FromMilliseconds(50));
        await harness.ProvisionGatewaysAsync(GatewayA);
        var device = new SimulatedDevice(43);
        await harness.ProvisionDeviceAsync(device, maxCopies: 0);

        // A Join-Request whose MIC does not verify is not purchased.
        var forged = device.CreateJoinRequest();
        forged[^1] ^= 0xFF;
        await harness.HearAsync(forged, Frequency, (GatewayA, -90, 5f));
        await Task.Delay(300);

        Assert.Empty(await harness.Meter.GetTenantHoursAsync("t1", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), default));
        Assert.Empty(await harness.Meter.GetRecentReportsAsync(10, default));
    }
}

/// <summary>
/// <see cref="PipelineHarness"/> with metering wired in and a profile <c>MaxCopies</c> of the test's choice (a
/// separate helper so the shared harness stays as it is).
/// </summary>
internal sealed class MeteringHarness : IAsyncDisposable
{
    public MeteringHarness(TimeSpan? deduplicationWindow = null)
    {
        var options = Options.Create(new NetworkServerOptions
        {
            NetId = "000013",
            DeduplicationWindow = deduplicationWindow ?? TimeSpan.FromMilliseconds(100),
        });
        var time = TimeProvider.System;
        var metrics = new PipelineMetrics();
        var dispatcher = new DownlinkDispatcher(() => Downlinks, Store, metrics, options);
        var metering = new PacketMetering(Meter, new MeteringMetrics(), options, Options.Create(new MeteringOptions()), time, NullLogger<PacketMetering>.Instance);
        var provisioning = new ProvisioningCache(Store, options, time);
        Pipeline = new UplinkPipeline(
            provisioning,
            new UplinkDeduplicator(Store, options, metrics, time, NullLogger<UplinkDeduplicator>.Instance),
            new JoinServer(Store, Store, Store, dispatcher, Events, metrics, options, time, NullLogger<JoinServer>.Instance, metering),
            new DataUplinkProcessor(provisioning, Store, Store, new SessionSecurityCache(), dispatcher, Events, options, time, NullLogger<DataUplinkProcessor>.Instance, metering),
            new TxAckHandler(Store, Store, Store, Events, metrics, time, NullLogger<TxAckHandler>.Instance),
            new GatewayStatusBoard(),
            metrics,
            time,
            NullLogger<UplinkPipeline>.Instance);
    }

    public InMemoryStore Store { get; } = new();

    public InMemoryPacketMeter Meter { get; } = new();

    public RecordingDownlinkSender Downlinks { get; } = new();

    public RecordingDeviceEvents Events { get; } = new();

    public UplinkPipeline Pipeline { get; }

    public async Task ProvisionGatewaysAsync(params Eui64[] gateways)
    {
        foreach (var g in gateways)
        {
            await Store.PutGatewayAsync(new Gateway { GatewayId = g, TenantId = "t1", Region = "eu868" }, default);
        }
    }

    public async Task ProvisionDeviceAsync(SimulatedDevice device, int maxCopies)
    {
        await Store.PutProfileAsync(new DeviceProfile { Id = "p-metered", TenantId = "t1", Region = "eu868", MaxCopies = maxCopies }, default);
        await Store.PutDeviceAsync(
            new Device
            {
                DevEui = device.DevEui,
                TenantId = "t1",
                ApplicationId = "app1",
                ProfileId = "p-metered",
                Name = "sensor",
                JoinEui = device.JoinEui,
                AppKey = device.AppKey,
            },
            default);
    }

    /// <summary>Sends one frame as heard by each gateway, in the order given.</summary>
    public Task HearAsync(byte[] phyPayload, ulong frequencyHz, params (Eui64 Gateway, int Rssi, float Snr)[] hearings) =>
        PipelineReceptions.HearAsync(Pipeline, phyPayload, frequencyHz, hearings);

    public ValueTask DisposeAsync() => Pipeline.DisposeAsync();
}
