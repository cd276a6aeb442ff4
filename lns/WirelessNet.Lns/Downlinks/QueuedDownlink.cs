using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Downlinks;

/// <summary>An application downlink waiting for a transmission opportunity.</summary>
public sealed record QueuedDownlink
{
    public required Guid Id { get; init; }

    public required Eui64 DevEui { get; init; }

    public required int FPort { get; init; }

    public required byte[] Data { get; init; }

    public bool Confirmed { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }
}

/// <summary>
/// A downlink handed to a gateway and not yet acknowledged. Only a TxAck with an OK item consumes the queue item and
/// advances the downlink counter it used; without one, the queue item stays and is sent again later.
/// </summary>
public sealed record InFlightDownlink
{
    public required uint DownlinkId { get; init; }

    public required Eui64 DevEui { get; init; }

    public required Eui64 GatewayId { get; init; }

    /// <summary>The queue item this transmission carries, if any (MAC-only answers and ACKs carry none).</summary>
    public Guid? QueueItemId { get; init; }

    /// <summary>The downlink counter the frame used.</summary>
    public required uint FCnt { get; init; }

    /// <summary>True when the counter is the 1.1 application counter (AFCntDown), false for NFCntDown.</summary>
    public bool UsesApplicationCounter { get; init; }

    public bool IsJoinAccept { get; init; }

    /// <summary>A confirmed downlink: once transmitted, the device's next uplink must acknowledge it.</summary>
    public bool Confirmed { get; init; }

    public DateTimeOffset SentAt { get; init; }
}
