using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using WirelessNet.LoRaWan.Counters;
using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Cli;

/// <summary>
/// `demo`: a device and a network server, both played by the protocol core, go through an OTAA join (LoRaWAN 1.0.4)
/// and exchange a confirmed uplink and its acknowledgement, printing every frame as it would travel over the air.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var seed = new Option<int?>("--seed") { Description = "Seed for keys and nonces (random when omitted)." };
        var command = new Command("demo", "Walk through an OTAA join and a confirmed uplink, device and network side.") { seed };
        command.SetAction(result => Run(result.GetValue(seed)));
        return command;
    }

    private static int Run(int? seed)
    {
        var random = seed is { } s ? new Random(s) : new Random(RandomNumberGenerator.GetInt32(int.MaxValue));
        byte[] Bytes(int n)
        {
            var b = new byte[n];
            random.NextBytes(b);
            return b;
        }

        var appKey = new AesKey(Bytes(16));
        var devEui = new Eui64(BitConverter.ToUInt64(Bytes(8)));
        var joinEui = Eui64.Parse("70b3d57ed0000000");
        var netId = NetId.Parse("000013");
        Console.WriteLine($"Device   DevEUI {devEui}, JoinEUI {joinEui}, AppKey {appKey.ToHexString()}");

        // Device: Join-Request.
        var devNonce = (ushort)random.Next(65536);
        using var deviceAppKey = new ExpandedAesKey(appKey);
        var request = new JoinRequestFrame(joinEui, devEui, devNonce, default);
        request = request with { Mic = JoinCrypto.ComputeJoinRequestMic(deviceAppKey, request) };
        var wire = new byte[PhyPayload.MaxLength];
        var n = request.Write(wire);
        Console.WriteLine($"uplink   Join-Request  {Convert.ToHexStringLower(wire.AsSpan(0, n))}");

        // Network: verify, allocate a DevAddr, answer with a Join-Accept.
        JoinRequestFrame.TryDecode(wire.AsSpan(0, n), out var received);
        using var serverAppKey = new ExpandedAesKey(appKey);
        if (JoinCrypto.ComputeJoinRequestMic(serverAppKey, received) != received.Mic)
        {
            Console.Error.WriteLine("network: Join-Request MIC mismatch");
            return 1;
        }

        var devAddr = DevAddr.FromNetId(netId, (uint)random.Next(1 << 25));
        var joinNonce = (uint)random.Next(1 << 24);
        var accept = new JoinAcceptFrame(joinNonce, netId, devAddr, DlSettings.Create(0, 0), 1, CFList.FromFrequencies([867_100_000, 867_300_000, 867_500_000, 867_700_000, 867_900_000]), default)
            .WithMic10(serverAppKey);
        var plain = new byte[accept.Length];
        accept.WritePlaintext(plain);
        var onAir = new byte[plain.Length];
        JoinAcceptFrame.Encrypt(serverAppKey, plain, onAir);
        Console.WriteLine($"downlink Join-Accept   {Convert.ToHexStringLower(onAir)} (DevAddr {devAddr})");
        var networkKeys = SessionKeyDerivation.Derive10(appKey, joinNonce, netId, received.DevNonce);

        // Device: decrypt the Join-Accept, check its MIC, derive the same keys.
        var decrypted = new byte[onAir.Length];
        JoinAcceptFrame.Decrypt(deviceAppKey, onAir, decrypted);
        JoinAcceptFrame.TryDecodePlaintext(decrypted, out var deviceView);
        if (deviceView.WithMic10(deviceAppKey).Mic != deviceView.Mic)
        {
            Console.Error.WriteLine("device: Join-Accept MIC mismatch");
            return 1;
        }

        var deviceKeys = SessionKeyDerivation.Derive10(appKey, deviceView.JoinNonce, deviceView.NetId, devNonce);
        Console.WriteLine($"         both sides derived the same session keys: {deviceKeys == networkKeys}");

        // Device: a confirmed uplink on FPort 10.
        using var device = SessionSecurity.ForLoRaWan10(deviceKeys);
        using var network = SessionSecurity.ForLoRaWan10(networkKeys);
        var message = Encoding.UTF8.GetBytes("temp=21.5C");
        n = device.EncodeDataFrame(wire, MType.ConfirmedDataUp, deviceView.DevAddr, FCtrl.Create(adr: true), 0, [], 10, message);
        Console.WriteLine($"uplink   ConfirmedUp   {Convert.ToHexStringLower(wire.AsSpan(0, n))}");

        // Network: decode, counter, MIC, decrypt.
        DataFrame.TryDecode(wire.AsSpan(0, n), out var frame);
        var fCnt = FrameCounter.Reconstruct(null, frame.FCnt);
        var micOk = network.VerifyMic(frame, fCnt.FCnt);
        var payload = new byte[frame.FrmPayload.Length];
        network.DecryptFrmPayload(frame, fCnt.FCnt, payload);
        Console.WriteLine($"network  FCnt {fCnt.FCnt} ({fCnt.Status}), MIC {(micOk ? "ok" : "FAILED")}, FPort {frame.FPort}, payload \"{Encoding.UTF8.GetString(payload)}\"");

        // Network: ACK in RX1.
        var ack = new byte[DataFrame.MinLength];
        n = network.EncodeDataFrame(ack, MType.UnconfirmedDataDown, frame.DevAddr, FCtrl.Create(ack: true), 0, [], DataFrame.NoPort, []);
        Console.WriteLine($"downlink ACK           {Convert.ToHexStringLower(ack.AsSpan(0, n))}");
        DataFrame.TryDecode(ack.AsSpan(0, n), out var ackFrame);
        var ackOk = device.VerifyMic(ackFrame, 0) && ackFrame.FCtrl.Ack;
        Console.WriteLine($"device   ACK received and verified: {ackOk}");
        return micOk && ackOk ? 0 : 1;
    }
}
