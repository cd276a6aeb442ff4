using System.Globalization;
using System.Text.Json;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Mqtt.Applications.Outbox;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Mqtt.Applications;

/// <summary>Publishes device events as ChirpStack v4 integration JSON on the server's broker connection.</summary>
public sealed class ApplicationEventPublisher : IApplicationEventPublisher
{
    private readonly IMqttMessagePublisher _publisher;
    private readonly ApplicationEventOutboxRelay? _relay;

    /// <param name="relay">Keeps events while the broker is unreachable; null publishes directly (and throws
    /// <see cref="MqttNotConnectedException"/> when it cannot).</param>
    public ApplicationEventPublisher(IMqttMessagePublisher publisher, ApplicationEventOutboxRelay? relay = null)
    {
        _publisher = publisher ?? throw new ArgumentNullException(nameof(publisher));
        _relay = relay;
    }

    public ValueTask PublishUplinkAsync(ApplicationUplinkEvent uplink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uplink);
        var json = JsonSerializer.SerializeToUtf8Bytes(ToJson(uplink), ApplicationEventsJsonContext.Default.UplinkEventJson);
        return PublishAsync(uplink.DeviceInfo, ApplicationTopics.Uplink, json, cancellationToken);
    }

    public ValueTask PublishJoinAsync(ApplicationJoinEvent join, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(join);
        var json = JsonSerializer.SerializeToUtf8Bytes(ToJson(join), ApplicationEventsJsonContext.Default.JoinEventJson);
        return PublishAsync(join.DeviceInfo, ApplicationTopics.Join, json, cancellationToken);
    }

    public ValueTask PublishAckAsync(ApplicationAckEvent ack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ack);
        var json = JsonSerializer.SerializeToUtf8Bytes(ToJson(ack), ApplicationEventsJsonContext.Default.AckEventJson);
        return PublishAsync(ack.DeviceInfo, ApplicationTopics.Ack, json, cancellationToken);
    }

    public ValueTask PublishTxAckAsync(ApplicationTxAckEvent txAck, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(txAck);
        var json = JsonSerializer.SerializeToUtf8Bytes(ToJson(txAck), ApplicationEventsJsonContext.Default.TxAckEventJson);
        return PublishAsync(txAck.DeviceInfo, ApplicationTopics.TxAck, json, cancellationToken);
    }

    public ValueTask PublishLogAsync(ApplicationLogEvent log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var json = JsonSerializer.SerializeToUtf8Bytes(ToJson(log), ApplicationEventsJsonContext.Default.LogEventJson);
        return PublishAsync(log.DeviceInfo, ApplicationTopics.Log, json, cancellationToken);
    }

    public static UplinkEventJson ToJson(ApplicationUplinkEvent uplink)
    {
        ArgumentNullException.ThrowIfNull(uplink);
        return new UplinkEventJson
        {
            DeduplicationId = uplink.DeduplicationId.ToString(),
            Time = uplink.Time.ToUniversalTime(),
            DeviceInfo = ToJson(uplink.DeviceInfo),
            DevAddr = uplink.DevAddr.ToString(),
            Adr = uplink.Adr,
            Dr = uplink.DataRate,
            FCnt = uplink.FCnt,
            FPort = uplink.FPort,
            Confirmed = uplink.Confirmed,
            Data = uplink.Data,
            RxInfo = [.. uplink.Receptions.Select(ToJson)],
            TxInfo = new UplinkTxInfoJson(uplink.FrequencyHz, ToJson(uplink.Modulation, downlink: false)),
        };
    }

    public static JoinEventJson ToJson(ApplicationJoinEvent join)
    {
        ArgumentNullException.ThrowIfNull(join);
        return new JoinEventJson(join.DeduplicationId.ToString(), join.Time.ToUniversalTime(), ToJson(join.DeviceInfo), join.DevAddr.ToString());
    }

    public static AckEventJson ToJson(ApplicationAckEvent ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        return new AckEventJson(
            ack.DeduplicationId?.ToString(),
            ack.Time.ToUniversalTime(),
            ToJson(ack.DeviceInfo),
            ack.QueueItemId.ToString(),
            ack.Acknowledged,
            ack.FCntDown);
    }

    public static TxAckEventJson ToJson(ApplicationTxAckEvent txAck)
    {
        ArgumentNullException.ThrowIfNull(txAck);
        return new TxAckEventJson
        {
            DownlinkId = txAck.DownlinkId,
            Time = txAck.Time.ToUniversalTime(),
            DeviceInfo = ToJson(txAck.DeviceInfo),
            QueueItemId = txAck.QueueItemId?.ToString(),
            FCntDown = txAck.FCntDown,
            GatewayId = txAck.GatewayId.ToString(),
            TxInfo = txAck.TxInfo is null ? null : ToJson(txAck.TxInfo),
        };
    }

    public static LogEventJson ToJson(ApplicationLogEvent log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var level = log.Level switch
        {
            ApplicationLogLevel.Warning => "WARNING",
            ApplicationLogLevel.Error => "ERROR",
            _ => "INFO",
        };
        return new LogEventJson(
            log.Time.ToUniversalTime(),
            ToJson(log.DeviceInfo),
            level,
            log.Code,
            log.Description,
            log.Context ?? new Dictionary<string, string>());
    }

    private static DeviceInfoJson ToJson(ApplicationDeviceInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new DeviceInfoJson(
            info.TenantId,
            info.TenantName,
            info.ApplicationId,
            info.ApplicationName,
            info.DeviceProfileId,
            info.DeviceProfileName,
            info.DeviceName,
            info.DevEui.ToString());
    }

    private static RxInfoJson ToJson(UplinkReception reception) => new()
    {
        GatewayId = reception.GatewayId.ToString(),
        UplinkId = reception.UplinkId,
        NsTime = reception.ReceivedAt.ToUniversalTime(),
        Rssi = reception.Rssi,
        Snr = reception.Snr,
        Channel = reception.Channel,
        RfChain = reception.RfChain,
        Board = reception.Board,
        Antenna = reception.Antenna,
        Location = reception.Location is { } l ? new LocationJson(l.Latitude, l.Longitude, l.Altitude) : null,
        Context = reception.Context,
        Metadata = reception.Metadata.Count == 0 ? null : reception.Metadata,

        // Only receptions with a valid CRC reach the pipeline.
        CrcStatus = "CRC_OK",
    };

    private static DownlinkTxInfoJson ToJson(DownlinkItem item) => new()
    {
        Frequency = item.FrequencyHz,
        Power = item.PowerDbm,
        Modulation = ToJson(item.Modulation, downlink: true),
        Board = item.Board,
        Antenna = item.Antenna,
        Timing = item.Timing switch
        {
            DownlinkTiming.Immediately => new TimingJson { Immediately = new EmptyJson() },
            DownlinkTiming.Delay d => new TimingJson { Delay = new DelayTimingJson(FormatDuration(d.After)) },
            DownlinkTiming.GpsEpoch g => new TimingJson { GpsEpoch = new GpsEpochTimingJson(FormatDuration(g.TimeSinceGpsEpoch)) },
            _ => null,
        },
        Context = item.Context,
    };

    private static ModulationJson ToJson(LoRaModulation modulation, bool downlink) =>
        new(new LoraModulationJson(modulation.BandwidthHz, modulation.SpreadingFactor, $"CR_4_{modulation.CodeRateDenominator}")
        {
            PolarizationInversion = downlink ? true : null,
        });

    /// <summary>The proto3 JSON form of a Duration: seconds with up to nine decimals and an "s".</summary>
    internal static string FormatDuration(TimeSpan duration) =>
        (duration.Ticks / (decimal)TimeSpan.TicksPerSecond).ToString("0.#########", CultureInfo.InvariantCulture) + "s";

    private ValueTask PublishAsync(ApplicationDeviceInfo deviceInfo, string eventType, byte[] json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceInfo);
        var topic = ApplicationTopics.EventTopic(deviceInfo.ApplicationId, deviceInfo.DevEui, eventType);
        var type = "application_" + eventType;
        return _relay is null ? _publisher.PublishAsync(topic, json, type, cancellationToken) : _relay.PublishAsync(topic, json, type, cancellationToken);
    }
}
