using System.Diagnostics.Metrics;
using WirelessNet.Lns.Pipeline;

namespace WirelessNet.Lns.Helium;

/// <summary>The packet-router door's instruments, on the server's meter (exported at /metrics).</summary>
public sealed class HeliumMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _packets;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _streams;
    private readonly Counter<long> _downlinks;

    public HeliumMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(PipelineMetrics.MeterName) ?? new Meter(PipelineMetrics.MeterName);
        _packets = _meter.CreateCounter<long>("wirelessnet_helium_packets_accepted", description: "Helium packets accepted and handed to the pipeline");
        _rejected = _meter.CreateCounter<long>("wirelessnet_helium_packets_rejected", description: "Helium packets (and stream messages) rejected, by reason");
        _streams = _meter.CreateCounter<long>("wirelessnet_helium_streams", description: "Helium route streams by outcome");
        _downlinks = _meter.CreateCounter<long>("wirelessnet_helium_downlinks", description: "Helium downlinks by outcome");
    }

    /// <summary>The meter the instruments live on (tests listen to it).</summary>
    public Meter Meter => _meter;

    public void Accepted() => _packets.Add(1);

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A stream's fate: <c>registered</c>, then <c>closed</c>, <c>expired</c>, <c>replaced</c> or <c>aborted</c>; or <c>refused</c> with a reason.</summary>
    public void Stream(string outcome, string reason = "") =>
        _streams.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>
    /// <c>queued</c>, <c>sent</c>, <c>no_stream</c> (no instance holds a stream of the gateway), <c>queue_full</c>,
    /// <c>unsendable</c>; across instances <c>relayed</c> (forwarded to the holder), <c>relay_queued</c> (received
    /// from another instance), <c>relay_no_stream</c>, <c>relay_failed</c>, <c>relay_invalid</c>.
    /// </summary>
    public void Downlink(string outcome) => _downlinks.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => _meter.Dispose();
}
