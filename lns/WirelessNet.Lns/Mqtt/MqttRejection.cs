namespace WirelessNet.Lns.Mqtt;

/// <summary>
/// Why an incoming MQTT message was not processed. <see cref="Reason"/> is a short, stable code (a metric tag, so it
/// must stay low-cardinality); <see cref="Detail"/> is for the log and never contains payload bytes.
/// </summary>
public sealed record MqttRejection(string Reason, string Detail)
{
    public override string ToString() => $"{Reason}: {Detail}";
}

/// <summary>The reason codes used in <see cref="MqttRejection.Reason"/> and the <c>reason</c> tag of the rejection counter.</summary>
public static class MqttRejectReasons
{
    public const string InvalidTopic = "invalid_topic";
    public const string UnsupportedTopic = "unsupported_topic";
    public const string EmptyPayload = "empty_payload";
    public const string PayloadTooLarge = "payload_too_large";
    public const string MalformedPayload = "malformed_payload";
    public const string GatewayIdMismatch = "gateway_id_mismatch";
    public const string MissingTxInfo = "missing_tx_info";
    public const string MissingRxInfo = "missing_rx_info";
    public const string UnsupportedModulation = "unsupported_modulation";
    public const string InvalidModulation = "invalid_modulation";
    public const string InvalidFrequency = "invalid_frequency";
    public const string EmptyPhyPayload = "empty_phy_payload";
    public const string PhyPayloadTooLarge = "phy_payload_too_large";
    public const string BadCrc = "bad_crc";
    public const string NoCrc = "no_crc";
    public const string DevEuiMismatch = "dev_eui_mismatch";
    public const string InvalidFPort = "invalid_fport";
    public const string DataTooLarge = "data_too_large";
    public const string EnqueueRejected = "enqueue_rejected";
    public const string HandlerFailed = "handler_failed";
}
