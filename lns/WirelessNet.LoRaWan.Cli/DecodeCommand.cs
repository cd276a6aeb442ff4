using System.CommandLine;
using WirelessNet.LoRaWan.Counters;
using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.MacCommands;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Cli;

/// <summary>`decode`: prints the fields of a PHYPayload and, given keys, checks its MIC and decrypts it.</summary>
internal static class DecodeCommand
{
    public static Command Create()
    {
        var payload = new Argument<string>("phy-payload") { Description = "The PHYPayload in hex or base64." };
        var nwkSKey = new Option<string?>("--nwkskey") { Description = "LoRaWAN 1.0 NwkSKey (32 hex digits)." };
        var appSKey = new Option<string?>("--appskey") { Description = "AppSKey (32 hex digits)." };
        var fNwkSIntKey = new Option<string?>("--fnwksintkey") { Description = "LoRaWAN 1.1 FNwkSIntKey." };
        var sNwkSIntKey = new Option<string?>("--snwksintkey") { Description = "LoRaWAN 1.1 SNwkSIntKey." };
        var nwkSEncKey = new Option<string?>("--nwksenckey") { Description = "LoRaWAN 1.1 NwkSEncKey." };
        var appKey = new Option<string?>("--appkey") { Description = "AppKey (1.0) or NwkKey (1.1) for Join-Request MICs and Join-Accept decryption." };
        var lastFCnt = new Option<uint?>("--last-fcnt") { Description = "Last accepted 32-bit frame counter, to reconstruct the full counter (default: the 16 bits on the wire)." };

        var command = new Command("decode", "Decode a PHYPayload; with keys, verify its MIC and decrypt it.")
        {
            payload, nwkSKey, appSKey, fNwkSIntKey, sNwkSIntKey, nwkSEncKey, appKey, lastFCnt,
        };
        command.SetAction(result =>
        {
            if (!InputBytes.TryParse(result.GetValue(payload)!, out var bytes, out var inputError))
            {
                Console.Error.WriteLine(inputError);
                return 2;
            }

            try
            {
                return Decode(
                    bytes,
                    Key(result.GetValue(nwkSKey), "--nwkskey"),
                    Key(result.GetValue(appSKey), "--appskey"),
                    Key(result.GetValue(fNwkSIntKey), "--fnwksintkey"),
                    Key(result.GetValue(sNwkSIntKey), "--snwksintkey"),
                    Key(result.GetValue(nwkSEncKey), "--nwksenckey"),
                    Key(result.GetValue(appKey), "--appkey"),
                    result.GetValue(lastFCnt));
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }

    private static AesKey? Key(string? text, string option) =>
        text is null ? null : AesKey.TryParse(text, out var key) ? key : throw new FormatException($"{option}: an AES-128 key is 32 hex digits.");

    private static int Decode(byte[] bytes, AesKey? nwkSKey, AesKey? appSKey, AesKey? fNwkSIntKey, AesKey? sNwkSIntKey, AesKey? nwkSEncKey, AesKey? appKey, uint? lastFCnt)
    {
        var error = PhyPayload.TryReadMhdr(bytes, out var mhdr);
        if (error != FrameError.None)
        {
            Console.Error.WriteLine($"rejected: {error.Describe()}");
            return 1;
        }

        Console.WriteLine($"MType        {mhdr.MType}");
        switch (mhdr.MType)
        {
            case MType.JoinRequest:
                return DecodeJoinRequest(bytes, appKey);
            case MType.JoinAccept:
                return DecodeJoinAccept(bytes, appKey);
            case MType.RejoinRequest:
                error = RejoinRequestFrame.TryDecode(bytes, out var rejoin);
                if (error != FrameError.None)
                {
                    Console.Error.WriteLine($"rejected: {error.Describe()}");
                    return 1;
                }

                Console.WriteLine($"RejoinType   {rejoin.RejoinType}");
                Console.WriteLine(rejoin.RejoinType == 1 ? $"JoinEUI      {rejoin.JoinEui}" : $"NetID        {rejoin.NetId}");
                Console.WriteLine($"DevEUI       {rejoin.DevEui}");
                Console.WriteLine($"RJcount      {rejoin.RJCount}");
                Console.WriteLine($"MIC          {rejoin.Mic}");
                return 0;
            case MType.Proprietary:
                ProprietaryFrame.TryDecode(bytes, out var proprietary);
                Console.WriteLine($"Payload      {Convert.ToHexStringLower(proprietary.Payload)}");
                return 0;
            default:
                SessionSecurity? session = null;
                if (nwkSKey is { } n)
                {
                    session = SessionSecurity.ForLoRaWan10(n, appSKey ?? default);
                }
                else if (fNwkSIntKey is { } f && sNwkSIntKey is { } s && nwkSEncKey is { } e)
                {
                    session = SessionSecurity.ForLoRaWan11(f, s, e, appSKey ?? default);
                }

                using (session)
                {
                    return DecodeData(bytes, session, appSKey is not null, lastFCnt);
                }
        }
    }

    private static int DecodeData(byte[] bytes, SessionSecurity? session, bool haveAppSKey, uint? lastFCnt)
    {
        var error = DataFrame.TryDecode(bytes, out var frame);
        if (error != FrameError.None)
        {
            Console.Error.WriteLine($"rejected: {error.Describe()}");
            return 1;
        }

        var fCtrl = frame.FCtrl;
        Console.WriteLine($"Direction    {(frame.IsUplink ? "uplink" : "downlink")}{(frame.IsConfirmed ? ", confirmed" : string.Empty)}");
        Console.WriteLine($"DevAddr      {frame.DevAddr} (NetID type {frame.DevAddr.NetIdType}, NwkID {frame.DevAddr.NwkId:x})");
        Console.WriteLine($"FCtrl        ADR={fCtrl.Adr} ACK={fCtrl.Ack} {(frame.IsUplink ? $"ADRACKReq={fCtrl.AdrAckReq} ClassB={fCtrl.ClassB}" : $"FPending={fCtrl.FPending}")} FOptsLen={fCtrl.FOptsLength}");
        var fCnt = lastFCnt is null ? frame.FCnt : FrameCounter.Reconstruct(lastFCnt, frame.FCnt).FCnt;
        Console.WriteLine($"FCnt         {frame.FCnt} (32-bit {fCnt})");
        Console.WriteLine($"FOpts        {Convert.ToHexStringLower(frame.FOpts)}");
        Console.WriteLine($"FPort        {(frame.HasPort ? frame.FPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")}");
        Console.WriteLine($"FRMPayload   {Convert.ToHexStringLower(frame.FrmPayload)}");
        Console.WriteLine($"MIC          {frame.Mic}");
        if (session is null)
        {
            return 0;
        }

        var micOk = session.VerifyMic(frame, fCnt);
        Console.WriteLine($"MIC check    {(micOk ? "ok" : "FAILED")}");
        var plain = new byte[Math.Max(frame.FrmPayload.Length, 15)];
        if (frame.FOpts.Length > 0)
        {
            var n = session.DecryptFOpts(frame, fCnt, plain);
            if (session.IsLoRaWan11)
            {
                Console.WriteLine($"FOpts plain  {Convert.ToHexStringLower(plain.AsSpan(0, n))}");
            }

            PrintMacCommands(plain.AsSpan(0, n), frame.IsUplink);
        }

        if (frame.FrmPayload.Length > 0 && (frame.FPort == 0 || haveAppSKey))
        {
            var n = session.DecryptFrmPayload(frame, fCnt, plain);
            Console.WriteLine($"Plaintext    {Convert.ToHexStringLower(plain.AsSpan(0, n))}");
            if (frame.FPort == 0)
            {
                PrintMacCommands(plain.AsSpan(0, n), frame.IsUplink);
            }
        }

        return micOk ? 0 : 1;
    }

    private static void PrintMacCommands(ReadOnlySpan<byte> commands, bool uplink)
    {
        var reader = new MacCommandReader(commands, uplink);
        while (reader.TryRead(out var command))
        {
            Console.WriteLine($"MAC command  {command}");
        }

        if (reader.Status != MacCommandParseStatus.Completed)
        {
            Console.WriteLine($"MAC commands {reader.Describe()}");
        }
    }

    private static int DecodeJoinRequest(byte[] bytes, AesKey? appKey)
    {
        var error = JoinRequestFrame.TryDecode(bytes, out var join);
        if (error != FrameError.None)
        {
            Console.Error.WriteLine($"rejected: {error.Describe()}");
            return 1;
        }

        Console.WriteLine($"JoinEUI      {join.JoinEui}");
        Console.WriteLine($"DevEUI       {join.DevEui}");
        Console.WriteLine($"DevNonce     {join.DevNonce}");
        Console.WriteLine($"MIC          {join.Mic}");
        if (appKey is { } key)
        {
            using var expanded = new ExpandedAesKey(key);
            var ok = JoinCrypto.ComputeJoinRequestMic(expanded, join) == join.Mic;
            Console.WriteLine($"MIC check    {(ok ? "ok" : "FAILED")}");
            return ok ? 0 : 1;
        }

        return 0;
    }

    private static int DecodeJoinAccept(byte[] bytes, AesKey? appKey)
    {
        if (appKey is not { } key)
        {
            Console.WriteLine($"Encrypted    {Convert.ToHexStringLower(bytes.AsSpan(1))} (give --appkey to decrypt)");
            return 0;
        }

        if (bytes.Length is not (JoinAcceptFrame.LengthWithoutCFList or JoinAcceptFrame.LengthWithCFList))
        {
            Console.Error.WriteLine($"rejected: {FrameError.JoinAcceptLength.Describe()}");
            return 1;
        }

        using var expanded = new ExpandedAesKey(key);
        var plain = new byte[bytes.Length];
        JoinAcceptFrame.Decrypt(expanded, bytes, plain);
        JoinAcceptFrame.TryDecodePlaintext(plain, out var accept);
        Console.WriteLine($"JoinNonce    {accept.JoinNonce}");
        Console.WriteLine($"NetID        {accept.NetId}");
        Console.WriteLine($"DevAddr      {accept.DevAddr}");
        Console.WriteLine($"DLSettings   OptNeg={accept.DlSettings.OptNeg} RX1DROffset={accept.DlSettings.Rx1DrOffset} RX2DR={accept.DlSettings.Rx2DataRate}");
        Console.WriteLine($"RxDelay      {accept.Rx1DelaySeconds} s");
        Console.WriteLine($"CFList       {(accept.CFList is { } cf ? $"type {cf.Type}" : "none")}");
        Console.WriteLine($"MIC          {accept.Mic}");
        if (!accept.DlSettings.OptNeg)
        {
            var ok = accept.WithMic10(expanded).Mic == accept.Mic;
            Console.WriteLine($"MIC check    {(ok ? "ok" : "FAILED")}");
            return ok ? 0 : 1;
        }

        Console.WriteLine("MIC check    skipped (OptNeg: needs JSIntKey, JoinEUI and DevNonce)");
        return 0;
    }
}
