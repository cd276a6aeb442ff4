namespace WirelessNet.Lns.Helium;

/// <summary>Values of the <c>reason</c> tag of <c>wirelessnet_helium_packets_rejected_total</c>.</summary>
public static class HeliumRejectReasons
{
    /// <summary>Not a Join-Request or a data uplink (or no payload at all).</summary>
    public const string InvalidMType = "invalid_mtype";

    /// <summary>The packet names another gateway than the one that registered the stream.</summary>
    public const string GatewayMismatch = "gateway_mismatch";

    /// <summary>The gateway is no longer provisioned.</summary>
    public const string UnknownGateway = "unknown_gateway";

    /// <summary>The gateway is provisioned but denied.</summary>
    public const string DeniedGateway = "denied_gateway";

    /// <summary>Without a session: not signed by the gateway key.</summary>
    public const string InvalidSignature = "invalid_signature";

    /// <summary>With a session: not signed by the session key.</summary>
    public const string InvalidSessionSignature = "invalid_session_signature";

    /// <summary>Over the per-gateway packet rate.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The same payload again within the per-payload interval.</summary>
    public const string RepeatedPayload = "repeated_payload";

    /// <summary>LR-FHSS, FSK or an unknown data rate.</summary>
    public const string UnsupportedDataRate = "unsupported_data_rate";

    /// <summary>A stream-level message out of place (second register, session init without offer…).</summary>
    public const string UnexpectedMessage = "unexpected_message";
}
