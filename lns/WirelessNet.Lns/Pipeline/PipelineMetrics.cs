using System.Diagnostics.Metrics;

namespace WirelessNet.Lns.Pipeline;

/// <summary>The pipeline's instruments (System.Diagnostics.Metrics; exported at /metrics by the host).</summary>
public sealed class PipelineMetrics : IDisposable
{
    public const string MeterName = "WirelessNet.Lns";

    private readonly Meter _meter;
    private readonly Counter<long> _receptions;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _joins;
    private readonly Counter<long> _downlinks;
    private readonly Histogram<double> _latency;

    public PipelineMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _receptions = _meter.CreateCounter<long>("wirelessnet_gateway_receptions", description: "Gateway receptions received");
        _duplicates = _meter.CreateCounter<long>("wirelessnet_uplink_duplicates", description: "Receptions merged into an uplink another reception started");
        _accepted = _meter.CreateCounter<long>("wirelessnet_uplinks_accepted", description: "Uplinks accepted, by message type");
        _rejected = _meter.CreateCounter<long>("wirelessnet_uplinks_rejected", description: "Uplinks rejected, by reason");
        _joins = _meter.CreateCounter<long>("wirelessnet_joins_accepted", description: "Join-Requests answered with a Join-Accept");
        _downlinks = _meter.CreateCounter<long>("wirelessnet_downlinks", description: "Downlinks by status (sent, or the gateway's TxAck status)");
        _latency = _meter.CreateHistogram<double>("wirelessnet_uplink_pipeline_seconds", unit: "s", description: "From the deduplication window's end to the uplink's outcome");
    }

    public void Reception() => _receptions.Add(1);

    public void Duplicate() => _duplicates.Add(1);

    public void Accepted(string kind) => _accepted.Add(1, new KeyValuePair<string, object?>("type", kind));

    public void Rejected(UplinkRejection reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));

    public void Join() => _joins.Add(1);

    public void Downlink(string status) => _downlinks.Add(1, new KeyValuePair<string, object?>("status", status));

    public void PipelineLatency(TimeSpan elapsed) => _latency.Record(elapsed.TotalSeconds);

    public void Dispose() => _meter.Dispose();
}
