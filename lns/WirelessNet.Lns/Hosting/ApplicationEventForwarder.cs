using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Mqtt.Applications;
using WirelessNet.Lns.Pipeline;

namespace WirelessNet.Lns.Hosting;

/// <summary>Turns the pipeline's device events into ChirpStack-style application events on MQTT.</summary>
public sealed class ApplicationEventForwarder(IApplicationEventPublisher publisher, ILogger<ApplicationEventForwarder> logger) : IDeviceEventSink
{
    private readonly ConcurrentDictionary<string, long> _dropped = new(StringComparer.Ordinal);

    public ValueTask OnUplinkAsync(DeviceUplinkEvent uplink, CancellationToken cancellationToken)
    {
        var best = uplink.Receptions[0];
        return PublishAsync("up", () => publisher.PublishUplinkAsync(
            new ApplicationUplinkEvent
            {
                DeduplicationId = uplink.DeduplicationId,
                Time = uplink.Time,
                DeviceInfo = Info(uplink.Device, uplink.Profile),
                DevAddr = uplink.DevAddr,
                Adr = uplink.Adr,
                DataRate = uplink.DataRate,
                FCnt = uplink.FCnt,
                FPort = uplink.FPort,
                Confirmed = uplink.Confirmed,
                Data = uplink.Data,
                Receptions = uplink.Receptions,
                FrequencyHz = best.FrequencyHz,
                Modulation = best.Modulation,
            },
            cancellationToken));
    }

    public ValueTask OnJoinAsync(DeviceJoinEvent join, CancellationToken cancellationToken) =>
        PublishAsync("join", () => publisher.PublishJoinAsync(new ApplicationJoinEvent(join.DeduplicationId, join.Time, Info(join.Device, join.Profile), join.DevAddr), cancellationToken));

    public ValueTask OnTxAckAsync(DeviceTxAckEvent txAck, CancellationToken cancellationToken) =>
        PublishAsync("txack", () => publisher.PublishTxAckAsync(new ApplicationTxAckEvent(txAck.DownlinkId, txAck.Time, Info(txAck.Device, null), txAck.QueueItemId, txAck.FCntDown, txAck.GatewayId, null), cancellationToken));

    public ValueTask OnAckAsync(DeviceAckEvent ack, CancellationToken cancellationToken) =>
        PublishAsync("ack", () => publisher.PublishAckAsync(new ApplicationAckEvent(null, ack.Time, Info(ack.Device, null), ack.QueueItemId, ack.Acknowledged, ack.FCntDown), cancellationToken));

    public ValueTask OnLogAsync(DeviceLogEvent log, CancellationToken cancellationToken) =>
        PublishAsync("log", () => publisher.PublishLogAsync(new ApplicationLogEvent(log.Time, Info(log.Device, null), (ApplicationLogLevel)log.Level, log.Code, log.Description), cancellationToken));

    private static ApplicationDeviceInfo Info(Device device, DeviceProfile? profile) => new()
    {
        TenantId = device.TenantId,
        ApplicationId = device.ApplicationId,
        DeviceProfileId = device.ProfileId,
        DeviceProfileName = profile?.Name ?? string.Empty,
        DeviceName = device.Name,
        DevEui = device.DevEui,
    };

    // The broker being away must not stall or fail the uplink path; what could not be published is counted.
    private async ValueTask PublishAsync(string kind, Func<ValueTask> publish)
    {
        try
        {
            await publish().ConfigureAwait(false);
        }
        catch (MqttNotConnectedException)
        {
            var dropped = _dropped.AddOrUpdate(kind, 1, (_, n) => n + 1);
            logger.LogWarning("Application event '{Kind}' not published: the MQTT broker is not connected ({Dropped} so far)", kind, dropped);
        }
    }
}
