using System.Collections.Concurrent;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Metering;

/// <summary>
/// The meter of a single process (<c>Store:Kind=InMemory</c>): exact under concurrent records, lost on restart. Packet
/// reports are kept in a bounded list, the oldest dropped first.
/// </summary>
public sealed class InMemoryPacketMeter(MeteringOptions? options = null) : IPacketMeter
{
    private readonly MeteringOptions _options = options ?? new MeteringOptions();
    private readonly ConcurrentDictionary<(string Tenant, DateTimeOffset Hour), Totals> _tenants = new();
    private readonly ConcurrentDictionary<(Eui64 Gateway, DateTimeOffset Hour), Totals> _gateways = new();
    private readonly Queue<packet_router_packet_report_v1> _reports = new();

    public ValueTask RecordAsync(MeteredPacket packet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packet);
        cancellationToken.ThrowIfCancellationRequested();
        var hour = MeterHours.Truncate(packet.Hour);
        _tenants.GetOrAdd((packet.TenantId, hour), _ => new Totals()).Add(packet.Copies, packet.Bytes, packet.DataCredits);
        foreach (var gateway in packet.Gateways)
        {
            _gateways.GetOrAdd((gateway, hour), _ => new Totals()).Add(1, packet.BytesPerCopy, packet.DataCreditsPerCopy);
        }

        lock (_reports)
        {
            foreach (var report in packet.Reports)
            {
                _reports.Enqueue(report);
            }

            while (_reports.Count > Math.Max(0, _options.MaxReports))
            {
                _reports.Dequeue();
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<MeterHour>> GetTenantHoursAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        var hours = new List<MeterHour>();
        foreach (var hour in MeterHours.Range(from, to, _options.MaxQueryHours))
        {
            if (_tenants.TryGetValue((tenantId, hour), out var totals))
            {
                hours.Add(totals.ToHour(hour));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<MeterHour>>(hours);
    }

    public ValueTask<long> GetGatewayCopiesAsync(Eui64 gatewayId, DateTimeOffset hour, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_gateways.TryGetValue((gatewayId, MeterHours.Truncate(hour)), out var totals) ? totals.ToHour(hour).Copies : 0L);

    public ValueTask<IReadOnlyList<MeterHour>> GetGatewayHoursAsync(Eui64 gatewayId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var hours = new List<MeterHour>();
        foreach (var hour in MeterHours.Range(from, to, _options.MaxQueryHours))
        {
            if (_gateways.TryGetValue((gatewayId, hour), out var totals))
            {
                hours.Add(totals.ToHour(hour));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<MeterHour>>(hours);
    }

    public ValueTask<IReadOnlyList<packet_router_packet_report_v1>> GetRecentReportsAsync(int count, CancellationToken cancellationToken)
    {
        lock (_reports)
        {
            var all = _reports.ToArray();
            return ValueTask.FromResult<IReadOnlyList<packet_router_packet_report_v1>>(all[Math.Max(0, all.Length - Math.Max(0, count))..]);
        }
    }

    /// <summary>Three counters updated with Interlocked: exact under concurrency without a lock per record.</summary>
    private sealed class Totals
    {
        private long _copies;
        private long _bytes;
        private long _dataCredits;

        public void Add(long copies, long bytes, long dataCredits)
        {
            Interlocked.Add(ref _copies, copies);
            Interlocked.Add(ref _bytes, bytes);
            Interlocked.Add(ref _dataCredits, dataCredits);
        }

        public MeterHour ToHour(DateTimeOffset hour) =>
            new(MeterHours.Truncate(hour), Interlocked.Read(ref _copies), Interlocked.Read(ref _bytes), Interlocked.Read(ref _dataCredits));
    }
}
