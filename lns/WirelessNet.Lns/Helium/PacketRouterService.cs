using System.Buffers.Binary;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Storage;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Helium;

/// <summary>
/// The Helium packet-router door (<c>helium.packet_router.packet/route</c>): hotspots open one stream each, register
/// with a message signed by their key, optionally upgrade to an ed25519 session key, and stream signed uplinks;
/// accepted uplinks go to <see cref="IGatewayEventSink"/> as <see cref="GatewayTransport.HeliumGrpc"/> receptions,
/// and downlinks come back on the same stream (<see cref="HeliumGatewayStreams"/>).
/// </summary>
/// <remarks>
/// A stream is refused (ended with a gRPC status) only for a bad start: no or malformed register, bad signature,
/// stale timestamp, unknown or denied gateway, a failed session init. After that a bad packet is rejected, counted
/// and logged, and the stream goes on: one corrupt or over-rate packet must not cost the hotspot its connection.
/// </remarks>
public sealed class PacketRouterService(
    IOptions<HeliumPacketRouterOptions> options,
    IDeviceRegistry registry,
    IGatewayEventSink sink,
    HeliumGatewayStreams streams,
    HeliumMetrics metrics,
    TimeProvider time,
    ILogger<PacketRouterService> logger) : packet.packetBase
{
    private const int NonceLength = 32;

    // Region names for the values below 128 (all defined ones), made once each rather than per packet; racing
    // first uses store equal strings. Other values come from the gateway and are not cached, so they cannot grow it.
    private static readonly string?[] RegionNames = new string?[128];
    private static uint s_uplinkId;

    private readonly HeliumPacketRouterOptions _options = options.Value;

    public override async Task route(IAsyncStreamReader<envelope_up_v1> requestStream, IServerStreamWriter<envelope_down_v1> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var aborted = context.CancellationToken;

        var register = await ReadRegisterAsync(requestStream, aborted).ConfigureAwait(false);
        var (gatewayId, gatewayKey) = await AuthenticateAsync(register, aborted).ConfigureAwait(false);

        using var stream = new HeliumRouteStream(gatewayId, gatewayKey, _options.DownstreamCapacity);
        using var lifetime = new CancellationTokenSource(_options.MaxStreamLifetime, time);
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(aborted, lifetime.Token, stream.Replaced);
        metrics.Stream("registered");
        HeliumLog.Registered(logger, gatewayId, register.SessionCapable, register.PacketAckInterval);

        var writer = WriteLoopAsync(stream, responseStream, aborted);
        var acks = register.PacketAckInterval > 0
            ? AckLoopAsync(stream, TimeSpan.FromSeconds(Math.Min(register.PacketAckInterval, _options.MaxPacketAckIntervalSeconds)), ending.Token)
            : Task.CompletedTask;

        var state = new StreamState(stream, gatewayKey, _options, time);
        var outcome = "closed";
        try
        {
            if (register.SessionCapable)
            {
                state.OfferedNonce = RandomNumberGenerator.GetBytes(NonceLength);
                stream.TryEnqueue(new OutgoingEnvelope(new envelope_down_v1 { SessionOffer = new packet_router_session_offer_v1 { Nonce = ByteString.CopyFrom(state.OfferedNonce) } }, null));
            }
            else
            {
                // Without a session the register is all the authentication there will be: downlinks may flow now.
                await GoLiveAsync(state, ending.Token).ConfigureAwait(false);
            }

            while (await requestStream.MoveNext(ending.Token).ConfigureAwait(false))
            {
                await HandleAsync(requestStream.Current, state, ending.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            // Lifetime reached or replaced by a newer stream: a normal end, the gateway reconnects.
            outcome = stream.WasReplaced ? "replaced" : "expired";
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            outcome = "aborted";
        }
        catch (IOException) when (aborted.IsCancellationRequested)
        {
            outcome = "aborted";
        }
        catch (RpcException)
        {
            // A failed session init: the status goes to the gateway.
            outcome = "refused";
            throw;
        }
        finally
        {
            await streams.DetachAsync(stream).ConfigureAwait(false);
            if (state.Live && !stream.WasReplaced)
            {
                await ReportConnectionAsync(gatewayId, online: false, CancellationToken.None).ConfigureAwait(false);
            }

            stream.Complete();
            await ending.CancelAsync().ConfigureAwait(false);

            // The response stream must not be written once this method returns: let the writer drain first.
            await Task.WhenAll(writer, acks).ConfigureAwait(false);
            if (outcome != "refused")
            {
                // A refusal was counted, with its reason, where it was raised.
                metrics.Stream(outcome);
            }

            HeliumLog.StreamEnded(logger, gatewayId, outcome);
        }
    }

    private async Task<packet_router_register_v1> ReadRegisterAsync(IAsyncStreamReader<envelope_up_v1> requestStream, CancellationToken aborted)
    {
        using var timeout = new CancellationTokenSource(_options.RegisterTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, timeout.Token);
        bool any;
        try
        {
            any = await requestStream.MoveNext(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            throw Refuse(StatusCode.DeadlineExceeded, "register_timeout", $"no register within {_options.RegisterTimeout}");
        }

        if (!any)
        {
            throw Refuse(StatusCode.InvalidArgument, "no_register", "the stream ended before a register");
        }

        return requestStream.Current.Register
            ?? throw Refuse(StatusCode.InvalidArgument, "no_register", $"the first message must be register, not {requestStream.Current.DataCase}");
    }

    /// <summary>Checks a register: a valid key, its signature, a fresh timestamp, a provisioned and allowed gateway.</summary>
    private async Task<(Eui64 GatewayId, HeliumPublicKey Key)> AuthenticateAsync(packet_router_register_v1 register, CancellationToken cancellationToken)
    {
        if (!HeliumPublicKey.TryParse(register.Gateway.Span, out var key, out var keyError))
        {
            throw Refuse(StatusCode.InvalidArgument, "invalid_key", $"register.gateway is not a Helium public key ({keyError})");
        }

        if (register.Signature.IsEmpty)
        {
            throw Refuse(StatusCode.PermissionDenied, "unsigned_register", "register is not signed");
        }

        if (!SignedMessages.Verify(register, key, m => m.Signature, (m, s) => m.Signature = s))
        {
            throw Refuse(StatusCode.PermissionDenied, "invalid_signature", "register signature does not verify with register.gateway");
        }

        var gatewayId = HeliumGatewayIds.FromPublicKey(key);
        var skew = time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(register.Timestamp, (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()));
        if (skew.Duration() > _options.MaxRegisterClockSkew)
        {
            throw Refuse(StatusCode.PermissionDenied, "stale_register", $"gateway {gatewayId}: register timestamp is {skew} away from the server clock");
        }

        var gateway = await registry.GetGatewayAsync(gatewayId, cancellationToken).ConfigureAwait(false);
        if (gateway is null)
        {
            throw Refuse(StatusCode.PermissionDenied, "unknown_gateway", $"gateway {gatewayId} is not provisioned");
        }

        if (gateway.Denied)
        {
            throw Refuse(StatusCode.PermissionDenied, "denied_gateway", $"gateway {gatewayId} is denied");
        }

        return (gatewayId, key);
    }

    private RpcException Refuse(StatusCode code, string reason, string detail)
    {
        metrics.Stream("refused", reason);
        HeliumLog.Refused(logger, reason, detail);
        return new RpcException(new Status(code, $"{reason}: {detail}"));
    }

    private async ValueTask HandleAsync(envelope_up_v1 envelope, StreamState state, CancellationToken cancellationToken)
    {
        switch (envelope.DataCase)
        {
            case envelope_up_v1.DataOneofCase.Packet:
                await HandlePacketAsync(envelope.Packet, state, cancellationToken).ConfigureAwait(false);
                break;
            case envelope_up_v1.DataOneofCase.SessionInit:
                if (AcceptSessionInit(envelope.SessionInit, state))
                {
                    // Only now does this stream prove it is the live gateway: a replayed register cannot answer a fresh nonce.
                    await GoLiveAsync(state, cancellationToken).ConfigureAwait(false);
                    HeliumLog.SessionEstablished(logger, state.Stream.GatewayId);
                }

                break;
            default:
                HeliumLog.Reject(logger, metrics, state.Stream.GatewayId, HeliumRejectReasons.UnexpectedMessage, $"{envelope.DataCase} after register");
                break;
        }
    }

    /// <summary>
    /// Accepts the gateway's session key: signed by the long-term key, for the nonce offered on this stream, an
    /// ed25519 key. A failed session init ends the stream: only a broken or forged client sends one.
    /// </summary>
    /// <returns>False when the message was out of place (ignored); throws to end the stream when it is invalid.</returns>
    private bool AcceptSessionInit(packet_router_session_init_v1 init, StreamState state)
    {
        var gatewayId = state.Stream.GatewayId;
        if (state.OfferedNonce is null || state.SessionKey is not null)
        {
            HeliumLog.Reject(logger, metrics, gatewayId, HeliumRejectReasons.UnexpectedMessage, state.SessionKey is null ? "session init without an offer" : "second session init");
            return false;
        }

        if (!init.Gateway.Span.SequenceEqual(state.GatewayKey.AsSpan()))
        {
            throw Refuse(StatusCode.PermissionDenied, "session_gateway_mismatch", $"gateway {gatewayId}: session init names another gateway");
        }

        if (!CryptographicOperations.FixedTimeEquals(init.Nonce.Span, state.OfferedNonce))
        {
            throw Refuse(StatusCode.PermissionDenied, "session_nonce_mismatch", $"gateway {gatewayId}: session init does not carry the offered nonce");
        }

        if (!HeliumPublicKey.TryParse(init.SessionKey.Span, out var sessionKey) || sessionKey.KeyType != HeliumKeyType.Ed25519)
        {
            throw Refuse(StatusCode.InvalidArgument, "invalid_session_key", $"gateway {gatewayId}: the session key is not an ed25519 Helium key");
        }

        if (!SignedMessages.Verify(init, state.GatewayKey, m => m.Signature, (m, s) => m.Signature = s))
        {
            throw Refuse(StatusCode.PermissionDenied, "invalid_session_signature", $"gateway {gatewayId}: session init is not signed by the gateway key");
        }

        state.SessionKey = sessionKey;
        return true;
    }

    /// <summary>Makes the stream the gateway's downlink route and reports the gateway online.</summary>
    private async ValueTask GoLiveAsync(StreamState state, CancellationToken cancellationToken)
    {
        await streams.AttachAsync(state.Stream, cancellationToken).ConfigureAwait(false);
        state.Live = true;
        await ReportConnectionAsync(state.Stream.GatewayId, online: true, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ReportConnectionAsync(Eui64 gatewayId, bool online, CancellationToken cancellationToken)
    {
        try
        {
            await sink.OnConnectionStateAsync(gatewayId, online, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Status bookkeeping must not cost the gateway its stream.
            HeliumLog.SinkFailed(logger, gatewayId, ex);
        }
    }

    private async ValueTask HandlePacketAsync(packet_router_packet_up_v1 packet, StreamState state, CancellationToken cancellationToken)
    {
        var gatewayId = state.Stream.GatewayId;

        // MHDR MType (top 3 bits): 0 Join-Request, 2 unconfirmed and 4 confirmed data up. Anything else is not an
        // uplink a hotspot should forward (downlinks, rejoins, proprietary).
        if (packet.Payload.IsEmpty || (packet.Payload[0] >> 5) is not (0 or 2 or 4))
        {
            HeliumLog.Reject(logger, metrics, gatewayId, HeliumRejectReasons.InvalidMType, packet.Payload.IsEmpty ? "empty payload" : $"MType {packet.Payload[0] >> 5}");
            return;
        }

        if (!packet.Gateway.Span.SequenceEqual(state.GatewayKey.AsSpan()))
        {
            HeliumLog.Reject(logger, metrics, gatewayId, HeliumRejectReasons.GatewayMismatch, "packet.gateway is not the registered key");
            return;
        }

        var gateway = await state.GetGatewayAsync(registry, cancellationToken).ConfigureAwait(false);
        if (gateway is null || gateway.Denied)
        {
            var reason = gateway is null ? HeliumRejectReasons.UnknownGateway : HeliumRejectReasons.DeniedGateway;
            HeliumLog.Reject(logger, metrics, gatewayId, reason, gateway is null ? "no longer provisioned" : "denied");
            return;
        }

        var signer = state.SessionKey ?? state.GatewayKey;
        // The packet is this read loop's own: verified in place, without a clone.
        if (!SignedMessages.VerifyOwned(packet, signer, m => m.Signature, (m, s) => m.Signature = s))
        {
            var reason = state.SessionKey is null ? HeliumRejectReasons.InvalidSignature : HeliumRejectReasons.InvalidSessionSignature;
            HeliumLog.Reject(logger, metrics, gatewayId, reason, state.SessionKey is null ? "not signed by the gateway key" : "not signed by the session key");
            return;
        }

        if (!state.Rate.TryTake())
        {
            HeliumLog.Reject(logger, metrics, gatewayId, HeliumRejectReasons.RateLimited, $"over {_options.PacketsPerSecond} packets/s");
            return;
        }

        var hash = SHA256.HashData(packet.Payload.Span);
        if (!state.Repeats.TryAccept(hash))
        {
            HeliumLog.Reject(logger, metrics, gatewayId, HeliumRejectReasons.RepeatedPayload, $"same payload more than {_options.SamePayloadPerSecond}/s");
            return;
        }

        if (!HeliumDataRates.TryGetModulation(packet.Datarate, out var modulation))
        {
            HeliumLog.Reject(logger, metrics, gatewayId, HeliumRejectReasons.UnsupportedDataRate, $"{packet.Datarate} is not a LoRa data rate");
            return;
        }

        var context = new byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(context, packet.Timestamp);
        var reception = new UplinkReception
        {
            GatewayId = gatewayId,
            PhyPayload = packet.Payload.ToByteArray(),
            FrequencyHz = packet.Frequency,
            Modulation = modulation,
            Rssi = packet.Rssi,
            Snr = packet.Snr,
            ReceivedAt = time.GetUtcNow(),
            Transport = GatewayTransport.HeliumGrpc,
            Context = context,
            GatewayTimestampMicros = packet.Timestamp,
            UplinkId = Interlocked.Increment(ref s_uplinkId),
            Location = gateway.Location,
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["region"] = (int)packet.Region is >= 0 and < 128 ? RegionNames[(int)packet.Region] ??= RegionName(packet.Region) : RegionName(packet.Region),
                ["hold_time_ms"] = packet.HoldTime.ToString(System.Globalization.CultureInfo.InvariantCulture),

                // Packet reports name the hotspot by its binary key, which the EUI (a hash of it) cannot give back.
                [WirelessNet.Lns.Metering.PacketMetering.GatewayKeyMetadata] = state.GatewayKeyHex,
            },
        };

        metrics.Accepted();
        state.Stream.Accepted(hash);
        try
        {
            await sink.OnUplinkAsync(reception, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The pipeline's trouble is not the gateway's: keep the stream.
            HeliumLog.SinkFailed(logger, gatewayId, ex);
        }
    }

    /// <summary>Drains the outbox into the response stream; a written downlink is acknowledged to the pipeline.</summary>
    private async Task WriteLoopAsync(HeliumRouteStream stream, IServerStreamWriter<envelope_down_v1> responseStream, CancellationToken aborted)
    {
        try
        {
            await foreach (var item in stream.Outbox.ReadAllAsync(aborted).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(item.Envelope, aborted).ConfigureAwait(false);
                if (item.DownlinkId is { } downlinkId)
                {
                    metrics.Downlink("sent");
                    HeliumLog.DownlinkWritten(logger, downlinkId, stream.GatewayId);

                    // Hotspots report no transmission result: handing the downlink over is as far as the router
                    // can know (the Helium packet router behaves the same). Without this acknowledgement the
                    // downlink counter would never advance and queued downlinks would never be consumed.
                    try
                    {
                        await sink.OnTxAckAsync(new DownlinkTxAck(stream.GatewayId, downlinkId, [TxAckStatus.Ok]), aborted).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // A failing acknowledgement (store trouble) must not stop this gateway's downlinks.
                        HeliumLog.SinkFailed(logger, stream.GatewayId, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away; nothing more can be written.
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or RpcException)
        {
            HeliumLog.WriteFailed(logger, stream.GatewayId, ex);
        }
        finally
        {
            // Whatever is left can no longer be delivered; later sends fail instead of queueing.
            stream.Complete();
            while (stream.Outbox.TryRead(out _))
            {
            }
        }
    }

    private async Task AckLoopAsync(HeliumRouteStream stream, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (stream.TakeUnacknowledged() is { } hash)
                {
                    stream.TryEnqueue(new OutgoingEnvelope(new envelope_down_v1 { PacketAck = new packet_router_packet_ack_v1 { PayloadHash = ByteString.CopyFrom(hash) } }, null));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stream ended.
        }
    }

    /// <summary>The proto name in lower case ("eu868", "as923_1"), the form region ids take in this server.</summary>
    private static string RegionName(region value) =>
        (RegionReflection.Descriptor.EnumTypes[0].FindValueByNumber((int)value)?.Name ?? ((int)value).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ToLowerInvariant();

    /// <summary>What one stream knows: keys, session, limits, the cached provisioning of its gateway.</summary>
    private sealed class StreamState(HeliumRouteStream stream, HeliumPublicKey gatewayKey, HeliumPacketRouterOptions options, TimeProvider time)
    {
        private Gateway? _gateway;
        private long _gatewayReadAt;
        private bool _gatewayRead;

        public HeliumRouteStream Stream { get; } = stream;

        public HeliumPublicKey GatewayKey { get; } = gatewayKey;

        /// <summary>The key in hex, for the receptions' metadata (the packet's gateway field equals it once checked).</summary>
        public string GatewayKeyHex { get; } = Convert.ToHexStringLower(gatewayKey.AsSpan());

        public byte[]? OfferedNonce { get; set; }

        public HeliumPublicKey? SessionKey { get; set; }

        /// <summary>Whether the stream became the gateway's downlink route.</summary>
        public bool Live { get; set; }

        public TokenBucket Rate { get; } = new(options.PacketsPerSecond, options.PacketBurst, time);

        public RepeatedPayloadLimit Repeats { get; } = new(options.SamePayloadPerSecond, time);

        public async ValueTask<Gateway?> GetGatewayAsync(IDeviceRegistry registry, CancellationToken cancellationToken)
        {
            if (!_gatewayRead || time.GetElapsedTime(_gatewayReadAt) >= options.GatewayCacheLifetime)
            {
                _gateway = await registry.GetGatewayAsync(Stream.GatewayId, cancellationToken).ConfigureAwait(false);
                _gatewayReadAt = time.GetTimestamp();
                _gatewayRead = true;
            }

            return _gateway;
        }
    }
}
