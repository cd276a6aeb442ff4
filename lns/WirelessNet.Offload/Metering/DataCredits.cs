namespace WirelessNet.Offload.Metering;

/// <summary>
/// Data-credit arithmetic, exact in integers. DC = ceil(bytes / bytes_per_dc) per (hotspot, payer) bucket and burn
/// period, at least 1 for a bucket with any billed record (a session that moved nothing still used the network).
/// Summing buckets, never records, is what keeps per-record rounding from inflating the burn.
/// </summary>
public static class DataCredits
{
    /// <summary>Default bytes per data credit: $0.10 per GB at $0.00001 per DC is 10,000 DC per 10^9 bytes.</summary>
    public const long DefaultBytesPerDataCredit = 100_000;

    /// <summary>DC owed by one bucket: 0 without billed records, else max(1, ceil(bytes / bytesPerDataCredit)).</summary>
    public static long ForBucket(long billedRecords, long rewardableBytes, long bytesPerDataCredit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(billedRecords);
        ArgumentOutOfRangeException.ThrowIfNegative(rewardableBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerDataCredit);
        if (billedRecords == 0)
        {
            return 0;
        }

        // Quotient plus one for a remainder: ceil without the (bytes + d - 1) form, which could overflow.
        var credits = (rewardableBytes / bytesPerDataCredit) + (rewardableBytes % bytesPerDataCredit == 0 ? 0 : 1);
        return Math.Max(1, credits);
    }
}
