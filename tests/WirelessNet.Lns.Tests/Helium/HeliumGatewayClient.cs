using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using WirelessNet.Helium.Crypto;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Tests.Helium;

/// <summary>A Helium hotspot on one route stream: registers, takes the session offer, sends signed packets.</summary>
internal sealed class HeliumGatewayClient : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<envelope_up_v1, envelope_down_v1> _call;
    private readonly Channel<envelope_down_v1> _received = Channel.CreateUnbounded<envelope_down_v1>();
    private readonly Task _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    private HeliumGatewayClient(GrpcChannel channel, HeliumKeyPair key)
    {
        Key = key;
        _call = new packet.packetClient(channel).route();
        _reader = ReadAsync();
    }

    public HeliumKeyPair Key { get; }

    public HeliumKeyPair? Session { get; private set; }

    /// <summary>How the server ended the stream, once it has (OK for a graceful end).</summary>
    public TaskCompletionSource<Status> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Opens a stream without sending anything.</summary>
    public static HeliumGatewayClient Open(GrpcChannel channel, HeliumKeyPair key) => new(channel, key);

    /// <summary>Opens a stream, registers and, when <paramref name="session"/>, completes the session handshake.</summary>
    public static async Task<HeliumGatewayClient> ConnectAsync(GrpcChannel channel, HeliumKeyPair key, bool session = true, uint ackInterval = 0)
    {
        var client = new HeliumGatewayClient(channel, key);
        await client.RegisterAsync(session, ackInterval);
        if (session)
        {
            await client.EstablishSessionAsync();
        }

        return client;
    }

    public async Task RegisterAsync(bool sessionCapable, uint ackInterval = 0, HeliumKeyPair? signer = null, ulong? timestamp = null)
    {
        var register = new packet_router_register_v1
        {
            Timestamp = timestamp ?? (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Gateway = ByteString.CopyFrom(Key.PublicKey.AsSpan()),
            SessionCapable = sessionCapable,
            PacketAckInterval = ackInterval,
        };
        SignedMessages.Sign(register, signer ?? Key, (m, s) => m.Signature = s);
        await SendAsync(new envelope_up_v1 { Register = register });
    }

    /// <summary>Answers the session offer with a fresh ed25519 session key signed by the gateway key.</summary>
    public async Task EstablishSessionAsync(byte[]? nonceOverride = null)
    {
        var offer = await NextAsync(envelope_down_v1.DataOneofCase.SessionOffer);
        Session = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, Key.Network);
        var init = new packet_router_session_init_v1
        {
            Gateway = ByteString.CopyFrom(Key.PublicKey.AsSpan()),
            Nonce = nonceOverride is null ? offer.SessionOffer.Nonce : ByteString.CopyFrom(nonceOverride),
            SessionKey = ByteString.CopyFrom(Session.PublicKey.AsSpan()),
        };
        SignedMessages.Sign(init, Key, (m, s) => m.Signature = s);
        await SendAsync(new envelope_up_v1 { SessionInit = init });
    }

    /// <summary>Sends a packet signed with the session key (else the gateway key), unless told otherwise.</summary>
    public async Task SendPacketAsync(
        byte[] payload,
        ulong timestampMicros,
        uint frequency = 868_100_000,
        data_rate dataRate = data_rate.Sf7Bw125,
        int rssi = -80,
        float snr = 7.5f,
        HeliumKeyPair? signer = null,
        HeliumPublicKey? gateway = null)
    {
        var packet = new packet_router_packet_up_v1
        {
            Payload = ByteString.CopyFrom(payload),
            Timestamp = timestampMicros,
            Rssi = rssi,
            Frequency = frequency,
            Datarate = dataRate,
            Snr = snr,
            Region = region.Eu868,
            HoldTime = 12,
            Gateway = ByteString.CopyFrom((gateway ?? Key.PublicKey).AsSpan()),
        };
        SignedMessages.Sign(packet, signer ?? Session ?? Key, (m, s) => m.Signature = s);
        await SendAsync(new envelope_up_v1 { Packet = packet });
    }

    public async Task SendAsync(envelope_up_v1 envelope)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _call.RequestStream.WriteAsync(envelope);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The next message of a kind (messages of other kinds before it are skipped).</summary>
    public async Task<envelope_down_v1> NextAsync(envelope_down_v1.DataOneofCase kind, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var message = await _received.Reader.ReadAsync(cts.Token);
            if (message.DataCase == kind)
            {
                return message;
            }
        }
    }

    public bool TryTake(envelope_down_v1.DataOneofCase kind, out envelope_down_v1? message)
    {
        while (_received.Reader.TryRead(out var next))
        {
            if (next.DataCase == kind)
            {
                message = next;
                return true;
            }
        }

        message = null;
        return false;
    }

    public async Task<Status> WaitEndedAsync(TimeSpan? timeout = null) =>
        await Ended.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10));

    private async Task ReadAsync()
    {
        try
        {
            while (await _call.ResponseStream.MoveNext(CancellationToken.None))
            {
                _received.Writer.TryWrite(_call.ResponseStream.Current);
            }

            Ended.TrySetResult(_call.GetStatus());
        }
        catch (RpcException ex)
        {
            Ended.TrySetResult(ex.Status);
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _call.RequestStream.CompleteAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or RpcException or IOException)
        {
            // Already ended by the server.
        }

        await Task.WhenAny(_reader, Task.Delay(TimeSpan.FromSeconds(5)));
        _call.Dispose();
        Session?.Dispose();
        _writeLock.Dispose();
    }
}
