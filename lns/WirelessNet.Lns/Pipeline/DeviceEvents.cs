using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Pipeline;

/// <summary>A device's data uplink, decrypted, with every gateway reception.</summary>
public sealed record DeviceUplinkEvent(
    Guid DeduplicationId,
    DateTimeOffset Time,
    Device Device,
    DeviceProfile Profile,
    DevAddr DevAddr,
    bool Adr,
    int DataRate,
    uint FCnt,
    int FPort,
    bool Confirmed,
    byte[] Data,
    IReadOnlyList<UplinkReception> Receptions);

public sealed record DeviceJoinEvent(Guid DeduplicationId, DateTimeOffset Time, Device Device, DeviceProfile Profile, DevAddr DevAddr);

/// <summary>A gateway confirmed transmitting a downlink to a device.</summary>
public sealed record DeviceTxAckEvent(uint DownlinkId, DateTimeOffset Time, Device Device, Guid? QueueItemId, uint FCntDown, Eui64 GatewayId);

/// <summary>The device acknowledged (or failed to acknowledge) a confirmed downlink.</summary>
public sealed record DeviceAckEvent(DateTimeOffset Time, Device Device, Guid QueueItemId, bool Acknowledged, uint FCntDown);

public enum DeviceLogLevel
{
    Info,
    Warning,
    Error,
}

/// <summary>Something about a device an integrator should see (rejected frames, ignored downlinks…).</summary>
public sealed record DeviceLogEvent(DateTimeOffset Time, Device Device, DeviceLogLevel Level, string Code, string Description);

/// <summary>Receives the events the pipeline produces for applications (published over MQTT by the host).</summary>
public interface IDeviceEventSink
{
    ValueTask OnUplinkAsync(DeviceUplinkEvent uplink, CancellationToken cancellationToken);

    ValueTask OnJoinAsync(DeviceJoinEvent join, CancellationToken cancellationToken);

    ValueTask OnTxAckAsync(DeviceTxAckEvent txAck, CancellationToken cancellationToken);

    ValueTask OnAckAsync(DeviceAckEvent ack, CancellationToken cancellationToken);

    ValueTask OnLogAsync(DeviceLogEvent log, CancellationToken cancellationToken);
}
