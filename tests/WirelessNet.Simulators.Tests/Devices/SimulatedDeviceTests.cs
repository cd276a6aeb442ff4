using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Devices;

namespace WirelessNet.Simulators.Tests.Devices;

public sealed class SimulatedDeviceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Joins_sends_and_receives_like_a_device(bool lorawan11)
    {
        var device = new SimulatedDevice(5, lorawan11);
        var request = device.CreateJoinRequest();
        Assert.Equal(FrameError.None, JoinRequestFrame.TryDecode(request, out var join));
        using var root = new ExpandedAesKey(lorawan11 ? device.NwkKey : device.AppKey);
        Assert.Equal(JoinCrypto.ComputeJoinRequestMic(root, join), join.Mic);
        Assert.Equal(device.DevNonce, join.DevNonce);

        // The network's side of the join, done by hand with the core.
        var netId = NetId.Parse("000013");
        var devAddr = DevAddr.FromNetId(netId, 77);
        var accept = new JoinAcceptFrame(9, netId, devAddr, DlSettings.Create(0, 0, optNeg: lorawan11), 1, null, default);
        SessionSecurity network;
        if (lorawan11)
        {
            using var jsInt = new ExpandedAesKey(SessionKeyDerivation.DeriveJSIntKey(device.NwkKey, device.DevEui));
            accept = accept.WithMic11(jsInt, JoinAcceptFrame.JoinReqTypeJoinRequest, device.JoinEui, join.DevNonce);
            network = SessionSecurity.ForLoRaWan11(SessionKeyDerivation.Derive11(device.NwkKey, device.AppKey, 9, device.JoinEui, join.DevNonce));
        }
        else
        {
            accept = accept.WithMic10(root);
            network = SessionSecurity.ForLoRaWan10(SessionKeyDerivation.Derive10(device.AppKey, 9, netId, join.DevNonce));
        }

        var plain = new byte[accept.Length];
        accept.WritePlaintext(plain);
        var onAir = new byte[plain.Length];
        JoinAcceptFrame.Encrypt(root, plain, onAir);
        Assert.False(new SimulatedDevice(6, lorawan11).TryAcceptJoin(onAir));
        Assert.True(device.TryAcceptJoin(onAir));
        Assert.Equal(devAddr, device.DevAddr);

        // Uplink verified by the network.
        var uplink = device.CreateDataUplink([1, 2, 3], confirmed: true, txDr: 5, txCh: 1);
        DataFrame.TryDecode(uplink, out var frame);
        Assert.True(network.VerifyMic(frame, 0, 0, 5, 1));

        // A confirmed downlink is received once, then acknowledged by the next uplink.
        var buffer = new byte[64];
        var n = network.EncodeDataFrame(buffer, MType.ConfirmedDataDown, devAddr, FCtrl.Create(ack: true), 0, [], 3, [9, 9], confFCnt: 0);
        var downlink = device.TryReceiveDownlink(buffer[..n], lastUplinkFCnt: 0);
        Assert.NotNull(downlink);
        Assert.Equal(new byte[] { 9, 9 }, downlink.Payload);
        Assert.True(downlink.Ack);
        Assert.Null(device.TryReceiveDownlink(new byte[] { 0x60, 1, 2, 3, 4, 0, 0, 0, 1, 2, 3, 4 }));

        var next = device.CreateDataUplink([4], txDr: 5, txCh: 1);
        DataFrame.TryDecode(next, out var ackFrame);
        Assert.True(ackFrame.FCtrl.Ack);
        Assert.Equal(1, ackFrame.FCnt);
        Assert.True(network.VerifyMic(ackFrame, 1, 0, 5, 1));
        network.Dispose();
    }
}
