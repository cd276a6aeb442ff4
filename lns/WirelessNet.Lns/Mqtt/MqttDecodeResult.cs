using System.Diagnostics.CodeAnalysis;
using WirelessNet.Lns.Gateways;

namespace WirelessNet.Lns.Mqtt;

/// <summary>The outcome of decoding one MQTT payload: a value (and the encoding it arrived in), or a rejection.</summary>
public readonly struct MqttDecodeResult<T>
    where T : notnull
{
    private MqttDecodeResult(T? value, GatewayTransport encoding, MqttRejection? rejection)
    {
        Value = value;
        Encoding = encoding;
        Rejection = rejection;
    }

    public T? Value { get; }

    /// <summary>The payload encoding (meaningful when the payload could be parsed).</summary>
    public GatewayTransport Encoding { get; }

    public MqttRejection? Rejection { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsSuccess => Rejection is null;

    public static MqttDecodeResult<T> Success(T value, GatewayTransport encoding) => new(value, encoding, null);

    public static MqttDecodeResult<T> Rejected(string reason, string detail) => new(default, default, new MqttRejection(reason, detail));

    public static MqttDecodeResult<T> Rejected(MqttRejection rejection) => new(default, default, rejection);
}
