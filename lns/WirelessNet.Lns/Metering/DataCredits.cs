namespace WirelessNet.Lns.Metering;

/// <summary>
/// The Helium data-credit rule: every purchased copy of an uplink (data or Join-Request) costs one credit per started
/// 24 bytes of payload, and at least one (1 DC = $0.00001).
/// </summary>
public static class DataCredits
{
    /// <summary>Payload bytes one data credit pays for.</summary>
    public const int BytesPerCredit = 24;

    /// <summary>Credits for one copy of a payload of <paramref name="payloadSize"/> bytes: ceil(max(size, 24) / 24).</summary>
    public static long ForPayload(int payloadSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadSize);

        // Empty and short payloads still cost one credit: max(size, 24) is what Helium rounds up.
        var billable = (long)Math.Max(payloadSize, BytesPerCredit);
        return (billable + BytesPerCredit - 1) / BytesPerCredit;
    }
}
