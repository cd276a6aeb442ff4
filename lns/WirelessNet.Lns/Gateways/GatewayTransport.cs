namespace WirelessNet.Lns.Gateways;

/// <summary>How a gateway reaches the server; downlinks go back the same way.</summary>
public enum GatewayTransport
{
    /// <summary>ChirpStack Gateway Bridge v4 over MQTT, protobuf payloads.</summary>
    MqttProtobuf,

    /// <summary>ChirpStack Gateway Bridge v4 over MQTT, proto3 JSON payloads.</summary>
    MqttJson,

    /// <summary>Helium packet-router gRPC stream.</summary>
    HeliumGrpc,
}
