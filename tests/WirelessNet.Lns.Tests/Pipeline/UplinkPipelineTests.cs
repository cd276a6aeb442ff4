using System.Text;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Pipeline;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Devices;

namespace WirelessNet.Lns.Tests.Pipeline;

/// <summary>
/// The pipeline end to end over the in-memory store: a device joins, sends data heard by several gateways, gets
/// acknowledgements and queued downlinks, and replays and nonce reuse are refused.
/// </summary>
public sealed class UplinkPipelineTests
{
    private static readonly Eui64 GatewayA = Eui64.Parse("0000000000000a01");
    private static readonly Eui64 GatewayB = Eui64.Parse("0000000000000b02");
    private static readonly Eui64 GatewayC = Eui64.Parse("0000000000000c03");
    private const ulong Frequency = 868_300_000;

    [Theory]
    [InlineData(MacVersion.LoRaWan1_0_4)]
    [InlineData(MacVersion.LoRaWan1_1_0)]
    public async Task Otaa_join_then_data_uplink_heard_by_three_gateways_gives_one_event_with_three_receptions(MacVersion version)
    {
        await using var harness = new PipelineHarness();
        await harness.ProvisionGatewaysAsync(GatewayA, GatewayB, GatewayC);
        var device = new SimulatedDevice(1, lorawan11: version == MacVersion.LoRaWan1_1_0);
        await harness.ProvisionDeviceAsync(device, version);

        await JoinAsync(harness, device);

        // Data uplink, heard by three gateways; B hears it best.
        var uplink = device.CreateDataUplink(Encoding.ASCII.GetBytes("hello"), fPort: 10, txCh: 1);
        await harness.HearAsync(uplink, Frequency, (GatewayA, -110, -3f), (GatewayB, -80, 9.5f), (GatewayC, -100, 2f));
        var up = await harness.Events.NextUplinkAsync();
        Assert.Equal("hello", Encoding.ASCII.GetString(up.Data));
        Assert.Equal(10, up.FPort);
        Assert.Equal(0u, up.FCnt);
        Assert.Equal(3, up.Receptions.Count);
        Assert.Equal(device.DevAddr, up.DevAddr);
        Assert.Equal(5, up.DataRate);

        // Nothing to answer for an unconfirmed uplink without queue or MAC commands.
        await Task.Delay(200);
        Assert.False(harness.Downlinks.TryTake(out _));
        Assert.False(harness.Events.TryTakeUplink(out _));
    }

    [Fact]
    public async Task Confirmed_uplink_is_acknowledged_in_rx1_on_the_best_gateway_with_its_context()
    {
        await using var harness = new PipelineHarness();
        await harness.ProvisionGatewaysAsync(GatewayA, GatewayB);
        var device = new SimulatedDevice(2);
        await harness.ProvisionDeviceAsync(device);
        await JoinAsync(harness, device);

        var uplink = device.CreateDataUplink([1, 2, 3], confirmed: true, txCh: 1);
        await harness.HearAsync(uplink, Frequency, (GatewayA, -100, 1f), (GatewayB, -90, 7f));
        await harness.Events.NextUplinkAsync();

        var downlink = await harness.Downlinks.NextAsync();
        Assert.Equal(GatewayB, downlink.GatewayId);
        Assert.Equal(2, downlink.Items.Count);
        var rx1 = downlink.Items[0];
        Assert.Equal(Frequency, rx1.FrequencyHz);                 // EU868: RX1 on the uplink frequency
        Assert.Equal(new LoRaModulation(7, 125_000), rx1.Modulation); // DR5 with RX1DROffset 0
        Assert.Equal(new DownlinkTiming.Delay(TimeSpan.FromSeconds(1)), rx1.Timing);
        Assert.Equal(new byte[] { 1, 2, 3, (byte)GatewayB.Value }, rx1.Context);
        var rx2 = downlink.Items[1];
        Assert.Equal(869_525_000UL, rx2.FrequencyHz);
        Assert.Equal(new LoRaModulation(12, 125_000), rx2.Modulation);
        Assert.Equal(new DownlinkTiming.Delay(TimeSpan.FromSeconds(2)), rx2.Timing);

        var read = device.TryReceiveDownlink(rx1.PhyPayload, lastUplinkFCnt: 0);
        Assert.NotNull(read);
        Assert.True(read.Ack);
    }

    [Fact]
    public async Task Retransmitted_confirmed_uplink_is_acknowledged_again_but_not_delivered_twice()
    {
        await using var harness = new PipelineHarness();
        await harness.ProvisionGatewaysAsync(GatewayA);
        var device = new SimulatedDevice(7);
        await harness.ProvisionDeviceAsync(device);
        await JoinAsync(harness, device);

        var confirmed = device.CreateDataUplink([5], confirmed: true, txCh: 1);
        await harness.HearAsync(confirmed, Frequency, (GatewayA, -90, 5f));
        await harness.Events.NextUplinkAsync();
        var first = await harness.Downlinks.NextAsync();

        // The device missed that ACK and repeats the frame after its ACK timeout (past the deduplication set's life).
        await Task.Delay(TimeSpan.FromMilliseconds((100 * 10) + 1200));
        await harness.HearAsync(confirmed, Frequency, (GatewayA, -90, 5f));
        var second = await harness.Downlinks.NextAsync();
        var ack = device.TryReceiveDownlink(second.Items[0].PhyPayload, lastUplinkFCnt: 0);
        Assert.NotNull(ack);
        Assert.True(ack.Ack);
        Assert.NotEqual(first.DownlinkId, second.DownlinkId);
        await Task.Delay(300);
        Assert.False(harness.Events.TryTakeUplink(out _), "a retransmission is not a new uplink");
    }

    [Fact]
    public async Task Queued_downlink_is_consumed_only_by_an_ok_txack()
    {
        await using var harness = new PipelineHarness();
        await harness.ProvisionGatewaysAsync(GatewayA);
        var device = new SimulatedDevice(3);
        await harness.ProvisionDeviceAsync(device);
        await JoinAsync(harness, device);

        var item = new QueuedDownlink { Id = Guid.NewGuid(), DevEui = device.DevEui, FPort = 42, Data = [0xCA, 0xFE] };
        await harness.Store.EnqueueAsync(item, default);

        // First opportunity: the gateway reports TOO_LATE for both items -> the item stays, the counter stays.
        await harness.HearAsync(device.CreateDataUplink([0], txCh: 1), Frequency, (GatewayA, -90, 5f));
        await harness.Events.NextUplinkAsync();
        var first = await harness.Downlinks.NextAsync();

        // Never transmitted, so the device does not hear it; only its shape is checked here.
        Assert.Equal(FrameError.None, DataFrame.TryDecode(first.Items[0].PhyPayload, out var firstFrame));
        Assert.Equal(42, firstFrame.FPort);
        Assert.Equal(0, firstFrame.FCnt);
        await harness.Pipeline.OnTxAckAsync(new DownlinkTxAck(GatewayA, first.DownlinkId, [TxAckStatus.TooLate, TxAckStatus.TooLate]), default);
        Assert.NotNull(await harness.Store.PeekAsync(device.DevEui, default));

        // Second opportunity: sent again with the same counter, acknowledged OK -> consumed, counter advanced.
        await harness.HearAsync(device.CreateDataUplink([0], txCh: 1), Frequency, (GatewayA, -90, 5f));
        await harness.Events.NextUplinkAsync();
        var second = await harness.Downlinks.NextAsync();
        var received = device.TryReceiveDownlink(second.Items[0].PhyPayload);
        Assert.NotNull(received);
        Assert.Equal(0u, received.FCnt);
        Assert.Equal(new byte[] { 0xCA, 0xFE }, received.Payload);
        await harness.Pipeline.OnTxAckAsync(new DownlinkTxAck(GatewayA, second.DownlinkId, [TxAckStatus.Ok]), default);
        Assert.Null(await harness.Store.PeekAsync(device.DevEui, default));
        Assert.Single(harness.Events.TxAcks);
        var session = await harness.Store.GetActiveSessionAsync(device.DevEui, default);
        Assert.Equal(1u, session!.NFCntDown);

        // A repeated TxAck for the same downlink is not acted on twice.
        await harness.Pipeline.OnTxAckAsync(new DownlinkTxAck(GatewayA, second.DownlinkId, [TxAckStatus.Ok]), default);
        Assert.Equal(1u, (await harness.Store.GetActiveSessionAsync(device.DevEui, default))!.NFCntDown);
    }

    [Fact]
    public async Task Confirmed_downlink_is_reported_acknowledged_by_the_next_uplink()
    {
        await using var harness = new PipelineHarness();
        await harness.ProvisionGatewaysAsync(GatewayA);
        var device = new SimulatedDevice(6);
        await harness.ProvisionDeviceAsync(device);
        await JoinAsync(harness, device);

        var item = new QueuedDownlink { Id = Guid.NewGuid(), DevEui = device.DevEui, FPort = 3, Data = [1], Confirmed = true };
        await harness.Store.EnqueueAsync(item, default);
        await harness.HearAsync(device.CreateDataUplink([0], txCh: 1), Frequency, (GatewayA, -90, 5f));
        await harness.Events.NextUplinkAsync();
        var downlink = await harness.Downlinks.NextAsync();
        var received = device.TryReceiveDownlink(downlink.Items[0].PhyPayload);
        Assert.Equal(MType.ConfirmedDataDown, received!.MType);
        await harness.Pipeline.OnTxAckAsync(new DownlinkTxAck(GatewayA, downlink.DownlinkId, [TxAckStatus.Ok]), default);
        Assert.Empty(harness.Events.Acks);

        // The device's next uplink carries the ACK bit.
        await harness.HearAsync(device.CreateDataUplink([1], txCh: 1), Frequency, (GatewayA, -90, 5f));
        await harness.Events.NextUplinkAsync();
        var ack = Assert.Single(harness.Events.Acks);
        Assert.Equal(item.Id, ack.QueueItemId);
        Assert.True(ack.Acknowledged);
        Assert.Equal(0u, ack.FCntDown);
    }

    [Fact]
    public async Task Replayed_uplink_and_reused_devnonce_are_rejected()
    {
        await using var harness = new PipelineHarness(TimeSpan.FromMilliseconds(50));
        await harness.ProvisionGatewaysAsync(GatewayA);
        var device = new SimulatedDevice(4);
        await harness.ProvisionDeviceAsync(device);
        await JoinAsync(harness, device);

        var uplink = device.CreateDataUplink([7], txCh: 1);
        await harness.HearAsync(uplink, Frequency, (GatewayA, -90, 5f));
        await harness.Events.NextUplinkAsync();

        // The same frame again after the deduplication set has expired would be a replay.
        await Task.Delay(TimeSpan.FromMilliseconds(50 * 10 + 1100));
        await harness.HearAsync(uplink, Frequency, (GatewayA, -90, 5f));
        await Task.Delay(300);
        Assert.False(harness.Events.TryTakeUplink(out _));

        // Reusing the DevNonce of the join: refused, no Join-Accept.
        var again = device.CreateJoinRequest(device.DevNonce);
        await harness.HearAsync(again, Frequency, (GatewayA, -90, 5f));
        await Task.Delay(300);
        Assert.False(harness.Downlinks.TryTake(out _));
        Assert.Contains(harness.Events.Logs, l => l.Code == "DEV_NONCE");
    }

    [Fact]
    public async Task Unknown_gateways_are_dropped_and_bad_mics_rejected()
    {
        await using var harness = new PipelineHarness(TimeSpan.FromMilliseconds(50));
        await harness.ProvisionGatewaysAsync(GatewayA);
        var device = new SimulatedDevice(5);
        await harness.ProvisionDeviceAsync(device);
        await JoinAsync(harness, device);

        await harness.HearAsync(device.CreateDataUplink([1], txCh: 1), Frequency, (Eui64.Parse("ffffffffffffffff"), -90, 5f));
        var tampered = device.CreateDataUplink([2], txCh: 1);
        tampered[^1] ^= 0xFF;
        await harness.HearAsync(tampered, Frequency, (GatewayA, -90, 5f));
        await Task.Delay(300);
        Assert.False(harness.Events.TryTakeUplink(out _));
    }

    private static async Task JoinAsync(PipelineHarness harness, SimulatedDevice device)
    {
        var request = device.CreateJoinRequest();
        await harness.HearAsync(request, Frequency, (GatewayA, -100, 3f));
        var accept = await harness.Downlinks.NextAsync();
        Assert.Equal(2, accept.Items.Count);
        Assert.Equal(new DownlinkTiming.Delay(TimeSpan.FromSeconds(5)), accept.Items[0].Timing);
        Assert.Equal(new DownlinkTiming.Delay(TimeSpan.FromSeconds(6)), accept.Items[1].Timing);
        Assert.True(device.TryAcceptJoin(accept.Items[0].PhyPayload), "the device must verify the Join-Accept");
        Assert.True(device.DevAddr.IsFrom(NetId.Parse("000013")));
        await harness.Pipeline.OnTxAckAsync(new DownlinkTxAck(accept.GatewayId, accept.DownlinkId, [TxAckStatus.Ok]), default);
    }
}
