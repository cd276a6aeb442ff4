using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Measured;

/// <summary>Measured coverage of one hex: a snapshot of its reception statistics.</summary>
/// <param name="Cell">The hex (resolution 8-12 by default).</param>
/// <param name="Count">Receptions.</param>
/// <param name="DistinctGateways">Gateways that received in this hex.</param>
/// <param name="DistinctGatewaysExact">False once the hex has seen more gateways than are tracked exactly; the count is then a HyperLogLog estimate (±6.5%).</param>
/// <param name="BestRssi">Strongest RSSI, dBm.</param>
/// <param name="MeanRssi">Mean RSSI, dBm (arithmetic mean of the dBm values).</param>
/// <param name="BestSnr">Best SNR, dB.</param>
/// <param name="MeanSnr">Mean SNR, dB.</param>
/// <param name="LastSeen">The latest reception.</param>
public sealed record HexCoverage(
    H3Index Cell,
    long Count,
    int DistinctGateways,
    bool DistinctGatewaysExact,
    double BestRssi,
    double MeanRssi,
    double BestSnr,
    double MeanSnr,
    DateTimeOffset LastSeen)
{
    public int Resolution => Cell.Resolution;
}
