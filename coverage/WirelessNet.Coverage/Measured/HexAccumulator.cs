using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Measured;

/// <summary>Running reception statistics of one hex; a mutable struct updated in place in its dictionary slot.</summary>
internal struct HexAccumulator
{
    private long _count;
    private double _sumRssi;
    private double _sumSnr;
    private double _bestRssi;
    private double _bestSnr;
    private long _lastSeenUtcTicks;
    private DistinctGatewaySet _gateways;

    public void Add(in CoverageObservation observation, long utcTicks)
    {
        if (_count == 0)
        {
            _bestRssi = observation.Rssi;
            _bestSnr = observation.Snr;
        }
        else
        {
            _bestRssi = Math.Max(_bestRssi, observation.Rssi);
            _bestSnr = Math.Max(_bestSnr, observation.Snr);
        }

        _count++;
        _sumRssi += observation.Rssi;
        _sumSnr += observation.Snr;
        _lastSeenUtcTicks = Math.Max(_lastSeenUtcTicks, utcTicks);
        _gateways.Add(observation.GatewayId);
    }

    public readonly HexCoverage ToCoverage(ulong cell) => new(
        new H3Index(cell),
        _count,
        _gateways.Count,
        _gateways.IsExact,
        _bestRssi,
        _sumRssi / _count,
        _bestSnr,
        _sumSnr / _count,
        new DateTimeOffset(_lastSeenUtcTicks, TimeSpan.Zero));
}
