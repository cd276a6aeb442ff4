using Google.Protobuf;
using StackExchange.Redis;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Metering;

/// <summary>
/// The meter shared by every server instance (<c>Store:Kind=Redis</c>; schema in docs/redis-keys.md, "Metering"):
/// HINCRBY on per-hour hashes, so concurrent writers on any instance add up exactly, and packet reports appended to a
/// capped stream as the protobuf bytes of <c>packet_router_packet_report_v1</c>.
/// </summary>
/// <remarks>
/// Each key has a hash tag of its own (one tenant-hour, one gateway-hour, the report stream), so no command spans two
/// Redis Cluster slots. A record's commands are sent pipelined and are not one transaction: a crash between them can
/// leave a frame counted for its tenant but not (yet) for a gateway. Every single counter stays exact.
/// </remarks>
public sealed class RedisPacketMeter : IPacketMeter
{
    private const string ReportField = "r";

    private readonly IConnectionMultiplexer _connection;
    private readonly int _database;
    private readonly string _prefix;
    private readonly MeteringOptions _options;

    public RedisPacketMeter(IConnectionMultiplexer connection, RedisStoreOptions? storeOptions = null, MeteringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        storeOptions ??= new RedisStoreOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(storeOptions.KeyPrefix);
        if (storeOptions.KeyPrefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            // A brace in the prefix would become (part of) the hash tag and put every key into one slot.
            throw new ArgumentException("The Redis key prefix must not contain '{' or '}'.", nameof(storeOptions));
        }

        _connection = connection;
        _database = storeOptions.Database;
        _prefix = storeOptions.KeyPrefix;
        _options = options ?? new MeteringOptions();
    }

    // Asked for every call: GetDatabase is cheap, and a proxy multiplexer (tests) sees each use.
    private IDatabase Db => _connection.GetDatabase(_database);

    /// <summary>Hash of one tenant's hour: fields <c>copies</c>, <c>bytes</c>, <c>dc</c>.</summary>
    internal RedisKey TenantHour(string tenantId, DateTimeOffset hour) =>
        $"{_prefix}:{{meter:{RedisKeys.EncodeIdentifier(tenantId)}:{MeterHours.Format(hour)}}}";

    /// <summary>Hash of one gateway's hour: fields <c>copies</c>, <c>bytes</c>, <c>dc</c> of the copies it delivered.</summary>
    internal RedisKey GatewayHour(Eui64 gatewayId, DateTimeOffset hour) =>
        $"{_prefix}:{{gwmeter:{gatewayId}:{MeterHours.Format(hour)}}}";

    /// <summary>Stream of packet reports (field <c>r</c>: protobuf bytes).</summary>
    internal RedisKey Reports() => $"{_prefix}:{{packet-reports}}";

    public async ValueTask RecordAsync(MeteredPacket packet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packet);
        cancellationToken.ThrowIfCancellationRequested();
        var db = Db;
        var tenantKey = TenantHour(packet.TenantId, packet.Hour);
        var writes = new List<Task>(8 + packet.Gateways.Count + packet.Reports.Count)
        {
            db.HashIncrementAsync(tenantKey, "copies", packet.Copies),
            db.HashIncrementAsync(tenantKey, "bytes", packet.Bytes),
            db.HashIncrementAsync(tenantKey, "dc", packet.DataCredits),
        };
        Expire(db, tenantKey, writes);

        // One HINCRBY per distinct gateway: the deduplicator already keeps one copy per gateway, but grouping keeps
        // the count right whatever the caller passes.
        foreach (var group in packet.Gateways.GroupBy(g => g))
        {
            var key = GatewayHour(group.Key, packet.Hour);
            writes.Add(db.HashIncrementAsync(key, "copies", group.Count()));
            writes.Add(db.HashIncrementAsync(key, "bytes", group.Count() * packet.BytesPerCopy));
            writes.Add(db.HashIncrementAsync(key, "dc", group.Count() * packet.DataCreditsPerCopy));
            Expire(db, key, writes);
        }

        var maxReports = _options.MaxReports > 0 ? _options.MaxReports : (int?)null;
        foreach (var report in packet.Reports)
        {
            writes.Add(db.StreamAddAsync(Reports(), ReportField, report.ToByteArray(), maxLength: maxReports, useApproximateMaxLength: true));
        }

        await Task.WhenAll(writes).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<IReadOnlyList<MeterHour>> GetTenantHoursAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        return ReadHoursAsync(hour => TenantHour(tenantId, hour), from, to, cancellationToken);
    }

    public ValueTask<IReadOnlyList<MeterHour>> GetGatewayHoursAsync(Eui64 gatewayId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadHoursAsync(hour => GatewayHour(gatewayId, hour), from, to, cancellationToken);

    private async ValueTask<IReadOnlyList<MeterHour>> ReadHoursAsync(Func<DateTimeOffset, RedisKey> key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var db = Db;
        var reads = MeterHours.Range(from, to, _options.MaxQueryHours)
            .Select(hour => (Hour: hour, Values: db.HashGetAsync(key(hour), ["copies", "bytes", "dc"])))
            .ToList();
        await Task.WhenAll(reads.Select(r => r.Values)).WaitAsync(cancellationToken).ConfigureAwait(false);
        var hours = new List<MeterHour>();
        foreach (var (hour, values) in reads)
        {
            var v = await values.ConfigureAwait(false);
            if (v.Any(x => !x.IsNull))
            {
                hours.Add(new MeterHour(hour, ToLong(v[0]), ToLong(v[1]), ToLong(v[2])));
            }
        }

        return hours;
    }

    public async ValueTask<long> GetGatewayCopiesAsync(Eui64 gatewayId, DateTimeOffset hour, CancellationToken cancellationToken)
    {
        var value = await Db.HashGetAsync(GatewayHour(gatewayId, hour), "copies").WaitAsync(cancellationToken).ConfigureAwait(false);
        return ToLong(value);
    }

    public async ValueTask<IReadOnlyList<packet_router_packet_report_v1>> GetRecentReportsAsync(int count, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return [];
        }

        var entries = await Db.StreamRangeAsync(Reports(), count: count, messageOrder: Order.Descending).WaitAsync(cancellationToken).ConfigureAwait(false);
        var reports = new List<packet_router_packet_report_v1>(entries.Length);
        for (var i = entries.Length - 1; i >= 0; i--)
        {
            var bytes = (byte[]?)entries[i][ReportField];
            if (bytes is not null)
            {
                reports.Add(packet_router_packet_report_v1.Parser.ParseFrom(bytes));
            }
        }

        return reports;
    }

    private void Expire(IDatabase db, RedisKey key, List<Task> writes)
    {
        // Refreshed on every write, so an hour lives for the retention after its last charge.
        if (_options.Retention > TimeSpan.Zero)
        {
            writes.Add(db.KeyExpireAsync(key, _options.Retention));
        }
    }

    private static long ToLong(RedisValue value) => value.IsNull ? 0 : (long)value;
}
