using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Helium;

/// <summary>
/// The route streams live on this server instance, by gateway id, and the Helium downlink sender: a downlink goes to
/// the gateway's stream as <c>packet_router_packet_down_v1</c>. One stream per gateway: a stream that completes its
/// registration replaces the gateway's older one (gateways reconnect, and the newest connection is the one they read).
/// </summary>
public sealed class HeliumGatewayStreams(HeliumMetrics metrics, ILogger<HeliumGatewayStreams> logger) : IGatewayDownlinkSender
{
    private readonly ConcurrentDictionary<Eui64, HeliumRouteStream> _streams = new();

    /// <summary>Whether the gateway has a registered stream on this instance.</summary>
    public bool IsConnected(Eui64 gatewayId) => _streams.ContainsKey(gatewayId);

    /// <summary>How many gateways have a registered stream on this instance.</summary>
    public int Count => _streams.Count;

    /// <summary>
    /// Writes the downlink to the gateway's stream. Helium has one payload and two windows: the first item is RX1,
    /// the second (when it carries the same payload) RX2.
    /// </summary>
    /// <exception cref="HeliumGatewayNotConnectedException">The gateway has no stream on this instance.</exception>
    public ValueTask SendAsync(DownlinkTransmission transmission, GatewayTransport transport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transmission);
        if (transport != GatewayTransport.HeliumGrpc)
        {
            throw new ArgumentException($"The Helium packet router cannot send over {transport}.", nameof(transport));
        }

        var gatewayId = transmission.GatewayId;
        if (!_streams.TryGetValue(gatewayId, out var stream))
        {
            // Possibly connected to another server instance: forwarding between instances is not implemented yet.
            metrics.Downlink("no_stream");
            HeliumLog.DownlinkNotSent(logger, transmission.DownlinkId, gatewayId, "no route stream on this server instance");
            throw new HeliumGatewayNotConnectedException(gatewayId);
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

        if (!stream.TryEnqueue(new OutgoingEnvelope(envelope, transmission.DownlinkId)))
        {
            metrics.Downlink("queue_full");
            HeliumLog.DownlinkNotSent(logger, transmission.DownlinkId, gatewayId, "the stream's queue is full or closing");
            throw new InvalidOperationException($"The route stream of Helium gateway {gatewayId} is not accepting downlinks (full or closing).");
        }

        metrics.Downlink("queued");
        return ValueTask.CompletedTask;
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

    internal void Attach(HeliumRouteStream stream)
    {
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
    }

    /// <summary>Removes the stream unless a newer one has already taken its place.</summary>
    internal void Detach(HeliumRouteStream stream) =>
        _streams.TryRemove(new KeyValuePair<Eui64, HeliumRouteStream>(stream.GatewayId, stream));

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
        : base($"Helium gateway {gatewayId} has no route stream on this server instance (not connected, or connected to another instance).")
    {
        GatewayId = gatewayId;
    }

    public Eui64 GatewayId { get; }
}
