using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Mqtt.Applications;

/// <summary>Who a device belongs to, as ChirpStack's <c>deviceInfo</c> describes it in every integration event.</summary>
public sealed record ApplicationDeviceInfo
{
    public required string TenantId { get; init; }

    public string TenantName { get; init; } = string.Empty;

    public required string ApplicationId { get; init; }

    public string ApplicationName { get; init; } = string.Empty;

    public string DeviceProfileId { get; init; } = string.Empty;

    public string DeviceProfileName { get; init; } = string.Empty;

    public string DeviceName { get; init; } = string.Empty;

    public required Eui64 DevEui { get; init; }
}

/// <summary>A decrypted data uplink with every gateway reception (ChirpStack <c>event/up</c>).</summary>
public sealed record ApplicationUplinkEvent
{
    public required Guid DeduplicationId { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required ApplicationDeviceInfo DeviceInfo { get; init; }

    public required DevAddr DevAddr { get; init; }

    public bool Adr { get; init; }

    public int DataRate { get; init; }

    public uint FCnt { get; init; }

    public int FPort { get; init; }

    public bool Confirmed { get; init; }

    public byte[] Data { get; init; } = [];

    public required IReadOnlyList<UplinkReception> Receptions { get; init; }

    public required ulong FrequencyHz { get; init; }

    public required LoRaModulation Modulation { get; init; }
}

/// <summary>A device (re)joined (ChirpStack <c>event/join</c>).</summary>
public sealed record ApplicationJoinEvent(Guid DeduplicationId, DateTimeOffset Time, ApplicationDeviceInfo DeviceInfo, DevAddr DevAddr);

/// <summary>A confirmed downlink was acknowledged, or not (ChirpStack <c>event/ack</c>).</summary>
public sealed record ApplicationAckEvent(
    Guid? DeduplicationId,
    DateTimeOffset Time,
    ApplicationDeviceInfo DeviceInfo,
    Guid QueueItemId,
    bool Acknowledged,
    uint FCntDown);

/// <summary>A gateway confirmed transmitting a downlink (ChirpStack <c>event/txack</c>).</summary>
public sealed record ApplicationTxAckEvent(
    uint DownlinkId,
    DateTimeOffset Time,
    ApplicationDeviceInfo DeviceInfo,
    Guid? QueueItemId,
    uint FCntDown,
    Eui64 GatewayId,
    DownlinkItem? TxInfo);

public enum ApplicationLogLevel
{
    Info,
    Warning,
    Error,
}

/// <summary>Something the integrator should know about a device (ChirpStack <c>event/log</c>).</summary>
public sealed record ApplicationLogEvent(
    DateTimeOffset Time,
    ApplicationDeviceInfo DeviceInfo,
    ApplicationLogLevel Level,
    string Code,
    string Description,
    IReadOnlyDictionary<string, string>? Context = null);
