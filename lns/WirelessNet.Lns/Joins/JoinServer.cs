using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Metering;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Uplinks;
using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Joins;

/// <summary>
/// OTAA: checks a Join-Request (MIC with AppKey for 1.0.x or NwkKey for 1.1, DevNonce rules), allocates a DevAddr
/// under the configured NetID, derives the session keys, stores the session as pending and sends the Join-Accept
/// in the join-accept windows. The session becomes active with the first data uplink that verifies with it.
/// </summary>
public sealed class JoinServer(
    IDeviceRegistry registry,
    IJoinStore joins,
    ISessionStore sessions,
    DownlinkDispatcher downlinks,
    IDeviceEventSink events,
    PipelineMetrics metrics,
    IOptions<NetworkServerOptions> options,
    TimeProvider time,
    ILogger<JoinServer> logger,
    PacketMetering? metering = null)
{
    private readonly NetId _netId = NetId.Parse(options.Value.NetId);

    public async ValueTask<UplinkRejection?> HandleAsync(ReceivedUplink uplink, CancellationToken cancellationToken)
    {
        if (JoinRequestFrame.TryDecode(uplink.PhyPayload, out var request) is var error && error != FrameError.None)
        {
            logger.LogInformation("Join-Request rejected: {Reason}", error.Describe());
            return UplinkRejection.MalformedFrame;
        }

        var device = await registry.GetDeviceAsync(request.DevEui, cancellationToken).ConfigureAwait(false);
        if (device is null)
        {
            logger.LogInformation("Join-Request from unknown DevEUI {DevEui}", request.DevEui);
            return UplinkRejection.UnknownDevice;
        }

        if (device.Disabled)
        {
            return UplinkRejection.DeviceDisabled;
        }

        var profile = await registry.GetProfileAsync(device.ProfileId, cancellationToken).ConfigureAwait(false);
        if (profile is null || !RegionCatalog.TryGet(profile.Region, out var region))
        {
            logger.LogWarning("Device {DevEui} has no usable device profile or region", device.DevEui);
            return UplinkRejection.UnknownRegion;
        }

        if (!profile.SupportsOtaa)
        {
            return UplinkRejection.OtaaNotSupported;
        }

        // MaxCopies before the receptions are used (the Join-Accept's gateway is the best purchased copy).
        uplink = metering?.LimitCopies(uplink, profile) ?? CopyLimit.Apply(uplink, profile.MaxCopies);

        var is11 = profile.MacVersion.Is11();
        var rootKey = is11 ? device.NwkKey : device.AppKey;
        if (rootKey is not { } key || (is11 && device.AppKey is null))
        {
            logger.LogWarning("Device {DevEui} has no root key for its MAC version {MacVersion}", device.DevEui, profile.MacVersion);
            return UplinkRejection.NoRootKey;
        }

        using var expandedRoot = new ExpandedAesKey(key);
        if (JoinCrypto.ComputeJoinRequestMic(expandedRoot, request) != request.Mic)
        {
            await events.OnLogAsync(new DeviceLogEvent(time.GetUtcNow(), device, DeviceLogLevel.Warning, "JOIN_MIC", "Join-Request MIC does not verify with the device's root key"), cancellationToken).ConfigureAwait(false);
            return UplinkRejection.MicMismatch;
        }

        // Atomic in the store: two instances handling copies of one Join-Request cannot both accept its DevNonce.
        if (!await joins.TryUseDevNonceAsync(device.DevEui, request.DevNonce, profile.MacVersion.DevNonceMustIncrease(), cancellationToken).ConfigureAwait(false))
        {
            await events.OnLogAsync(new DeviceLogEvent(time.GetUtcNow(), device, DeviceLogLevel.Warning, "DEV_NONCE", $"DevNonce {request.DevNonce} was used before"), cancellationToken).ConfigureAwait(false);
            return UplinkRejection.DevNonceReused;
        }

        // Charged once the Join-Request is verified and its DevNonce accepted, like a data uplink once its counter is
        // claimed: replays and forgeries cost the tenant nothing.
        if (metering is not null)
        {
            await metering.ChargeAsync(uplink, profile, MeteredPacketType.Join, cancellationToken).ConfigureAwait(false);
        }

        var joinNonce = await joins.NextJoinNonceAsync(device.DevEui, cancellationToken).ConfigureAwait(false);
        var devAddr = DevAddr.FromNetId(_netId, (uint)RandomNumberGenerator.GetInt32(0, 1 << Math.Min(_netId.NwkAddrBits, 30)));
        var o = options.Value;
        var rx2Dr = o.Rx2DataRate ?? region.Rx2DataRate;
        var accept = new JoinAcceptFrame(joinNonce, _netId, devAddr, DlSettings.Create(o.Rx1DrOffset, rx2Dr, optNeg: is11), (byte)o.Rx1DelaySeconds, null, default);

        DeviceSession session;
        byte[] plaintext = new byte[accept.Length];
        if (is11)
        {
            var keys = SessionKeyDerivation.Derive11(key, device.AppKey!.Value, joinNonce, request.JoinEui, request.DevNonce);
            using var jsIntKey = new ExpandedAesKey(SessionKeyDerivation.DeriveJSIntKey(key, device.DevEui));
            accept = accept.WithMic11(jsIntKey, JoinAcceptFrame.JoinReqTypeJoinRequest, request.JoinEui, request.DevNonce);
            session = DeviceSession.Create(device, profile, devAddr, keys, time.GetUtcNow());
        }
        else
        {
            var keys = SessionKeyDerivation.Derive10(key, joinNonce, _netId, request.DevNonce);
            accept = accept.WithMic10(expandedRoot);
            session = DeviceSession.Create(device, profile, devAddr, keys, time.GetUtcNow());
        }

        session = session with { Pending = true, Rx1DrOffset = o.Rx1DrOffset, Rx2DataRate = rx2Dr, Rx1DelaySeconds = o.Rx1DelaySeconds };

        accept.WritePlaintext(plaintext);
        var onAir = new byte[plaintext.Length];
        JoinAcceptFrame.Encrypt(expandedRoot, plaintext, onAir);

        // The session must be stored before the Join-Accept leaves: the device may answer right after it.
        await sessions.SavePendingSessionAsync(session, cancellationToken).ConfigureAwait(false);

        var best = uplink.BestReception;
        var downlinkId = DownlinkDispatcher.NewDownlinkId();
        var transmission = ClassADownlinkPlanner.Plan(region, best, onAir, downlinkId, region.JoinAcceptDelay1, 0, region.Rx2DataRate);
        await downlinks.SendAsync(
            transmission,
            best.Transport,
            new InFlightDownlink { DownlinkId = downlinkId, DevEui = device.DevEui, GatewayId = best.GatewayId, FCnt = 0, IsJoinAccept = true, SentAt = time.GetUtcNow() },
            cancellationToken).ConfigureAwait(false);

        metrics.Join();
        logger.LogInformation("Join-Accept for {DevEui}: DevAddr {DevAddr} via gateway {GatewayId}", device.DevEui, devAddr, best.GatewayId);
        await events.OnJoinAsync(new DeviceJoinEvent(uplink.DeduplicationId, time.GetUtcNow(), device, profile, devAddr), cancellationToken).ConfigureAwait(false);
        return null;
    }
}
