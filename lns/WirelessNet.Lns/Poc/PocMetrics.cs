using System.Diagnostics.Metrics;
using WirelessNet.Lns.Pipeline;

namespace WirelessNet.Lns.Poc;

/// <summary>Proof-of-coverage instruments, on the server's meter (exported at /metrics).</summary>
public sealed class PocMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _reports;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _verdicts;
    private readonly Counter<long> _rounds;
    private readonly Counter<long> _beacons;

    public PocMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(PipelineMetrics.MeterName) ?? new Meter(PipelineMetrics.MeterName);
        _reports = _meter.CreateCounter<long>("wirelessnet_poc_reports_accepted", description: "PoC reports accepted at ingest, by kind (beacon, witness) and source");
        _rejected = _meter.CreateCounter<long>("wirelessnet_poc_reports_rejected", description: "PoC reports refused at ingest, by kind and reason");
        _verdicts = _meter.CreateCounter<long>("wirelessnet_poc_verdicts", description: "Verified PoC reports by kind and invalid_reason (reason_none = valid)");
        _rounds = _meter.CreateCounter<long>("wirelessnet_poc_rounds", description: "PoC rounds verified, by outcome");
        _beacons = _meter.CreateCounter<long>("wirelessnet_poc_beacons_sent", description: "Challenge beacons sent to gateways, by transport and outcome");
    }

    /// <summary>The meter the instruments live on (tests listen to it).</summary>
    public Meter Meter => _meter;

    public void Accepted(string kind, string source) =>
        _reports.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("source", source));

    public void Rejected(string kind, string reason) =>
        _rejected.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("reason", reason));

    public void Verdict(string kind, string reason) =>
        _verdicts.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("reason", reason));

    /// <summary><c>verified</c> (a beacon and its witnesses) or <c>no_beacon</c> (witnesses of a beacon nobody reported).</summary>
    public void Round(string outcome) => _rounds.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void BeaconSent(string transport, string outcome) =>
        _beacons.Add(1, new KeyValuePair<string, object?>("transport", transport), new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => _meter.Dispose();
}
