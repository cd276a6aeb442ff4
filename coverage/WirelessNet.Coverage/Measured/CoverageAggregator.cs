using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Measured;

/// <summary>
/// Incremental per-hex reception statistics at resolutions 8-12 (configurable) and per gateway, from observations.
/// </summary>
/// <remarks>
/// Single writer: not thread-safe. One thread adds (or callers serialise access, as <see cref="InMemoryCoverageStore"/> does
/// with a lock). Adding allocates nothing in the steady state: statistics live in place in dictionary slots, and a hex
/// allocates only for its fifth distinct gateway and beyond. Consecutive observations from the same position (one uplink
/// heard by several gateways) reuse the cell already computed.
/// An observation is placed in the resolution-12 hex (the finest kept) of its position; coarser statistics are roll-ups
/// of those hexes into their H3 ancestors, so each coarse hex sums exactly its children (H3 parents do not cover their
/// children exactly, so near a hex edge this can differ from the coarse hex the point itself lies in).
/// </remarks>
public sealed class CoverageAggregator
{
    private readonly int _minRes;
    private readonly int _maxRes;
    private readonly int _hotspotRes;
    private readonly HexTable[] _levels;
    private readonly Dictionary<ulong, HexTable> _byGateway = [];

    private LatLng _lastPosition = new(double.NaN, double.NaN);
    private ulong _lastCell;
    private ulong _lastGateway;
    private HexTable? _lastGatewayHexes;

    public CoverageAggregator(CoverageAggregatorOptions? options = null)
    {
        options ??= new CoverageAggregatorOptions();
        if (options.MinResolution < 0 || options.MaxResolution > H3Grid.MaxResolution || options.MinResolution > options.MaxResolution)
        {
            throw new ArgumentException("Need 0 <= MinResolution <= MaxResolution <= 15.", nameof(options));
        }

        if (options.HotspotResolution < 0 || options.HotspotResolution > options.MaxResolution)
        {
            throw new ArgumentException("HotspotResolution must be between 0 and MaxResolution.", nameof(options));
        }

        _minRes = options.MinResolution;
        _maxRes = options.MaxResolution;
        _hotspotRes = options.HotspotResolution;
        _levels = new HexTable[_maxRes + 1];
        for (var res = _minRes; res <= _maxRes; res++)
        {
            _levels[res] = new HexTable(1024);
        }
    }

    /// <summary>Observations added.</summary>
    public long ObservationCount { get; private set; }

    /// <summary>Observations refused for a position that is not a finite latitude/longitude in range.</summary>
    public long RejectedCount { get; private set; }

    /// <summary>The resolutions kept.</summary>
    public (int Min, int Max) Resolutions => (_minRes, _maxRes);

    /// <summary>The resolution of per-gateway coverage.</summary>
    public int HotspotResolution => _hotspotRes;

    /// <summary>Adds one observation; false (and counted in <see cref="RejectedCount"/>) when its position is invalid.</summary>
    public bool Add(in CoverageObservation observation)
    {
        if (!TryGetCell(observation.Position, out var cell))
        {
            return false;
        }

        Update(observation, cell, GatewayHexes(observation.GatewayId));
        return true;
    }

    /// <summary>Adds observations; returns how many were accepted.</summary>
    public int Add(ReadOnlySpan<CoverageObservation> observations)
    {
        // Software pipelining: while observation i's cell is computed (~0.3 µs of arithmetic), the hex slots of observation
        // i-1, prefetched before, arrive from memory; then i-1 is updated. Large tables otherwise cost a serial cache miss
        // per resolution.
        var accepted = 0;
        var pending = -1;
        ulong pendingCell = 0;
        HexTable? pendingGatewayHexes = null;
        for (var i = 0; i < observations.Length; i++)
        {
            if (!TryGetCell(observations[i].Position, out var cell))
            {
                continue;
            }

            var gatewayHexes = GatewayHexes(observations[i].GatewayId);
            Prefetch(cell, gatewayHexes);
            if (pending >= 0)
            {
                Update(observations[pending], pendingCell, pendingGatewayHexes!);
            }

            pending = i;
            pendingCell = cell;
            pendingGatewayHexes = gatewayHexes;
            accepted++;
        }

        if (pending >= 0)
        {
            Update(observations[pending], pendingCell, pendingGatewayHexes!);
        }

        return accepted;
    }

    private bool TryGetCell(LatLng position, out ulong cell)
    {
        if (position == _lastPosition)
        {
            cell = _lastCell;
            return true;
        }

        if (!double.IsFinite(position.Lat) || !double.IsFinite(position.Lng) || Math.Abs(position.Lat) > 90 || Math.Abs(position.Lng) > 180)
        {
            RejectedCount++;
            cell = 0;
            return false;
        }

        cell = H3Grid.LatLngToCell(position, _maxRes).Value;
        _lastPosition = position;
        _lastCell = cell;
        return true;
    }

    private void Prefetch(ulong cell, HexTable gatewayHexes)
    {
        for (var res = _maxRes; res >= _minRes; res--)
        {
            var hex = res == _maxRes ? cell : H3Grid.CellToParent(new H3Index(cell), res).Value;
            _levels[res].Prefetch(hex);
        }

        gatewayHexes.Prefetch(H3Grid.CellToParent(new H3Index(cell), _hotspotRes).Value);
    }

    private HexTable GatewayHexes(ulong gatewayId)
    {
        if (gatewayId != _lastGateway || _lastGatewayHexes is null)
        {
            ref var hexes = ref CollectionsMarshal.GetValueRefOrAddDefault(_byGateway, gatewayId, out _);
            hexes ??= new HexTable();
            _lastGateway = gatewayId;
            _lastGatewayHexes = hexes;
        }

        return _lastGatewayHexes;
    }

    private void Update(in CoverageObservation observation, ulong cell, HexTable gatewayHexes)
    {
        var ticks = observation.Time.UtcTicks;
        for (var res = _maxRes; res >= _minRes; res--)
        {
            var hex = res == _maxRes ? cell : H3Grid.CellToParent(new H3Index(cell), res).Value;
            _levels[res].GetOrAdd(hex).Add(observation, ticks);
        }

        gatewayHexes.GetOrAdd(H3Grid.CellToParent(new H3Index(cell), _hotspotRes).Value).Add(observation, ticks);
        ObservationCount++;
    }

    /// <summary>The statistics of a hex at one of the kept resolutions.</summary>
    public bool TryGetHex(H3Index cell, [NotNullWhen(true)] out HexCoverage? coverage)
    {
        var res = cell.Resolution;
        if (res >= _minRes && res <= _maxRes && H3Grid.IsValidCell(cell) && _levels[res].TryGetValue(cell.Value, out var hex))
        {
            coverage = hex.ToCoverage(cell.Value);
            return true;
        }

        coverage = null;
        return false;
    }

    /// <summary>The hexes (at <see cref="HotspotResolution"/>) where a gateway received, with that gateway's statistics only.</summary>
    public List<HexCoverage> GetGatewayCoverage(ulong gatewayId)
    {
        var result = new List<HexCoverage>();
        if (_byGateway.TryGetValue(gatewayId, out var hexes))
        {
            hexes.ForEach(result, static (list, cell, hex) => list.Add(hex.ToCoverage(cell)));

            result.Sort((a, b) => a.Cell.CompareTo(b.Cell));
        }

        return result;
    }

    /// <summary>Number of hexes with statistics at a resolution.</summary>
    public int HexCount(int res) => res >= _minRes && res <= _maxRes ? _levels[res].Count : 0;
}
