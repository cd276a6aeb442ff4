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
/// <para>Each key has a hash tag of its own (one tenant-hour, one gateway-hour, the report stream), so no command spans
/// two Redis Cluster slots. A write's commands are sent pipelined and are not one transaction: a crash between them can
/// leave a frame counted for its tenant but not (yet) for a gateway. Every single counter stays exact.</para>
/// <para>Records are group-committed: while one write is in flight, the records that arrive meanwhile are summed per
/// key and written together by the next one, and every caller returns only once the write holding its record is in
/// Redis. Under load this turns about a dozen commands per frame into a few per batch (the per-frame path is
/// otherwise dominated by them), without acknowledging anything that is not stored.</para>
/// </remarks>
public sealed class RedisPacketMeter : IPacketMeter
{
    private const string ReportField = "r";
    private const int ReportsPerScript = 500;
    private const int PlainReportAppends = 8;

    // ARGV[1]: the stream's approximate cap (0: none); ARGV[2..]: report bytes, one entry each, in order.
    private const string AppendReports = """
        local cap = tonumber(ARGV[1])
        for i = 2, #ARGV do
          if cap > 0 then
            redis.call('XADD', KEYS[1], 'MAXLEN', '~', cap, '*', 'r', ARGV[i])
          else
            redis.call('XADD', KEYS[1], '*', 'r', ARGV[i])
          end
        end
        return #ARGV - 1
        """;

    private readonly Lock _batchLock = new();
    private List<MeteredPacket> _batch = [];
    private TaskCompletionSource _batchWritten = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _writing;

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
        Task written;
        var startWriter = false;
        lock (_batchLock)
        {
            _batch.Add(packet);
            written = _batchWritten.Task;
            if (!_writing)
            {
                _writing = true;
                startWriter = true;
            }
        }

        if (startWriter)
        {
            _ = Task.Run(WriteBatchesAsync, CancellationToken.None);
        }

        // Cancelling the wait does not withdraw the record: once added it is written (and counted) like any other.
        await written.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes batches until none is waiting; one writer at a time.</summary>
    private async Task WriteBatchesAsync()
    {
        while (true)
        {
            List<MeteredPacket> batch;
            TaskCompletionSource done;
            lock (_batchLock)
            {
                if (_batch.Count == 0)
                {
                    _writing = false;
                    return;
                }

                batch = _batch;
                done = _batchWritten;
                _batch = [];
                _batchWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            try
            {
                await WriteAsync(batch).ConfigureAwait(false);
                done.SetResult();
            }
#pragma warning disable CA1031 // Handed to every caller of the batch, which log and count it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        }
    }

    private async Task WriteAsync(List<MeteredPacket> batch)
    {
        var db = Db;
        var tenants = new Dictionary<RedisKey, (long Copies, long Bytes, long DataCredits)>();
        var gateways = new Dictionary<RedisKey, (long Copies, long Bytes, long DataCredits)>();
        var reports = new List<RedisValue>();
        foreach (var packet in batch)
        {
            var tenantKey = TenantHour(packet.TenantId, packet.Hour);
            var sum = tenants.GetValueOrDefault(tenantKey);
            tenants[tenantKey] = (sum.Copies + packet.Copies, sum.Bytes + packet.Bytes, sum.DataCredits + packet.DataCredits);
            foreach (var gateway in packet.Gateways)
            {
                var key = GatewayHour(gateway, packet.Hour);
                var delivered = gateways.GetValueOrDefault(key);
                gateways[key] = (delivered.Copies + 1, delivered.Bytes + packet.BytesPerCopy, delivered.DataCredits + packet.DataCreditsPerCopy);
            }

            foreach (var report in packet.Reports)
            {
                reports.Add(report.ToByteArray());
            }
        }

        var writes = new List<Task>(4 * (tenants.Count + gateways.Count) + 1 + (reports.Count / ReportsPerScript));
        foreach (var (key, sum) in tenants)
        {
            writes.Add(db.HashIncrementAsync(key, "copies", sum.Copies));
            writes.Add(db.HashIncrementAsync(key, "bytes", sum.Bytes));
            writes.Add(db.HashIncrementAsync(key, "dc", sum.DataCredits));
            Expire(db, key, writes);
        }

        foreach (var (key, delivered) in gateways)
        {
            writes.Add(db.HashIncrementAsync(key, "copies", delivered.Copies));
            writes.Add(db.HashIncrementAsync(key, "bytes", delivered.Bytes));
            writes.Add(db.HashIncrementAsync(key, "dc", delivered.DataCredits));
            Expire(db, key, writes);
        }

        // A few reports go as plain XADDs; more as one script per chunk instead of one XADD each (a script costs Redis
        // several XADDs, and pays off beyond that). The stream is one key, so one slot.
        var maxLength = _options.MaxReports > 0 ? _options.MaxReports : 0;
        if (reports.Count <= PlainReportAppends)
        {
            foreach (var report in reports)
            {
                writes.Add(db.StreamAddAsync(Reports(), ReportField, report, maxLength: maxLength > 0 ? maxLength : null, useApproximateMaxLength: true));
            }
        }
        else
        {
            for (var start = 0; start < reports.Count; start += ReportsPerScript)
            {
                var count = Math.Min(ReportsPerScript, reports.Count - start);
                var values = new RedisValue[count + 1];
                values[0] = maxLength;
                reports.CopyTo(start, values, 1, count);
                writes.Add(db.ScriptEvaluateAsync(AppendReports, [Reports()], values));
            }
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
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
