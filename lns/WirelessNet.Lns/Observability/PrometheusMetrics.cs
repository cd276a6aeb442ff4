using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace WirelessNet.Lns.Observability;

/// <summary>
/// Collects the process's <c>WirelessNet.*</c> meters through a <see cref="MeterListener"/> and renders them in the
/// Prometheus text exposition format (version 0.0.4) for <c>/metrics</c>: counters as <c>_total</c> series per tag
/// set, histograms as cumulative buckets with <c>_sum</c> and <c>_count</c>.
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), CounterSeries> _counters = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), HistogramSeries> _histograms = new();
    private readonly ConcurrentDictionary<string, (string Description, string Kind)> _help = new(StringComparer.Ordinal);

    public PrometheusMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("WirelessNet", StringComparison.Ordinal))
            {
                _help[SeriesName(instrument)] = (instrument.Description ?? string.Empty, instrument is Histogram<double> ? "histogram" : "counter");
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument is Histogram<double>)
            {
                var series = _histograms.GetOrAdd((SeriesName(instrument), Labels(tags)), _ => new HistogramSeries(LatencyBuckets.Length));
                series.Record(value, LatencyBuckets);
            }
            else
            {
                Add(instrument, value, tags);
            }
        });
        _listener.Start();
    }

    /// <summary>The current values in the Prometheus text format.</summary>
    public string Render()
    {
        var text = new StringBuilder(4096);
        foreach (var group in _counters.GroupBy(c => c.Key.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var name = group.Key + "_total";
            Header(text, group.Key, name, "counter");
            foreach (var (key, series) in group.OrderBy(s => s.Key.Labels, StringComparer.Ordinal))
            {
                text.Append(name).Append(key.Labels).Append(' ').Append(series.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        foreach (var group in _histograms.GroupBy(c => c.Key.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Header(text, group.Key, group.Key, "histogram");
            foreach (var (key, series) in group)
            {
                series.Write(text, group.Key, key.Labels, LatencyBuckets);
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Header(StringBuilder text, string key, string name, string kind)
    {
        var help = _help.TryGetValue(key, out var h) ? h.Description : string.Empty;
        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(kind).Append('\n');
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _counters.GetOrAdd((SeriesName(instrument), Labels(tags)), _ => new CounterSeries()).Add(value);

    private static string SeriesName(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_').Replace('-', '_');
        return name.EndsWith("_total", StringComparison.Ordinal) ? name[..^6] : name;
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var pairs = new List<KeyValuePair<string, object?>>(tags.ToArray());
        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder("{");
        for (var i = 0; i < pairs.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var value = Convert.ToString(pairs[i].Value, CultureInfo.InvariantCulture) ?? string.Empty;
            text.Append(pairs[i].Key).Append("=\"")
                .Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal))
                .Append('"');
        }

        return text.Append('}').ToString();
    }

    private sealed class CounterSeries
    {
        private double _value;
        private readonly Lock _lock = new();

        public double Value
        {
            get
            {
                lock (_lock)
                {
                    return _value;
                }
            }
        }

        public void Add(double value)
        {
            lock (_lock)
            {
                _value += value;
            }
        }
    }

    private sealed class HistogramSeries(int bucketCount)
    {
        private readonly long[] _buckets = new long[bucketCount];
        private readonly Lock _lock = new();
        private double _sum;
        private long _count;

        public void Record(double value, double[] bounds)
        {
            lock (_lock)
            {
                for (var i = 0; i < bounds.Length; i++)
                {
                    if (value <= bounds[i])
                    {
                        _buckets[i]++;
                    }
                }

                _sum += value;
                _count++;
            }
        }

        public void Write(StringBuilder text, string name, string labels, double[] bounds)
        {
            lock (_lock)
            {
                var inner = labels.Length > 2 ? labels[1..^1] + "," : string.Empty;
                for (var i = 0; i < bounds.Length; i++)
                {
                    text.Append(name).Append("_bucket{").Append(inner).Append("le=\"").Append(bounds[i].ToString(CultureInfo.InvariantCulture)).Append("\"} ")
                        .Append(_buckets[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
                }

                text.Append(name).Append("_bucket{").Append(inner).Append("le=\"+Inf\"} ").Append(_count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                text.Append(name).Append("_sum").Append(labels).Append(' ').Append(_sum.ToString(CultureInfo.InvariantCulture)).Append('\n');
                text.Append(name).Append("_count").Append(labels).Append(' ').Append(_count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
    }
}
