using System.Diagnostics.Metrics;
using WirelessNet.Lns.Pipeline;

namespace WirelessNet.Lns.Metering;

/// <summary>Metering instruments on the server's meter (exported at /metrics).</summary>
public sealed class MeteringMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _dataCredits;
    private readonly Counter<long> _copies;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _failures;

    public MeteringMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(PipelineMetrics.MeterName) ?? new Meter(PipelineMetrics.MeterName);
        _dataCredits = _meter.CreateCounter<long>("wirelessnet_dc_charged", description: "Data credits charged, by tenant");
        _copies = _meter.CreateCounter<long>("wirelessnet_copies_purchased", description: "Uplink copies purchased (delivered and charged), by tenant");
        _bytes = _meter.CreateCounter<long>("wirelessnet_bytes_purchased", description: "Payload bytes of the purchased copies, by tenant");
        _delivered = _meter.CreateCounter<long>("wirelessnet_gateway_copies_delivered", description: "Purchased copies each gateway delivered (what a hotspot earns from), by gateway");
        _dropped = _meter.CreateCounter<long>("wirelessnet_copies_over_max", description: "Uplink copies neither delivered nor charged because of the profile's MaxCopies");
        _failures = _meter.CreateCounter<long>("wirelessnet_metering_failures", description: "Charges the meter failed to record");
    }

    public void Charged(string tenantId, long copies, long dataCredits)
    {
        var tag = new KeyValuePair<string, object?>("tenant", tenantId);
        _copies.Add(copies, tag);
        _dataCredits.Add(dataCredits, tag);
    }

    /// <summary>Counts a recorded charge: per tenant, and per gateway for each copy it delivered.</summary>
    public void Charged(MeteredPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        Charged(packet.TenantId, packet.Copies, packet.DataCredits);
        _bytes.Add(packet.Bytes, new KeyValuePair<string, object?>("tenant", packet.TenantId));
        foreach (var gateway in packet.Gateways)
        {
            _delivered.Add(1, new KeyValuePair<string, object?>("gateway", gateway.ToString()));
        }
    }

    public void OverMaxCopies(long copies)
    {
        if (copies > 0)
        {
            _dropped.Add(copies);
        }
    }

    public void Failure() => _failures.Add(1);

    public void Dispose() => _meter.Dispose();
}
