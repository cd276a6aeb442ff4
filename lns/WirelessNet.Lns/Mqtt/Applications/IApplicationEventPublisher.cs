namespace WirelessNet.Lns.Mqtt.Applications;

/// <summary>
/// Publishes device events to applications as ChirpStack v4 MQTT integration JSON on
/// <c>application/{applicationId}/device/{devEui}/event/{up|join|ack|txack|log}</c>. The pipeline calls it.
/// Implementations throw <see cref="MqttNotConnectedException"/> while the broker connection is down.
/// </summary>
public interface IApplicationEventPublisher
{
    ValueTask PublishUplinkAsync(ApplicationUplinkEvent uplink, CancellationToken cancellationToken);

    ValueTask PublishJoinAsync(ApplicationJoinEvent join, CancellationToken cancellationToken);

    ValueTask PublishAckAsync(ApplicationAckEvent ack, CancellationToken cancellationToken);

    ValueTask PublishTxAckAsync(ApplicationTxAckEvent txAck, CancellationToken cancellationToken);

    ValueTask PublishLogAsync(ApplicationLogEvent log, CancellationToken cancellationToken);
}
