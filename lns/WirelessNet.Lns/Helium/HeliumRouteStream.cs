using System.Threading.Channels;
using WirelessNet.Helium.Crypto;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Helium;

/// <summary>A message for the gateway; <see cref="DownlinkId"/> is set for downlinks (to acknowledge them once written).</summary>
internal readonly record struct OutgoingEnvelope(envelope_down_v1 Envelope, uint? DownlinkId);

/// <summary>
/// One registered route stream. Everything written to the gateway goes through <see cref="TryEnqueue"/>: a single
/// writer loop drains the channel into the gRPC response stream, which does not allow concurrent writes.
/// </summary>
internal sealed class HeliumRouteStream : IDisposable
{
    private readonly Channel<OutgoingEnvelope> _outbox;
    private readonly CancellationTokenSource _replaced = new();
    private byte[]? _unacknowledgedHash;

    public HeliumRouteStream(Eui64 gatewayId, HeliumPublicKey gatewayKey, int capacity)
    {
        GatewayId = gatewayId;
        GatewayKey = gatewayKey;

        // Bounded and failing fast: a gateway that does not read is not worth buffering stale downlinks for.
        _outbox = Channel.CreateBounded<OutgoingEnvelope>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public Eui64 GatewayId { get; }

    public HeliumPublicKey GatewayKey { get; }

    /// <summary>When the stream became the gateway's downlink route (set by <see cref="HeliumGatewayStreams"/>).</summary>
    public DateTimeOffset AttachedAt { get; set; }

    public ChannelReader<OutgoingEnvelope> Outbox => _outbox.Reader;

    /// <summary>Cancelled when a newer stream of the same gateway took over.</summary>
    public CancellationToken Replaced => _replaced.Token;

    public bool WasReplaced => _replaced.IsCancellationRequested;

    /// <summary>False when the outbox is full or the stream is closing.</summary>
    public bool TryEnqueue(OutgoingEnvelope envelope) => _outbox.Writer.TryWrite(envelope);

    /// <summary>No more messages: the writer loop drains what is queued and stops.</summary>
    public void Complete() => _outbox.Writer.TryComplete();

    public void Replace()
    {
        try
        {
            _replaced.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The stream has already ended.
        }
    }

    /// <summary>Remembers the hash of the latest accepted payload for the next packet_ack.</summary>
    public void Accepted(byte[] payloadHash) => Volatile.Write(ref _unacknowledgedHash, payloadHash);

    /// <summary>The latest accepted payload's hash not acknowledged yet, or null.</summary>
    public byte[]? TakeUnacknowledged() => Interlocked.Exchange(ref _unacknowledgedHash, null);

    public void Dispose() => _replaced.Dispose();
}
