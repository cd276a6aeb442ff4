using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using WirelessNet.Helium.Crypto;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PacketRouter;
using WirelessNet.Proto.Helium.PocLora;

namespace WirelessNet.Simulators.Gateways;

/// <summary>Which window a Helium hotspot used for a <c>packet_down</c>, judged on its own concentrator clock.</summary>
public enum HeliumDownlinkWindow
{
    Rx1,
    Rx2,

    /// <summary>Both windows had passed when the downlink arrived: a real hotspot drops it.</summary>
    TooLate,
}

/// <summary>A <c>packet_down</c> as the hotspot handled it.</summary>
/// <param name="ArrivedAtMicros">The concentrator clock (32-bit µs, wrapping) when it arrived.</param>
public sealed record HeliumDownlink(byte[] Payload, window_v1 Rx1, window_v1? Rx2, HeliumDownlinkWindow Window, uint ArrivedAtMicros);

/// <summary>
/// A Helium hotspot as gateway-rs talks to a packet router: one <c>helium.packet_router.packet/route</c> stream, a
/// register signed with the hotspot's key, the session handshake (a fresh ed25519 session key signed with the
/// hotspot's key, for the router's nonce), then uplinks signed with the session key. It keeps a 32-bit microsecond
/// concentrator clock, times each <c>packet_down</c> against it (RX1 if still ahead, else RX2, else too late) and
/// counts <c>packet_ack</c>s. Written against the wire format, independently of the server's code.
/// </summary>
public sealed class HeliumGatewaySimulator : IAsyncDisposable
{
    /// <summary>
    /// How far ahead of the concentrator clock a transmission must be handed over (the SX130x needs the packet
    /// before its time; gateway-rs refuses what is too close).
    /// </summary>
    public static readonly TimeSpan TransmitLeadTime = TimeSpan.FromMilliseconds(50);

    private readonly HeliumKeyPair _key;
    private readonly GrpcChannel _channel;
    private readonly region _region;
    private readonly long _clockStart = Stopwatch.GetTimestamp();
    private readonly Channel<envelope_up_v1> _outbox;
    private readonly Channel<HeliumDownlink> _downlinks = Channel.CreateUnbounded<HeliumDownlink>();
    private readonly TaskCompletionSource<byte[]> _offer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private AsyncDuplexStreamingCall<envelope_up_v1, envelope_down_v1>? _call;
    private Task _reader = Task.CompletedTask;
    private Task _writer = Task.CompletedTask;
    private HeliumKeyPair? _session;
    private long _packetAcks;
    private byte[]? _lastAckedHash;

    /// <param name="key">The hotspot's long-term key (ed25519 or ecc_compact); the caller keeps ownership.</param>
    /// <param name="channel">A channel to the packet router's HTTP/2 endpoint; the caller keeps ownership.</param>
    /// <param name="outboxCapacity">Messages queued for the stream before <see cref="SendUplinkAsync"/> waits.</param>
    public HeliumGatewaySimulator(HeliumKeyPair key, GrpcChannel channel, region region = region.Eu868, int outboxCapacity = 1024)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(channel);
        _key = key;
        _channel = channel;
        _region = region;
        _outbox = Channel.CreateBounded<envelope_up_v1>(new BoundedChannelOptions(outboxCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        GatewayId = GatewayIdOf(key.PublicKey);
    }

    /// <summary>The id the server provisions this hotspot under: SHA-256 of the binary public key, first 8 bytes big-endian.</summary>
    public Eui64 GatewayId { get; }

    public HeliumPublicKey PublicKey => _key.PublicKey;

    /// <summary>Whether packets are signed with a session key (after a completed handshake).</summary>
    public bool HasSession => _session is not null;

    /// <summary>The concentrator clock: microseconds since the simulator started, wrapping at 2³² like the SX130x counter.</summary>
    public uint ConcentratorMicros => unchecked((uint)(Stopwatch.GetElapsedTime(_clockStart).Ticks / 10));

    /// <summary>Downlinks received, each with the window the hotspot used.</summary>
    public ChannelReader<HeliumDownlink> Downlinks => _downlinks.Reader;

    /// <summary>How many <c>packet_ack</c>s the router sent.</summary>
    public long PacketAcks => Interlocked.Read(ref _packetAcks);

    /// <summary>The payload hash of the latest <c>packet_ack</c>.</summary>
    public byte[]? LastAckedHash => Volatile.Read(ref _lastAckedHash);

    /// <summary>How the router ended the stream (OK for its lifetime or a newer stream), once it has.</summary>
    public TaskCompletionSource<Status> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The id a Helium packet router derives from a hotspot's binary public key.</summary>
    public static Eui64 GatewayIdOf(HeliumPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(key.AsSpan(), hash);
        return new Eui64(BinaryPrimitives.ReadUInt64BigEndian(hash));
    }

    /// <summary>
    /// Opens the stream and registers; with <paramref name="sessionCapable"/>, waits for the router's offer and
    /// answers it with a fresh session key, as gateway-rs does.
    /// </summary>
    public async Task ConnectAsync(bool sessionCapable = true, uint packetAckInterval = 0, CancellationToken cancellationToken = default)
    {
        if (_call is not null)
        {
            throw new InvalidOperationException("The simulator is connected already.");
        }

        _call = new packet.packetClient(_channel).route(cancellationToken: _stop.Token);
        _reader = ReadAsync(_call);
        _writer = WriteAsync(_call);

        var register = new packet_router_register_v1
        {
            Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Gateway = ByteString.CopyFrom(_key.PublicKey.AsSpan()),
            SessionCapable = sessionCapable,
            PacketAckInterval = packetAckInterval,
        };
        register.Signature = SignedMessages.Sign(register, _key);
        await _outbox.Writer.WriteAsync(new envelope_up_v1 { Register = register }, cancellationToken).ConfigureAwait(false);
        if (!sessionCapable)
        {
            return;
        }

        var nonce = await _offer.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        var session = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, _key.Network);
        var init = new packet_router_session_init_v1
        {
            Gateway = ByteString.CopyFrom(_key.PublicKey.AsSpan()),
            Nonce = ByteString.CopyFrom(nonce),
            SessionKey = ByteString.CopyFrom(session.PublicKey.AsSpan()),
        };
        init.Signature = SignedMessages.Sign(init, _key);
        await _outbox.Writer.WriteAsync(new envelope_up_v1 { SessionInit = init }, cancellationToken).ConfigureAwait(false);

        // The stream is ordered: every packet written after the init is checked against the session key.
        Interlocked.Exchange(ref _session, session)?.Dispose();
    }

    /// <summary>A signed uplink as this hotspot would forward it (not sent); <paramref name="timestampMicros"/> defaults to now.</summary>
    public packet_router_packet_up_v1 CreateUplink(ByteString phyPayload, uint frequencyHz, data_rate dataRate, int rssi, float snr, uint? timestampMicros = null)
    {
        var packet = new packet_router_packet_up_v1
        {
            Payload = phyPayload,
            Timestamp = timestampMicros ?? ConcentratorMicros,
            Rssi = rssi,
            Frequency = frequencyHz,
            Datarate = dataRate,
            Snr = snr,
            Region = _region,
            HoldTime = 0,
            Gateway = ByteString.CopyFrom(_key.PublicKey.AsSpan()),
        };
        packet.Signature = SignedMessages.Sign(packet, Volatile.Read(ref _session) ?? _key);
        return packet;
    }

    /// <summary>Signs and queues an uplink for the stream; returns the packet sent.</summary>
    public async ValueTask<packet_router_packet_up_v1> SendUplinkAsync(byte[] phyPayload, uint frequencyHz, data_rate dataRate, int rssi, float snr, uint? timestampMicros = null, CancellationToken cancellationToken = default)
    {
        var packet = CreateUplink(ByteString.CopyFrom(phyPayload), frequencyHz, dataRate, rssi, snr, timestampMicros);
        await SendAsync(packet, cancellationToken).ConfigureAwait(false);
        return packet;
    }

    /// <summary>
    /// Reports a proof-of-coverage beacon the hotspot heard, as gateway-rs does: a <c>lora_witness_report_req_v1</c>
    /// signed with the hotspot's long-term key, submitted to the PoC ingest (<c>helium.poc_lora.poc_lora</c>) on the
    /// same channel, not forwarded on the packet router (which carries LoRaWAN joins and data only).
    /// </summary>
    /// <param name="beaconPhyPayload">The beacon frame as received (Proprietary MHDR, then the beacon's data).</param>
    public async Task SubmitWitnessAsync(byte[] beaconPhyPayload, uint frequencyHz, data_rate dataRate, int rssi, float snr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(beaconPhyPayload);
        var report = new lora_witness_report_req_v1
        {
            PubKey = ByteString.CopyFrom(_key.PublicKey.AsSpan()),
            Data = ByteString.CopyFrom(beaconPhyPayload.AsSpan(Math.Min(1, beaconPhyPayload.Length))),
            Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
            Tmst = ConcentratorMicros,
            Signal = rssi * 10,
            Snr = (int)MathF.Round(snr * 10),
            Frequency = frequencyHz,
            Datarate = dataRate,
        };
        report.Signature = SignedMessages.Sign(report, _key);
        await new poc_lora.poc_loraClient(_channel).submit_lora_witnessAsync(report, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues an uplink made (and signed) by <see cref="CreateUplink"/>.</summary>
    public ValueTask SendAsync(packet_router_packet_up_v1 packet, CancellationToken cancellationToken = default) =>
        _outbox.Writer.WriteAsync(new envelope_up_v1 { Packet = packet }, cancellationToken);

    /// <summary>Queues without waiting; false when the outbox is full or the stream has ended.</summary>
    public bool TrySend(packet_router_packet_up_v1 packet) => _outbox.Writer.TryWrite(new envelope_up_v1 { Packet = packet });

    private async Task WriteAsync(AsyncDuplexStreamingCall<envelope_up_v1, envelope_down_v1> call)
    {
        try
        {
            await foreach (var envelope in _outbox.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                await call.RequestStream.WriteAsync(envelope, _stop.Token).ConfigureAwait(false);
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or InvalidOperationException or IOException)
        {
            // The stream ended (the reader reports how); queued messages cannot be sent any more.
            _outbox.Writer.TryComplete();
        }
    }

    private async Task ReadAsync(AsyncDuplexStreamingCall<envelope_up_v1, envelope_down_v1> call)
    {
        try
        {
            while (await call.ResponseStream.MoveNext(_stop.Token).ConfigureAwait(false))
            {
                var message = call.ResponseStream.Current;
                switch (message.DataCase)
                {
                    case envelope_down_v1.DataOneofCase.SessionOffer:
                        _offer.TrySetResult(message.SessionOffer.Nonce.ToByteArray());
                        break;
                    case envelope_down_v1.DataOneofCase.PacketAck:
                        Volatile.Write(ref _lastAckedHash, message.PacketAck.PayloadHash.ToByteArray());
                        Interlocked.Increment(ref _packetAcks);
                        break;
                    case envelope_down_v1.DataOneofCase.Packet:
                        _downlinks.Writer.TryWrite(Schedule(message.Packet));
                        break;
                }
            }

            Ended.TrySetResult(call.GetStatus());
        }
        catch (RpcException e)
        {
            Ended.TrySetResult(e.Status);
        }
        catch (OperationCanceledException)
        {
            Ended.TrySetResult(new Status(StatusCode.Cancelled, "closed by the simulator"));
        }
        finally
        {
            _offer.TrySetException(new InvalidOperationException("The stream ended before a session offer."));
            _outbox.Writer.TryComplete();
            _downlinks.Writer.TryComplete();
        }
    }

    /// <summary>Picks the window the concentrator can still meet, as a hotspot does on receiving a downlink.</summary>
    private HeliumDownlink Schedule(packet_router_packet_down_v1 down)
    {
        var now = ConcentratorMicros;
        var window = CanStillTransmit(down.Rx1, now)
            ? HeliumDownlinkWindow.Rx1
            : CanStillTransmit(down.Rx2, now) ? HeliumDownlinkWindow.Rx2 : HeliumDownlinkWindow.TooLate;
        return new HeliumDownlink(down.Payload.ToByteArray(), down.Rx1, down.Rx2, window, now);
    }

    /// <summary>Whether the concentrator, its clock at <paramref name="now"/> µs, can still meet the window.</summary>
    public static bool CanStillTransmit(window_v1? window, uint now)
    {
        if (window is null)
        {
            return false;
        }

        if (window.Immediate)
        {
            return true;
        }

        // The concentrator counter is 32 bits: compare modulo 2³², as the distance from now.
        var ahead = unchecked((int)((uint)window.Timestamp - now));
        return ahead >= TransmitLeadTime.Ticks / 10;
    }

    public async ValueTask DisposeAsync()
    {
        _outbox.Writer.TryComplete();
        await Task.WhenAny(_writer, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(_reader, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        _call?.Dispose();
        _session?.Dispose();
        _stop.Dispose();
    }
}
