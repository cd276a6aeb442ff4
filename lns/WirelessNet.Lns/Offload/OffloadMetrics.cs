using System.Diagnostics.Metrics;
using WirelessNet.Lns.Pipeline;

namespace WirelessNet.Lns.Offload;

/// <summary>Carrier offload instruments on the server's meter (exported at /metrics).</summary>
public sealed class OffloadMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _records;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _heartbeats;
    private readonly Counter<long> _statements;
    private readonly Counter<long> _failures;

    public OffloadMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(PipelineMetrics.MeterName) ?? new Meter(PipelineMetrics.MeterName);
        _records = _meter.CreateCounter<long>("wirelessnet_offload_records", description: "Data-transfer records by outcome (accepted, retry) and transport");
        _rejected = _meter.CreateCounter<long>("wirelessnet_offload_records_rejected", description: "Offload records rejected, by kind and reason");
        _bytes = _meter.CreateCounter<long>("wirelessnet_offload_rewardable_bytes", description: "Rewardable bytes accepted, by carrier");
        _heartbeats = _meter.CreateCounter<long>("wirelessnet_offload_heartbeats", description: "Heartbeats and speed tests by outcome");
        _statements = _meter.CreateCounter<long>("wirelessnet_offload_statements", description: "Settlement statements issued, by kind");
        _failures = _meter.CreateCounter<long>("wirelessnet_offload_store_failures", description: "Batches not acknowledged because the store failed");
    }

    public Meter Meter => _meter;

    public void Accepted(string transport, string carrierId, long rewardableBytes)
    {
        _records.Add(1, new("outcome", "accepted"), new("transport", transport));
        _bytes.Add(rewardableBytes, new KeyValuePair<string, object?>("carrier", carrierId));
    }

    public void Retried(string transport) => _records.Add(1, new("outcome", "retry"), new("transport", transport));

    public void Rejected(string kind, string reason) => _rejected.Add(1, new("kind", kind), new("reason", reason));

    public void Heartbeat(string outcome) => _heartbeats.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Statement(string kind) => _statements.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void StoreFailure() => _failures.Add(1);

    public void Dispose() => _meter.Dispose();
}
