using System.Diagnostics.Metrics;
using WirelessNet.Lns.Metering;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Tests.Metering;

public sealed class MeteringMetricsTests
{
    [Fact]
    public void A_charge_counts_copies_bytes_and_credits_per_tenant_and_copies_per_gateway()
    {
        using var metrics = new MeteringMetrics();
        var seen = new List<(string Instrument, long Value, string Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this instance's instruments (others in the process share the names).
            if (instrument.Name.StartsWith("wirelessnet_", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument, metrics);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) =>
        {
            if (ReferenceEquals(state, metrics))
            {
                lock (seen)
                {
                    seen.Add((instrument.Name, value, tags.Length > 0 ? $"{tags[0].Key}={tags[0].Value}" : string.Empty));
                }
            }
        });
        listener.Start();
        var a = new Eui64(0xA);
        var b = new Eui64(0xB);

        metrics.Charged(new MeteredPacket("t1", DateTimeOffset.UtcNow, 2, 60, 4, [a, b], []));

        Assert.Contains(("wirelessnet_copies_purchased", 2L, "tenant=t1"), seen);
        Assert.Contains(("wirelessnet_dc_charged", 4L, "tenant=t1"), seen);
        Assert.Contains(("wirelessnet_bytes_purchased", 60L, "tenant=t1"), seen);
        Assert.Contains(("wirelessnet_gateway_copies_delivered", 1L, $"gateway={a}"), seen);
        Assert.Contains(("wirelessnet_gateway_copies_delivered", 1L, $"gateway={b}"), seen);
    }
}
