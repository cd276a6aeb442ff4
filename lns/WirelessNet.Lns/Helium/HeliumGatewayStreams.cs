using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium.Relay;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Helium;

/// <summary>
/// The route streams live on this server instance, by gateway id, and the Helium downlink sender: a downlink goes to
/// the gateway's stream as <c>packet_router_packet_down_v1</c>. One stream per gateway: a stream that completes its
/// registration replaces the gateway's older one (gateways reconnect, and the newest connection is the one they read).
/// With a <see cref="IHeliumStreamRelay"/> (several instances on one Redis), a downlink for a gateway whose stream is
/// on another instance is forwarded there, and a newer stream on another instance replaces the local one too.
/// </summary>
public sealed class HeliumGatewayStreams(HeliumMetrics metrics, ILogger<HeliumGatewayStreams> logger, IHeliumStreamRelay? relay = null, TimeProvider? time = null) : IGatewayDownlinkSender
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private readonly ConcurrentDictionary<Eui64, HeliumRouteStream> _streams = new();

    /// <summary>Whether the gateway has a registered stream on this instance.</summary>
    public bool IsConnected(Eui64 gatewayId) => _streams.ContainsKey(gatewayId);

    /// <summary>How many gateways have a registered stream on this instance.</summary>
    public int Count => _streams.Count;

    /// <summary>
    /// Writes the downlink to the gateway's stream, on this instance or (through the relay) on the instance holding
    /// it. Helium has one payload and two windows: the first item is RX1, the second (when it carries the same
    /// payload) RX2.
    /// </summary>
    /// <exception cref="HeliumGatewayNotConnectedException">No instance holds a stream of the gateway.</exception>
    public async ValueTask SendAsync(DownlinkTransmission transmission, GatewayTransport transport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transmission);
        if (transport != GatewayTransport.HeliumGrpc)
        {
            throw new ArgumentException($"The Helium packet router cannot send over {transport}.", nameof(transport));
        }

        envelope_down_v1 envelope;
        try
        {
            envelope = ToEnvelope(transmission);
        }
        catch (ArgumentException)
        {
            metrics.Downlink("unsendable");
            throw;
        }

        var gatewayId = transmission.GatewayId;
        if (_streams.TryGetValue(gatewayId, out var stream))
        {
            Enqueue(stream, envelope, transmission.DownlinkId);
            metrics.Downlink("queued");
            return;
        }

        if (relay is not null && await ForwardAsync(gatewayId, transmission.DownlinkId, envelope, cancellationToken).ConfigureAwait(false))
        {
            metrics.Downlink("relayed");
            return;
        }

        metrics.Downlink("no_stream");
        HeliumLog.DownlinkNotSent(logger, transmission.DownlinkId, gatewayId, relay is null ? "no route stream on this server instance" : "no route stream on any server instance");
        throw new HeliumGatewayNotConnectedException(gatewayId);
    }

    /// <summary>A downlink another instance forwarded: written like a local one, or dropped (counted) when the stream has gone.</summary>
    internal void DeliverRelayed(Eui64 gatewayId, uint downlinkId, envelope_down_v1 envelope)
    {
        if (!_streams.TryGetValue(gatewayId, out var stream))
        {
            // The stream ended after the sender read the claim. Like a missing TxAck: the in-flight record expires
            // and a queued item goes out at the next opportunity.
            metrics.Downlink("relay_no_stream");
            HeliumLog.DownlinkNotSent(logger, downlinkId, gatewayId, "relayed here, but the route stream has ended");
            return;
        }

        try
        {
            Enqueue(stream, envelope, downlinkId);
            metrics.Downlink("relay_queued");
        }
        catch (InvalidOperationException)
        {
            // Counted and logged by Enqueue; nobody waits for an answer.
        }
    }

    /// <summary>Ends the local stream of the gateway if it registered before <paramref name="claimedAtUnixMs"/> (a newer one is elsewhere).</summary>
    internal void ReleaseLocal(Eui64 gatewayId, long claimedAtUnixMs)
    {
        if (_streams.TryGetValue(gatewayId, out var stream) && stream.AttachedAt.ToUnixTimeMilliseconds() <= claimedAtUnixMs)
        {
            stream.Replace();
        }
    }

    private async ValueTask<bool> ForwardAsync(Eui64 gatewayId, uint downlinkId, envelope_down_v1 envelope, CancellationToken cancellationToken)
    {
        try
        {
            return await relay!.TryForwardAsync(gatewayId, downlinkId, envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && e is not ArgumentException)
        {
            metrics.Downlink("relay_failed");
            HeliumLog.RelayFailed(logger, "forward", e);
            return false;
        }
    }

    private void Enqueue(HeliumRouteStream stream, envelope_down_v1 envelope, uint downlinkId)
    {
        if (!stream.TryEnqueue(new OutgoingEnvelope(envelope, downlinkId)))
        {
            metrics.Downlink("queue_full");
            HeliumLog.DownlinkNotSent(logger, downlinkId, stream.GatewayId, "the stream's queue is full or closing");
            throw new InvalidOperationException($"The route stream of Helium gateway {stream.GatewayId} is not accepting downlinks (full or closing).");
        }
    }

    /// <summary>The Helium form of a transmission (see <see cref="SendAsync"/>).</summary>
    /// <exception cref="ArgumentException">No items, an item Helium cannot express, or two windows with different payloads.</exception>
    internal static envelope_down_v1 ToEnvelope(DownlinkTransmission transmission)
    {
        if (transmission.Items.Count == 0)
        {
            throw new ArgumentException("A downlink needs at least one item.", nameof(transmission));
        }

        var first = transmission.Items[0];
        var down = new packet_router_packet_down_v1
        {
            Payload = ByteString.CopyFrom(first.PhyPayload),
            Rx1 = ToWindow(first),
        };
        if (transmission.Items.Count > 1 && transmission.Items[1].PhyPayload.AsSpan().SequenceEqual(first.PhyPayload))
        {
            down.Rx2 = ToWindow(transmission.Items[1]);
        }

        return new envelope_down_v1 { Packet = down };
    }

    /// <summary>Makes the stream the gateway's downlink route here, replacing an older one, and claims the gateway on the relay.</summary>
    internal async ValueTask AttachAsync(HeliumRouteStream stream, CancellationToken cancellationToken)
    {
        stream.AttachedAt = _time.GetUtcNow();
        HeliumRouteStream? previous = null;
        _streams.AddOrUpdate(stream.GatewayId, stream, (_, existing) =>
        {
            previous = existing;
            return stream;
        });
        if (previous is not null && !ReferenceEquals(previous, stream))
        {
            previous.Replace();
        }

        if (relay is not null)
        {
            try
            {
                await relay.ClaimAsync(stream.GatewayId, stream.AttachedAt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The relay retries the claim when it next refreshes; the stream itself is fine.
                HeliumLog.RelayFailed(logger, "claim", e);
            }
        }
    }

    /// <summary>Removes the stream unless a newer one has already taken its place, and then gives up its claim.</summary>
    internal async ValueTask DetachAsync(HeliumRouteStream stream)
    {
        if (!_streams.TryRemove(new KeyValuePair<Eui64, HeliumRouteStream>(stream.GatewayId, stream)) || relay is null)
        {
            return;
        }

        try
        {
            await relay.ReleaseAsync(stream.GatewayId, stream.AttachedAt, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The claim expires on its own; until then a forwarded downlink finds no stream and is counted.
            HeliumLog.RelayFailed(logger, "release", e);
        }
    }

    private static window_v1 ToWindow(DownlinkItem item)
    {
        if (!HeliumDataRates.TryGetDataRate(item.Modulation, out var dataRate))
        {
            throw new ArgumentException($"{item.Modulation} has no Helium data rate.", nameof(item));
        }

        if (item.FrequencyHz > uint.MaxValue)
        {
            throw new ArgumentException($"Frequency {item.FrequencyHz} Hz is out of range.", nameof(item));
        }

        var window = new window_v1 { Frequency = (uint)item.FrequencyHz, Datarate = dataRate };
        switch (item.Timing)
        {
            case DownlinkTiming.Immediately:
                window.Immediate = true;
                break;
            case DownlinkTiming.Delay when item.GatewayTimestampMicros is { } at:
                window.Timestamp = at;
                break;
            default:
                // A delay without the gateway's clock, or GPS time: Helium hotspots can only use their own µs clock.
                throw new ArgumentException($"Helium gateways cannot time a downlink by {item.Timing.GetType().Name} without a gateway timestamp.", nameof(item));
        }

        return window;
    }
}

/// <summary>A downlink for a Helium gateway that has no route stream on this server instance.</summary>
public sealed class HeliumGatewayNotConnectedException : InvalidOperationException
{
    public HeliumGatewayNotConnectedException()
    {
    }

    public HeliumGatewayNotConnectedException(string message)
        : base(message)
    {
    }

    public HeliumGatewayNotConnectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HeliumGatewayNotConnectedException(Eui64 gatewayId)
        : base($"Helium gateway {gatewayId} has no route stream on this server instance nor, through the relay, on another.")
    {
        GatewayId = gatewayId;
    }

    public Eui64 GatewayId { get; }
}
