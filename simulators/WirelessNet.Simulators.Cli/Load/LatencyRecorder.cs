namespace WirelessNet.Simulators.Cli.Load;

/// <summary>Latencies in microseconds, kept exactly (the runs are bounded), with percentiles on demand.</summary>
internal sealed class LatencyRecorder
{
    private readonly List<long> _micros = [];
    private readonly Lock _lock = new();

    public void Record(TimeSpan latency)
    {
        lock (_lock)
        {
            _micros.Add(latency.Ticks / 10);
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _micros.Count;
            }
        }
    }

    public TimeSpan Percentile(double p)
    {
        lock (_lock)
        {
            if (_micros.Count == 0)
            {
                return TimeSpan.Zero;
            }

            _micros.Sort();
            var index = (int)Math.Clamp(Math.Ceiling(p / 100.0 * _micros.Count) - 1, 0, _micros.Count - 1);
            return TimeSpan.FromTicks(_micros[index] * 10);
        }
    }
}
