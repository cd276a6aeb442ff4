using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Metering;

/// <summary>The purchased copies of one frame, as charged to one tenant in one UTC hour.</summary>
/// <param name="TenantId">The tenant of the device's profile.</param>
/// <param name="Hour">The UTC hour the charge falls in (minutes and below are zero).</param>
/// <param name="Copies">Purchased copies.</param>
/// <param name="Bytes">Payload bytes over all purchased copies.</param>
/// <param name="DataCredits">Data credits over all purchased copies.</param>
/// <param name="Gateways">The gateway of each purchased copy (every copy has the same size and price: one frame).</param>
/// <param name="Reports">One Helium packet report per purchased copy.</param>
public sealed record MeteredPacket(
    string TenantId,
    DateTimeOffset Hour,
    int Copies,
    long Bytes,
    long DataCredits,
    IReadOnlyList<Eui64> Gateways,
    IReadOnlyList<packet_router_packet_report_v1> Reports)
{
    /// <summary>Payload bytes of one copy.</summary>
    public long BytesPerCopy => Copies > 0 ? Bytes / Copies : 0;

    /// <summary>Data credits of one copy.</summary>
    public long DataCreditsPerCopy => Copies > 0 ? DataCredits / Copies : 0;
}

/// <summary>A tenant's totals in one UTC hour.</summary>
public sealed record MeterHour(DateTimeOffset Hour, long Copies, long Bytes, long DataCredits);

/// <summary>
/// Where charges accumulate: per tenant and hour (copies, bytes, DC), per gateway and hour (copies delivered), and the
/// packet reports. Only the deduplication collector of a frame records it, so each frame is counted once however many
/// instances saw copies of it; implementations must make concurrent records exact.
/// </summary>
public interface IPacketMeter
{
    ValueTask RecordAsync(MeteredPacket packet, CancellationToken cancellationToken);

    /// <summary>The tenant's hours with charges from <paramref name="from"/> up to and including <paramref name="to"/>'s hour, oldest first.</summary>
    ValueTask<IReadOnlyList<MeterHour>> GetTenantHoursAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Copies the gateway delivered in the UTC hour that contains <paramref name="hour"/>.</summary>
    ValueTask<long> GetGatewayCopiesAsync(Eui64 gatewayId, DateTimeOffset hour, CancellationToken cancellationToken);

    /// <summary>
    /// The gateway's hours with purchased copies from <paramref name="from"/> up to and including <paramref name="to"/>'s
    /// hour, oldest first: copies delivered, their bytes and the data credits they were charged.
    /// </summary>
    ValueTask<IReadOnlyList<MeterHour>> GetGatewayHoursAsync(Eui64 gatewayId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The most recent packet reports, oldest first, at most <paramref name="count"/>.</summary>
    ValueTask<IReadOnlyList<packet_router_packet_report_v1>> GetRecentReportsAsync(int count, CancellationToken cancellationToken);
}

/// <summary>UTC hour helpers shared by the meters.</summary>
public static class MeterHours
{
    /// <summary>The UTC hour containing <paramref name="at"/>.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>The hours from <paramref name="from"/>'s to <paramref name="to"/>'s, at most <paramref name="max"/>.</summary>
    public static IEnumerable<DateTimeOffset> Range(DateTimeOffset from, DateTimeOffset to, int max)
    {
        var hour = Truncate(from);
        var last = Truncate(to);
        for (var i = 0; i < max && hour <= last; i++, hour = hour.AddHours(1))
        {
            yield return hour;
        }
    }

    /// <summary>The key form of an hour, <c>yyyyMMddHH</c> (UTC).</summary>
    public static string Format(DateTimeOffset hour) =>
        Truncate(hour).ToString("yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture);
}
