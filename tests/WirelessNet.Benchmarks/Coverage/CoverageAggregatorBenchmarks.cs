using BenchmarkDotNet.Attributes;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Measured;

namespace WirelessNet.Benchmarks.Coverage;

/// <summary>
/// Measured-coverage ingestion: one observation = its res-12 hex, roll-up into res 8-11 and the gateway's own res-9
/// hexes. Observations are spread over a 30 × 30 km area with 200 gateways. "Steady" runs add into an aggregator that
/// already holds those hexes (the long-running case: no new dictionary slots); "cold" starts empty each time.
/// </summary>
[MemoryDiagnoser]
public class CoverageAggregatorBenchmarks
{
    private const int Count = 100_000;

    private CoverageObservation[] _distinctPositions = [];
    private CoverageObservation[] _uplinksHeardThrice = [];
    private CoverageAggregator _steadyDistinct = null!;
    private CoverageAggregator _steadyUplinks = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(8);
        var start = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
        LatLng Position() => new(52.2 + (random.NextDouble() * 0.27), 4.7 + (random.NextDouble() * 0.44));
        CoverageObservation Observation(LatLng at, int i) =>
            new(at, 0x70B3D57ED0000000UL + (ulong)random.Next(200), -130 + (random.NextDouble() * 60), -20 + (random.NextDouble() * 30), start.AddSeconds(i));

        // every observation at a new random position: no reuse of the previous cell
        _distinctPositions = [.. Enumerable.Range(0, Count).Select(i => Observation(Position(), i))];

        // a mapper's uplink heard by three gateways: three observations at the same position
        _uplinksHeardThrice = new CoverageObservation[Count];
        for (var i = 0; i < Count; i += 3)
        {
            var at = Position();
            for (var j = i; j < Math.Min(i + 3, Count); j++)
            {
                _uplinksHeardThrice[j] = Observation(at, i);
            }
        }

        _steadyDistinct = new CoverageAggregator();
        _steadyDistinct.Add(_distinctPositions);
        _steadyUplinks = new CoverageAggregator();
        _steadyUplinks.Add(_uplinksHeardThrice);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "Add, steady, every position new")]
    public int SteadyDistinct() => _steadyDistinct.Add(_distinctPositions);

    [Benchmark(OperationsPerInvoke = Count, Description = "Add, steady, uplinks heard by 3 gateways")]
    public int SteadyUplinks() => _steadyUplinks.Add(_uplinksHeardThrice);

    [Benchmark(OperationsPerInvoke = Count, Description = "Add, cold (empty aggregator), every position new")]
    public int ColdDistinct() => new CoverageAggregator().Add(_distinctPositions);
}
