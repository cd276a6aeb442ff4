using System.Buffers;
using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using WirelessNet.Coverage.Geo;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Measured;
using WirelessNet.Lns.Storage.Redis;
using Field = WirelessNet.Lns.Coverage.RedisCoverageScripts.Field;

namespace WirelessNet.Lns.Coverage;

/// <summary>
/// Measured coverage in Redis (standalone or Cluster), shared by every server instance: the same statistics as
/// <see cref="InMemoryCoverageStore"/>, updated incrementally and atomically per hex by any number of writers. The key
/// schema is in docs/redis-keys.md ("Measured coverage").
/// </summary>
/// <remarks>
/// <para>A batch of observations is first summed per hex in process (an uplink heard by three gateways touches each of
/// its five hexes once, not three times), then each hex is updated by one script call; the calls are issued together
/// and travel pipelined. Each hex's update is atomic; a batch as a whole is not (its hexes live in different slots), so
/// a reader may briefly see a fine hex updated before its coarse parent.</para>
/// <para>Semantics follow the in-memory store: observations go to their resolution-<c>MaxResolution</c> hex and roll up to
/// its H3 ancestors down to <c>MinResolution</c>; distinct gateways are exact up to 64, then a HyperLogLog estimate
/// (Redis's, ±0.81%, reported as at least 65 and not exact). One difference: observations whose RSSI or SNR is not a
/// finite number are skipped, because HINCRBYFLOAT refuses them and a NaN would poison the hex for good.</para>
/// </remarks>
public sealed class RedisCoverageStore : ICoverageStore
{
    /// <summary>Distinct gateways counted exactly per hex; the in-memory store's <c>DistinctGatewaySet.ExactCapacity</c>.</summary>
    public const int ExactGatewayCapacity = 64;

    // GEOADD refuses latitudes beyond the Web Mercator limit.
    private const double MaxIndexedLatitude = 85.05112878;

    // EARTH_RADIUS_IN_METERS of Redis's geohash_helper.c: the sphere GEOSEARCH measures its box on.
    private const double RedisEarthRadiusMeters = 6372797.560856;

    private readonly IConnectionMultiplexer _connection;
    private readonly int _database;
    private readonly RedisCoverageKeys _keys;
    private readonly int _minRes;
    private readonly int _maxRes;
    private readonly int _hotspotRes;

    /// <param name="connection">The host's connection (shared with the session store).</param>
    /// <param name="storeOptions">Key prefix and database, as for the session store (<c>Redis</c> section).</param>
    /// <param name="options">The resolutions kept; every instance sharing a prefix must use the same.</param>
    public RedisCoverageStore(IConnectionMultiplexer connection, RedisStoreOptions? storeOptions = null, CoverageAggregatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        storeOptions ??= new RedisStoreOptions();
        options ??= new CoverageAggregatorOptions();
        if (options.MinResolution < 0 || options.MaxResolution > H3Grid.MaxResolution || options.MinResolution > options.MaxResolution)
        {
            throw new ArgumentException("Need 0 <= MinResolution <= MaxResolution <= 15.", nameof(options));
        }

        if (options.HotspotResolution < 0 || options.HotspotResolution > options.MaxResolution)
        {
            throw new ArgumentException("HotspotResolution must be between 0 and MaxResolution.", nameof(options));
        }

        _connection = connection;
        _database = storeOptions.Database;
        _keys = new RedisCoverageKeys(storeOptions.KeyPrefix);
        _minRes = options.MinResolution;
        _maxRes = options.MaxResolution;
        _hotspotRes = options.HotspotResolution;
    }

    public (int Min, int Max) Resolutions => (_minRes, _maxRes);

    // Asked for every call rather than kept: GetDatabase is cheap, and a proxy multiplexer (tests) sees each use.
    private IDatabase Db => _connection.GetDatabase(_database);

    public async ValueTask AddObservationsAsync(ReadOnlyMemory<CoverageObservation> observations, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (hexes, gatewayHexes) = Summarise(observations.Span);
        if (hexes.Count == 0)
        {
            return;
        }

        var db = Db;
        var updates = new List<Task>(hexes.Count + gatewayHexes.Count);
        foreach (var (cell, statistics) in hexes)
        {
            updates.Add(db.ScriptEvaluateAsync(
                RedisCoverageScripts.Add,
                [_keys.Hex(cell), _keys.HexGateways(cell), _keys.HexGatewaySketch(cell)],
                statistics.ToArguments(string.Empty)));
        }

        foreach (var ((gatewayId, cell), statistics) in gatewayHexes)
        {
            updates.Add(db.ScriptEvaluateAsync(
                RedisCoverageScripts.Add,
                [_keys.GatewayCoverage(gatewayId)],
                statistics.ToArguments(RedisCoverageKeys.GatewayCoverageFieldPrefix(cell))));
        }

        // Every call is on the wire by now; cancelling stops the wait, not the updates.
        await Task.WhenAll(updates).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask UpsertHotspotAsync(HotspotLocation hotspot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hotspot);
        var (lat, lng) = (hotspot.Position.Lat, hotspot.Position.Lng);
        if (!double.IsFinite(lat) || !double.IsFinite(lng))
        {
            throw new ArgumentException("A hotspot position must be finite.", nameof(hotspot));
        }

        var indexed = Math.Abs(lat) <= MaxIndexedLatitude && Math.Abs(lng) <= 180;
        await Db.ScriptEvaluateAsync(
                RedisCoverageScripts.UpsertHotspot,
                [_keys.Hotspots(), _keys.HotspotIndex()],
                [GatewayIds.Format(hotspot.Id), HotspotJson.Write(hotspot), indexed ? "1" : "0", lng, lat])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<HexCoverage?> GetHexAsync(H3Index cell, CancellationToken cancellationToken = default)
    {
        if (!IsKept(cell))
        {
            return null;
        }

        var result = await ReadHexAsync(Db, cell.Value).WaitAsync(cancellationToken).ConfigureAwait(false);
        return ToHexCoverage(cell.Value, result);
    }

    public async ValueTask<IReadOnlyList<HexCoverage>> GetHexesAsync(IReadOnlyList<H3Index> cells, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cells);

        // In chunks: a map view asks for up to tens of thousands of cells, most of them empty; a chunk's reads travel
        // pipelined, and the chunks keep the number of replies in flight bounded.
        const int Chunk = 1024;
        var db = Db;
        var result = new List<HexCoverage>();
        var reads = new List<(ulong Cell, Task<RedisResult> Read)>(Math.Min(cells.Count, Chunk));
        for (var start = 0; start < cells.Count; start += Chunk)
        {
            reads.Clear();
            for (var i = start; i < Math.Min(cells.Count, start + Chunk); i++)
            {
                if (IsKept(cells[i]))
                {
                    reads.Add((cells[i].Value, ReadHexAsync(db, cells[i].Value)));
                }
            }

            await Task.WhenAll(reads.Select(r => r.Read)).WaitAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (cell, read) in reads)
            {
                if (ToHexCoverage(cell, await read.ConfigureAwait(false)) is { } coverage)
                {
                    result.Add(coverage);
                }
            }
        }

        return result;
    }

    public async ValueTask<HotspotLocation?> GetHotspotAsync(ulong hotspotId, CancellationToken cancellationToken = default)
    {
        var json = await Db.HashGetAsync(_keys.Hotspots(), GatewayIds.Format(hotspotId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return json.IsNull ? null : HotspotJson.Read(hotspotId, json!);
    }

    public async ValueTask<IReadOnlyList<HotspotLocation>> GetHotspotsAsync(GeoBoundingBox box, CancellationToken cancellationToken = default)
    {
        var db = Db;
        var result = new List<HotspotLocation>();
        if (TryGetSearchBox(box, out var center, out var searchBox))
        {
            var candidates = await db.GeoSearchAsync(_keys.HotspotIndex(), center.Lng, center.Lat, searchBox, options: GeoRadiusOptions.None)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            if (candidates.Length > 0)
            {
                var ids = Array.ConvertAll(candidates, c => c.Member);
                var values = await db.HashGetAsync(_keys.Hotspots(), ids).WaitAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < ids.Length; i++)
                {
                    Collect(result, box, ids[i], values[i]);
                }
            }
        }
        else
        {
            // Boxes GEOSEARCH cannot bound well (near a pole, or a large part of the globe) read every hotspot. Such a
            // box holds most of them anyway, and only this path sees hotspots too close to a pole for GEOADD.
            await foreach (var entry in db.HashScanAsync(_keys.Hotspots(), pageSize: 1000).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                Collect(result, box, entry.Name, entry.Value);
            }
        }

        result.Sort((a, b) => a.Id.CompareTo(b.Id));
        return result;

        // Candidates are re-checked against the stored position: the search box is larger than the query, and geo
        // sets keep positions only to 52-bit geohash precision.
        static void Collect(List<HotspotLocation> result, GeoBoundingBox box, RedisValue id, RedisValue json)
        {
            if (!json.IsNull && GatewayIds.TryParse((string?)id, out var hotspotId) && HotspotJson.Read(hotspotId, json!) is { } hotspot && box.Contains(hotspot.Position))
            {
                result.Add(hotspot);
            }
        }
    }

    public async ValueTask<IReadOnlyList<HexCoverage>> GetHotspotCoverageAsync(ulong hotspotId, CancellationToken cancellationToken = default)
    {
        // One HGETALL: a consistent snapshot of every hex of the gateway (one hash, updated by whole-hex scripts).
        var entries = await Db.HashGetAllAsync(_keys.GatewayCoverage(hotspotId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        var fieldsByCell = new Dictionary<ulong, Dictionary<string, string>>();
        foreach (var entry in entries)
        {
            var name = (string)entry.Name!;
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !H3Index.TryParse(name.AsSpan(0, colon), out var cell))
            {
                continue;
            }

            if (!fieldsByCell.TryGetValue(cell.Value, out var fields))
            {
                fieldsByCell[cell.Value] = fields = new Dictionary<string, string>(6, StringComparer.Ordinal);
            }

            fields[name[(colon + 1)..]] = (string)entry.Value!;
        }

        var result = new List<HexCoverage>(fieldsByCell.Count);
        foreach (var (cell, fields) in fieldsByCell)
        {
            if (fields.TryGetValue(Field.Count, out var count) && fields.TryGetValue(Field.SumRssi, out var sumRssi) &&
                fields.TryGetValue(Field.SumSnr, out var sumSnr) && fields.TryGetValue(Field.BestRssi, out var bestRssi) &&
                fields.TryGetValue(Field.BestSnr, out var bestSnr) && fields.TryGetValue(Field.LastSeenTicks, out var ticks))
            {
                // A gateway's own statistics: the one gateway, as in memory.
                result.Add(ToHexCoverage(cell, count, sumRssi, sumSnr, bestRssi, bestSnr, ticks, distinctGateways: 1, exact: true));
            }
        }

        result.Sort((a, b) => a.Cell.CompareTo(b.Cell));
        return result;
    }

    private bool IsKept(H3Index cell) => cell.Resolution >= _minRes && cell.Resolution <= _maxRes && H3Grid.IsValidCell(cell);

    private Task<RedisResult> ReadHexAsync(IDatabase db, ulong cell) =>
        db.ScriptEvaluateAsync(RedisCoverageScripts.ReadHex, [_keys.Hex(cell), _keys.HexGateways(cell), _keys.HexGatewaySketch(cell)]);

    /// <summary>Sums a batch per hex (all kept resolutions) and per gateway hex, as the in-memory aggregator places it.</summary>
    private (Dictionary<ulong, BatchStatistics> Hexes, Dictionary<(ulong Gateway, ulong Cell), BatchStatistics> GatewayHexes) Summarise(
        ReadOnlySpan<CoverageObservation> observations)
    {
        var hexes = new Dictionary<ulong, BatchStatistics>();
        var gatewayHexes = new Dictionary<(ulong, ulong), BatchStatistics>();
        var lastPosition = new LatLng(double.NaN, double.NaN);
        var cell = 0UL;
        foreach (ref readonly var observation in observations)
        {
            var position = observation.Position;
            if (!double.IsFinite(observation.Rssi) || !double.IsFinite(observation.Snr))
            {
                continue;
            }

            // One uplink heard by several gateways is several observations at one position: compute its cell once.
            if (position != lastPosition)
            {
                if (!double.IsFinite(position.Lat) || !double.IsFinite(position.Lng) || Math.Abs(position.Lat) > 90 || Math.Abs(position.Lng) > 180)
                {
                    continue;
                }

                cell = H3Grid.LatLngToCell(position, _maxRes).Value;
                lastPosition = position;
            }

            var ticks = observation.Time.UtcTicks;
            for (var res = _maxRes; res >= _minRes; res--)
            {
                var hex = res == _maxRes ? cell : H3Grid.CellToParent(new H3Index(cell), res).Value;
                if (!hexes.TryGetValue(hex, out var statistics))
                {
                    hexes[hex] = statistics = new BatchStatistics(withGateways: true);
                }

                statistics.Add(observation, ticks);
            }

            var gatewayHex = (observation.GatewayId, H3Grid.CellToParent(new H3Index(cell), _hotspotRes).Value);
            if (!gatewayHexes.TryGetValue(gatewayHex, out var own))
            {
                gatewayHexes[gatewayHex] = own = new BatchStatistics(withGateways: false);
            }

            own.Add(observation, ticks);
        }

        return (hexes, gatewayHexes);
    }

    private static HexCoverage? ToHexCoverage(ulong cell, RedisResult result)
    {
        if (result.IsNull)
        {
            return null;
        }

        var v = (RedisResult[])result!;
        return ToHexCoverage(
            cell, (string)v[0]!, (string)v[1]!, (string)v[2]!, (string)v[3]!, (string)v[4]!, (string)v[5]!,
            distinctGateways: (long)v[6], exact: (long)v[7] == 1);
    }

    private static HexCoverage ToHexCoverage(
        ulong cell, string count, string sumRssi, string sumSnr, string bestRssi, string bestSnr, string ticks, long distinctGateways, bool exact)
    {
        var n = long.Parse(count, CultureInfo.InvariantCulture);
        return new HexCoverage(
            new H3Index(cell),
            n,
            exact ? (int)distinctGateways : (int)Math.Max(ExactGatewayCapacity + 1, distinctGateways),
            exact,
            ParseDouble(bestRssi),
            ParseDouble(sumRssi) / n,
            ParseDouble(bestSnr),
            ParseDouble(sumSnr) / n,
            new DateTimeOffset(long.Parse(ticks, CultureInfo.InvariantCulture), TimeSpan.Zero));
    }

    private static double ParseDouble(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>
    /// A GEOSEARCH box (centre, width, height in metres) holding every point of <paramref name="box"/>, or false when the
    /// box is too close to a pole or too large for that to be tight (the caller then scans).
    /// </summary>
    /// <remarks>
    /// Redis keeps a point when its distance from the centre along the meridian is at most height/2, and the great-circle
    /// distance between it and the centre's longitude, at the point's own latitude, is at most width/2. That distance is at
    /// most R·cos φ·Δλ, largest at the box latitude nearest the equator. A small margin covers geohash rounding; the
    /// caller drops the extra candidates.
    /// </remarks>
    private static bool TryGetSearchBox(GeoBoundingBox box, out LatLng center, out GeoSearchBox searchBox)
    {
        center = default;
        searchBox = null!;
        if (box.MaxLat > 80 || box.MinLat < -80 || box.MaxLat - box.MinLat > 60 || box.MaxLng - box.MinLng > 90)
        {
            return false;
        }

        const double Margin = 1.001;
        const double SlackMeters = 10;
        center = new LatLng((box.MinLat + box.MaxLat) / 2, (box.MinLng + box.MaxLng) / 2);
        var nearestEquator = box.MinLat <= 0 && box.MaxLat >= 0 ? 0 : Math.Min(Math.Abs(box.MinLat), Math.Abs(box.MaxLat));
        var halfHeight = RedisEarthRadiusMeters * double.DegreesToRadians(box.MaxLat - center.Lat);
        var halfWidth = RedisEarthRadiusMeters * Math.Cos(double.DegreesToRadians(nearestEquator)) * double.DegreesToRadians(box.MaxLng - center.Lng);
        searchBox = new GeoSearchBox(
            height: 2 * ((halfHeight * Margin) + SlackMeters),
            width: 2 * ((halfWidth * Margin) + SlackMeters),
            unit: GeoUnit.Meters);
        return true;
    }

    /// <summary>One hex's share of a batch, summed in process before its single script call.</summary>
    private sealed class BatchStatistics(bool withGateways)
    {
        private readonly HashSet<ulong>? _gateways = withGateways ? [] : null;
        private long _count;
        private double _sumRssi;
        private double _sumSnr;
        private double _bestRssi;
        private double _bestSnr;
        private long _lastSeenTicks;

        public void Add(in CoverageObservation observation, long ticks)
        {
            _bestRssi = _count == 0 ? observation.Rssi : Math.Max(_bestRssi, observation.Rssi);
            _bestSnr = _count == 0 ? observation.Snr : Math.Max(_bestSnr, observation.Snr);
            _count++;
            _sumRssi += observation.Rssi;
            _sumSnr += observation.Snr;
            _lastSeenTicks = Math.Max(_lastSeenTicks, ticks);
            _gateways?.Add(observation.GatewayId);
        }

        public RedisValue[] ToArguments(string fieldPrefix)
        {
            var arguments = new RedisValue[8 + (_gateways?.Count ?? 0)];
            arguments[0] = fieldPrefix;
            arguments[1] = _count;
            arguments[2] = Format(_sumRssi);
            arguments[3] = Format(_sumSnr);
            arguments[4] = Format(_bestRssi);
            arguments[5] = Format(_bestSnr);
            arguments[6] = _lastSeenTicks.ToString("D19", CultureInfo.InvariantCulture);
            arguments[7] = ExactGatewayCapacity;
            var i = 8;
            foreach (var gateway in _gateways ?? [])
            {
                arguments[i++] = GatewayIds.Format(gateway);
            }

            return arguments;
        }

        // Shortest round-trip form: parsed back (by Lua or .NET) to the same double.
        private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>The stored form of a hotspot: {"lat":…,"lng":…,"name":…} with round-trip numbers.</summary>
    private static class HotspotJson
    {
        public static byte[] Write(HotspotLocation hotspot)
        {
            var buffer = new ArrayBufferWriter<byte>(64);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("lat", hotspot.Position.Lat);
                writer.WriteNumber("lng", hotspot.Position.Lng);
                if (hotspot.Name is not null)
                {
                    writer.WriteString("name", hotspot.Name);
                }

                writer.WriteEndObject();
            }

            return buffer.WrittenSpan.ToArray();
        }

        public static HotspotLocation? Read(ulong id, byte[] json)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                var root = document.RootElement;
                var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                return new HotspotLocation(id, new LatLng(root.GetProperty("lat").GetDouble(), root.GetProperty("lng").GetDouble()), name);
            }
            catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                // Not written by this store: treat as absent rather than fail every map query.
                return null;
            }
        }
    }
}
