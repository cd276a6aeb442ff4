using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using WirelessNet.Coverage.Density;
using WirelessNet.Coverage.Tests.Density;

namespace WirelessNet.Benchmarks.Coverage;

/// <summary>
/// HIP 17 transmit scales of a 400,000-hotspot population (~360,000 active): the activity filter, the res 11 → 4
/// roll-up with 1-ring occupancy and one scale per hotspot. A macro benchmark: one computation per iteration.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class TransmitScaleBenchmarks
{
    private HotspotAssertion[] _hotspots = [];

    [GlobalSetup]
    public void Setup() => _hotspots = TransmitScaleWorkload.Create(400_000, seed: 1);

    [Benchmark(Description = "Transmit scales of 400,000 hotspots")]
    public int TransmitScales400k() => TransmitScales.Compute(_hotspots, TransmitScaleWorkload.Now).Count;
}
