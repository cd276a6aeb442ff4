using System.Diagnostics.Metrics;

namespace WirelessNet.Lns.Mqtt;

/// <summary>
/// The MQTT adapters' instruments, on the server's <c>WirelessNet.Lns</c> meter: every message received (by type),
/// every rejection (by reason code, see <see cref="MqttRejectReasons"/>) and every message published (by type).
/// </summary>
public sealed class MqttMetrics : IDisposable
{
    public const string MeterName = "WirelessNet.Lns";

    private readonly Meter _meter;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _published;
    private readonly Counter<long> _held;
    private readonly Counter<long> _relayed;
    private readonly Counter<long> _refused;

    public MqttMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _messages = _meter.CreateCounter<long>("wirelessnet_mqtt_messages_total", description: "MQTT messages received, by type");
        _rejected = _meter.CreateCounter<long>("wirelessnet_mqtt_rejected_total", description: "MQTT messages rejected, by reason");
        _published = _meter.CreateCounter<long>("wirelessnet_mqtt_published_total", description: "MQTT messages published, by type");
        _held = _meter.CreateCounter<long>("wirelessnet_mqtt_outbox_held_total", description: "Application events put in the outbox because the broker was unreachable, by type");
        _relayed = _meter.CreateCounter<long>("wirelessnet_mqtt_outbox_relayed_total", description: "Application events published from the outbox, by type");
        _refused = _meter.CreateCounter<long>("wirelessnet_mqtt_outbox_refused_total", description: "Outbox events the broker refused (dropped after logging), by type");
    }

    /// <summary>For tests that listen to this instance's instruments only.</summary>
    internal Meter Meter => _meter;

    public void Received(string type) => _messages.Add(1, new KeyValuePair<string, object?>("type", type));

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Published(string type) => _published.Add(1, new KeyValuePair<string, object?>("type", type));

    public void HeldInOutbox(string type) => _held.Add(1, new KeyValuePair<string, object?>("type", type));

    public void RelayedFromOutbox(string type) => _relayed.Add(1, new KeyValuePair<string, object?>("type", type));

    public void RefusedFromOutbox(string type) => _refused.Add(1, new KeyValuePair<string, object?>("type", type));

    public void Dispose() => _meter.Dispose();
}
