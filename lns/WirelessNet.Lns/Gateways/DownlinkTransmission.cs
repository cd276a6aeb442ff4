using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Gateways;

/// <summary>When a gateway should transmit a downlink item.</summary>
public abstract record DownlinkTiming
{
    private DownlinkTiming()
    {
    }

    /// <summary>As soon as possible (beacons, Class C).</summary>
    public sealed record Immediately : DownlinkTiming;

    /// <summary>A delay after the uplink identified by the item's context (Class A RX1/RX2).</summary>
    public sealed record Delay(TimeSpan After) : DownlinkTiming;

    /// <summary>At a time since the GPS epoch (Class B).</summary>
    public sealed record GpsEpoch(TimeSpan TimeSinceGpsEpoch) : DownlinkTiming;
}

/// <summary>One transmission opportunity; a Class A downlink has an RX1 item and an RX2 fallback.</summary>
public sealed record DownlinkItem(
    byte[] PhyPayload,
    ulong FrequencyHz,
    int PowerDbm,
    LoRaModulation Modulation,
    DownlinkTiming Timing,
    byte[] Context,
    int Board = 0,
    int Antenna = 0)
{
    /// <summary>For gateways clocked in µs (Helium): when to transmit on the concentrator clock.</summary>
    public ulong? GatewayTimestampMicros { get; init; }
}

/// <summary>A downlink for one gateway: the gateway tries the items in order until one can be sent.</summary>
public sealed record DownlinkTransmission(Eui64 GatewayId, uint DownlinkId, IReadOnlyList<DownlinkItem> Items);

/// <summary>Transmission outcome per item, as the ChirpStack gateway bridge reports it (values match <c>gw.TxAckStatus</c>).</summary>
public enum TxAckStatus
{
    Ignored = 0,
    Ok = 1,
    TooLate = 2,
    TooEarly = 3,
    CollisionPacket = 4,
    CollisionBeacon = 5,
    TxFrequency = 6,
    TxPower = 7,
    GpsUnlocked = 8,
    QueueFull = 9,
    InternalError = 10,
    DutyCycleOverflow = 11,
}

/// <summary>A gateway's acknowledgement of a downlink: one status per item it considered.</summary>
public sealed record DownlinkTxAck(Eui64 GatewayId, uint DownlinkId, IReadOnlyList<TxAckStatus> ItemStatuses)
{
    /// <summary>The item that was transmitted, or -1.</summary>
    public int TransmittedItem
    {
        get
        {
            for (var i = 0; i < ItemStatuses.Count; i++)
            {
                if (ItemStatuses[i] == TxAckStatus.Ok)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}

/// <summary>Sends a downlink to a gateway over whatever transport the gateway is connected with.</summary>
public interface IGatewayDownlinkSender
{
    ValueTask SendAsync(DownlinkTransmission transmission, GatewayTransport transport, CancellationToken cancellationToken);
}
