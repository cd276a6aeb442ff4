using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Metering;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;
using WirelessNet.LoRaWan.Adr;
using WirelessNet.LoRaWan.Counters;
using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.MacCommands;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.Lns.Uplinks;

/// <summary>
/// A deduplicated data uplink: find the session by DevAddr (bounded candidate loop, MIC with the reconstructed
/// 32-bit counter), claim the counter atomically, decrypt, answer MAC commands, run ADR, publish the application
/// event, and send the Class A answer when one is due (confirmed uplink, queued downlink, MAC answers).
/// </summary>
public sealed class DataUplinkProcessor(
    ProvisioningCache provisioning,
    ISessionStore sessions,
    IDownlinkQueueStore queue,
    SessionSecurityCache securityCache,
    DownlinkDispatcher downlinks,
    IDeviceEventSink events,
    IOptions<NetworkServerOptions> options,
    TimeProvider time,
    ILogger<DataUplinkProcessor> logger,
    PacketMetering? metering = null)
{
    // GPS epoch (1980-01-06) to Unix epoch, and the leap seconds GPS time is ahead of UTC (since 2017-01-01).
    private static readonly DateTimeOffset GpsEpoch = new(1980, 1, 6, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan GpsLeapSeconds = TimeSpan.FromSeconds(18);

    public async ValueTask<UplinkRejection?> HandleAsync(ReceivedUplink uplink, CancellationToken cancellationToken)
    {
        var match = await FindSessionAsync(uplink, cancellationToken).ConfigureAwait(false);
        if (match.Rejection is { } rejection)
        {
            if (rejection == UplinkRejection.FCntRetransmission && match.Session is { } retransmitting)
            {
                await AcknowledgeRetransmissionAsync(uplink, retransmitting, match.FCnt, cancellationToken).ConfigureAwait(false);
            }

            return rejection;
        }

        var session = match.Session!;
        var fCnt = match.FCnt;
        var device = await provisioning.GetDeviceAsync(session.DevEui, cancellationToken).ConfigureAwait(false);
        var profile = device is null ? null : await provisioning.GetProfileAsync(device.ProfileId, cancellationToken).ConfigureAwait(false);
        if (device is null || profile is null || !RegionCatalog.TryGet(profile.Region, out var region))
        {
            return UplinkRejection.UnknownDevice;
        }

        // The profile's MaxCopies applies before anything below uses the receptions: copies beyond it are neither
        // delivered, nor used for the downlink choice, nor charged.
        uplink = metering?.LimitCopies(uplink, profile) ?? CopyLimit.Apply(uplink, profile.MaxCopies);

        // Everything up to the claim is computed from the session alone, so that the claim can store the counter and
        // the state the frame leads to in one atomic step.
        DataFrame.TryDecode(uplink.PhyPayload, out var frame);
        var security = securityCache.Get(session);
        var fOpts = new byte[frame.FOpts.Length];
        security.DecryptFOpts(frame, fCnt, fOpts);
        var payload = new byte[frame.FrmPayload.Length];
        security.DecryptFrmPayload(frame, fCnt, payload);
        var isUplinkConfirmed = frame.IsConfirmed;
        var fPort = frame.FPort;
        var adrBit = frame.FCtrl.Adr;
        var adrAckReq = frame.FCtrl.AdrAckReq;
        var acknowledges = frame.FCtrl.Ack;

        var best = uplink.BestReception;
        region.TryGetLoRaDataRate(best.Modulation.SpreadingFactor, best.Modulation.BandwidthHz, uplink: true, out var uplinkDr);

        // MAC commands: FOpts, or the FRMPayload of FPort 0.
        var answers = new List<MacCommand>();
        var updated = session with { FCntUp = fCnt, Pending = false, DataRate = uplinkDr };
        updated = HandleMacCommands(fPort == 0 ? payload : fOpts, uplink, region, updated, answers, device);

        // ADR.
        if (adrBit)
        {
            var history = updated.AdrHistory.Add(new UplinkRecord(fCnt, uplink.MaxSnr, updated.TxPowerIndex));
            if (history.Length > DefaultAdrAlgorithm.HistoryLength)
            {
                history = history.RemoveRange(0, history.Length - DefaultAdrAlgorithm.HistoryLength);
            }

            updated = updated with { AdrHistory = history };
            if (updated.PendingAdr is null && region.GetDataRate(uplinkDr).IsLoRa)
            {
                var decision = DefaultAdrAlgorithm.Evaluate(
                    region,
                    new AdrRequest(uplinkDr, updated.TxPowerIndex, Math.Clamp(updated.NbTrans, 1, 3), region.MaxAdrDataRate, region.MaxTxPowerIndex) { InstallationMarginDb = options.Value.AdrInstallationMarginDb },
                    history.AsSpan());
                if (decision.Changed || adrAckReq)
                {
                    AddLinkAdrRequests(region, decision, answers);
                    updated = updated with { PendingAdr = decision };
                }
            }
        }

        // A confirmed downlink is acknowledged by the ACK bit of the device's next uplink, or was missed.
        var awaitingAck = updated.AwaitingAckQueueItemId;
        if (awaitingAck is not null)
        {
            updated = updated with { AwaitingAckQueueItemId = null };
        }

        // The application event is journaled with the claim, so a crash between the two cannot lose it.
        DeviceUplinkEvent? uplinkEvent = null;
        byte[]? journalEntry = null;
        if (fPort > 0)
        {
            uplinkEvent = new DeviceUplinkEvent(uplink.DeduplicationId, time.GetUtcNow(), device, profile, session.DevAddr, adrBit, uplinkDr, fCnt, fPort, isUplinkConfirmed, payload, uplink.Receptions);
            journalEntry = options.Value.EventJournal ? JournaledUplinkEvent.Encode(uplinkEvent) : null;
        }

        var claim = journalEntry is null
            ? await sessions.TryClaimUplinkAsync(updated, session.Pending, fCnt, cancellationToken).ConfigureAwait(false)
            : await sessions.TryClaimUplinkAsync(updated, session.Pending, fCnt, journalEntry, cancellationToken).ConfigureAwait(false);
        if (claim != UplinkClaim.Accepted)
        {
            logger.LogInformation("Uplink FCnt {FCnt} of {DevEui} not claimed: {Claim}", fCnt, session.DevEui, claim);
            return UplinkRejection.FCntReplay;
        }

        // Read while the charge and the events go out: the answer below needs it, and it is its own round trip.
        var queuedRead = queue.PeekAsync(session.DevEui, cancellationToken);

        // Only a verified, claimed frame is charged.
        if (metering is not null)
        {
            await metering.ChargeAsync(uplink, profile, MeteredPacketType.Uplink, cancellationToken).ConfigureAwait(false);
        }

        if (awaitingAck is { } ackedItem)
        {
            await events.OnAckAsync(new DeviceAckEvent(time.GetUtcNow(), device, ackedItem, acknowledges, updated.AwaitingAckFCnt), cancellationToken).ConfigureAwait(false);
        }

        if (uplinkEvent is not null)
        {
            await events.OnUplinkAsync(uplinkEvent, cancellationToken).ConfigureAwait(false);
            if (journalEntry is not null)
            {
                await sessions.CompleteUplinkEventAsync(session.DevEui, journalEntry, cancellationToken).ConfigureAwait(false);
            }
        }

        var queued = await queuedRead.ConfigureAwait(false);
        if (isUplinkConfirmed || queued is not null || answers.Count > 0 || adrAckReq)
        {
            await SendClassAAnswerAsync(uplink, region, updated, device, isUplinkConfirmed, fCnt, queued, answers, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private async ValueTask<(DeviceSession? Session, uint FCnt, UplinkRejection? Rejection)> FindSessionAsync(ReceivedUplink uplink, CancellationToken cancellationToken)
    {
        if (DataFrame.TryDecode(uplink.PhyPayload, out var header) != FrameError.None || !header.IsUplink)
        {
            return (null, 0, UplinkRejection.MalformedFrame);
        }

        var devAddr = header.DevAddr;
        var wireFCnt = header.FCnt;
        var acknowledges = header.FCtrl.Ack;
        var candidates = await sessions.GetCandidatesAsync(devAddr, options.Value.MaxDevAddrCandidates, cancellationToken).ConfigureAwait(false);
        if (candidates.Count == 0)
        {
            return (null, 0, UplinkRejection.UnknownDevAddr);
        }

        var best = uplink.BestReception;
        UplinkRejection rejection = UplinkRejection.MicMismatch;
        foreach (var candidate in candidates)
        {
            var counter = FrameCounter.Reconstruct(candidate.FCntUp, wireFCnt, options.Value.MaxFCntGap);
            var security = securityCache.Get(candidate);

            // 1.1 B1 block: TxDr and TxCh of this uplink, and ConfFCnt when it acknowledges a confirmed downlink
            // (application downlinks, so the AFCntDown last used).
            byte txDr = 0, txCh = 0;
            ushort confFCnt = 0;
            if (candidate.MacVersion.Is11() && RegionCatalog.TryGet(candidate.Region, out var region))
            {
                txDr = region.TryGetLoRaDataRate(best.Modulation.SpreadingFactor, best.Modulation.BandwidthHz, uplink: true, out var dr) ? (byte)dr : (byte)0;
                txCh = region.TryGetUplinkChannel(best.FrequencyHz, out var channel) ? (byte)channel : (byte)0;
                confFCnt = acknowledges && candidate.AFCntDown > 0 ? (ushort)(candidate.AFCntDown - 1) : (ushort)0;
            }

            if (!security.VerifyMic(DecodeAgain(uplink.PhyPayload), counter.FCnt, confFCnt, txDr, txCh))
            {
                continue;
            }

            switch (counter.Status)
            {
                case FrameCounterStatus.Next:
                    return (candidate, counter.FCnt, null);
                case FrameCounterStatus.Retransmission:
                    // Not a new frame (no event, no counter change), but a confirmed one still wants its ACK.
                    return (candidate, counter.FCnt, UplinkRejection.FCntRetransmission);
                case FrameCounterStatus.Replay:
                    rejection = UplinkRejection.FCntReplay;
                    break;
                case FrameCounterStatus.GapTooLarge:
                    rejection = UplinkRejection.FCntGapTooLarge;
                    break;
                default:
                    rejection = UplinkRejection.FCntExhausted;
                    break;
            }
        }

        return (null, 0, rejection);
    }

    // Spans cannot cross the awaits above; re-decoding a validated frame costs a couple of nanoseconds.
    private static DataFrame DecodeAgain(byte[] phyPayload)
    {
        DataFrame.TryDecode(phyPayload, out var frame);
        return frame;
    }

    private DeviceSession HandleMacCommands(ReadOnlySpan<byte> commands, ReceivedUplink uplink, RegionParameters region, DeviceSession session, List<MacCommand> answers, Device device)
    {
        var reader = new MacCommandReader(commands, uplink: true);
        while (reader.TryRead(out var command))
        {
            switch (command.Kind)
            {
                case MacCommandKind.LinkCheckReq:
                    {
                        var best = uplink.BestReception;
                        var required = DefaultAdrAlgorithm.RequiredSnrDb(best.Modulation.SpreadingFactor);
                        var margin = (int)Math.Clamp(Math.Floor(uplink.MaxSnr - required), 0, 254);
                        answers.Add(MacCommand.LinkCheckAns((byte)margin, (byte)Math.Min(255, uplink.Receptions.Count)));
                        break;
                    }

                case MacCommandKind.DeviceTimeReq:
                    {
                        var gpsTime = uplink.BestReception.ReceivedAt - GpsEpoch + GpsLeapSeconds;
                        answers.Add(MacCommand.DeviceTimeAns(gpsTime));
                        break;
                    }

                case MacCommandKind.LinkAdrAns:
                    if (session.PendingAdr is { } pending)
                    {
                        session = command.PowerAck && command.DataRateAck && command.ChannelMaskAck
                            ? session with { DataRate = pending.DataRate, TxPowerIndex = pending.TxPowerIndex, NbTrans = pending.NbTrans, PendingAdr = null }
                            : session with { PendingAdr = null };
                    }

                    break;
                case MacCommandKind.DevStatusAns:
                    logger.LogInformation("DevStatusAns from {DevEui}: battery {Battery}, margin {Margin} dB", device.DevEui, command.Battery, command.SnrMargin);
                    break;
                case MacCommandKind.RxParamSetupAns:
                case MacCommandKind.RxTimingSetupAns:
                    logger.LogInformation("{Command} from {DevEui}", command, device.DevEui);
                    break;
                default:
                    logger.LogDebug("MAC command {Command} from {DevEui} not acted on", command, device.DevEui);
                    break;
            }
        }

        if (reader.Status != MacCommandParseStatus.Completed)
        {
            logger.LogInformation("MAC commands from {DevEui}: {Reason}", device.DevEui, reader.Describe());
        }

        _ = region;
        return session;
    }

    private static void AddLinkAdrRequests(RegionParameters region, AdrDecision decision, List<MacCommand> answers)
    {
        Span<LinkAdrChannelMask> masks = stackalloc LinkAdrChannelMask[RegionParameters.MaxLinkAdrChannelMasks];
        var n = region.WriteLinkAdrChannelMasks(region.DefaultChannelMask, false, masks);
        for (var i = 0; i < n; i++)
        {
            // Per LoRaWAN, only the last command of a block carries the settings that count.
            answers.Add(MacCommand.LinkAdrReq((byte)decision.DataRate, (byte)decision.TxPowerIndex, masks[i].ChMask, (byte)masks[i].ChMaskCntl, (byte)decision.NbTrans));
        }
    }

    /// <summary>
    /// A device repeats a confirmed uplink with the same counter when it missed the ACK: it gets an ACK again, and
    /// nothing else (the frame was already delivered).
    /// </summary>
    private async ValueTask AcknowledgeRetransmissionAsync(ReceivedUplink uplink, DeviceSession session, uint fCnt, CancellationToken cancellationToken)
    {
        if (!DecodeAgain(uplink.PhyPayload).IsConfirmed || session.Pending)
        {
            return;
        }

        var device = await provisioning.GetDeviceAsync(session.DevEui, cancellationToken).ConfigureAwait(false);
        var profile = device is null ? null : await provisioning.GetProfileAsync(device.ProfileId, cancellationToken).ConfigureAwait(false);
        if (device is null || profile is null || !RegionCatalog.TryGet(profile.Region, out var region))
        {
            return;
        }

        // The stored session carries the current downlink counters.
        var current = await sessions.GetActiveSessionAsync(session.DevEui, cancellationToken).ConfigureAwait(false);
        if (current is null || current.DevAddr != session.DevAddr)
        {
            return;
        }

        uplink = CopyLimit.Apply(uplink, profile.MaxCopies);
        await SendClassAAnswerAsync(uplink, region, current, device, ack: true, fCnt, queued: null, macCommands: [], cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SendClassAAnswerAsync(
        ReceivedUplink uplink,
        RegionParameters region,
        DeviceSession session,
        Device device,
        bool ack,
        uint uplinkFCnt,
        QueuedDownlink? queued,
        List<MacCommand> macCommands,
        CancellationToken cancellationToken)
    {
        var best = uplink.BestReception;
        region.TryGetLoRaDataRate(best.Modulation.SpreadingFactor, best.Modulation.BandwidthHz, uplink: true, out var uplinkDr);
        var maxPayload = Math.Min(
            region.TryGetRx1DataRate(uplinkDr, session.Rx1DrOffset, out var rx1Dr) ? region.MaxMacPayloadSize(rx1Dr) : int.MaxValue,
            region.MaxMacPayloadSize(session.Rx2DataRate));

        var macBytes = new byte[242];
        var macLength = 0;
        foreach (var command in macCommands)
        {
            if (!MacCommandWriter.TryWrite(macBytes.AsSpan(macLength), command, out var written))
            {
                break;
            }

            macLength += written;
        }

        // FRMPayload room: MAC payload limit minus FHDR (7), FPort (1) and FOpts.
        var fOptsFit = macLength <= 15;
        var includeQueued = queued is not null && queued.Data.Length <= maxPayload - 8 - (fOptsFit ? macLength : 0) && (fOptsFit || macLength == 0);
        int fPort;
        byte[] fOpts;
        byte[] frmPayload;
        if (includeQueued)
        {
            fPort = queued!.FPort;
            fOpts = macBytes[..macLength];
            frmPayload = queued.Data;
        }
        else if (macLength > 0)
        {
            fPort = 0;
            fOpts = [];
            frmPayload = macBytes[..Math.Min(macLength, maxPayload - 8)];
        }
        else
        {
            fPort = DataFrame.NoPort;
            fOpts = [];
            frmPayload = [];
        }

        var usesApplicationCounter = session.MacVersion.Is11() && fPort > 0;
        var fCntDown = usesApplicationCounter ? session.AFCntDown : session.NFCntDown;
        var mType = includeQueued && queued!.Confirmed ? MType.ConfirmedDataDown : MType.UnconfirmedDataDown;
        var fCtrl = FCtrl.Create(adr: true, ack: ack, classBOrFPending: false);
        var security = securityCache.Get(session);
        var buffer = new byte[PhyPayload.MaxLength];
        var length = security.EncodeDataFrame(buffer, mType, session.DevAddr, fCtrl, fCntDown, fOpts, fPort, frmPayload, confFCnt: ack ? (ushort)uplinkFCnt : (ushort)0);

        var downlinkId = DownlinkDispatcher.NewDownlinkId();
        var transmission = ClassADownlinkPlanner.Plan(region, best, buffer[..length], downlinkId, TimeSpan.FromSeconds(Math.Max(1, session.Rx1DelaySeconds)), session.Rx1DrOffset, session.Rx2DataRate);
        await downlinks.SendAsync(
            transmission,
            best.Transport,
            new InFlightDownlink
            {
                DownlinkId = downlinkId,
                DevEui = device.DevEui,
                GatewayId = best.GatewayId,
                QueueItemId = includeQueued ? queued!.Id : null,
                Confirmed = includeQueued && queued!.Confirmed,
                FCnt = fCntDown,
                UsesApplicationCounter = usesApplicationCounter,
                SentAt = time.GetUtcNow(),
            },
            cancellationToken).ConfigureAwait(false);
    }
}
