namespace WirelessNet.Lns.Mqtt;

/// <summary>Publishes on the server's broker connection (the one <see cref="Gateways.MqttGatewayBridge"/> maintains).</summary>
public interface IMqttMessagePublisher
{
    /// <summary>True while connected to the broker.</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Publishes one message with the configured QoS. Throws <see cref="MqttNotConnectedException"/> while the
    /// connection is down (nothing is buffered: a downlink is only useful on time) and
    /// <see cref="InvalidOperationException"/> when the broker refuses the message.
    /// </summary>
    ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, string type, CancellationToken cancellationToken);
}

/// <summary>The broker connection is down; the message was not published.</summary>
public sealed class MqttNotConnectedException : InvalidOperationException
{
    public MqttNotConnectedException()
        : base("Not connected to the MQTT broker.")
    {
    }

    public MqttNotConnectedException(string message)
        : base(message)
    {
    }

    public MqttNotConnectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
