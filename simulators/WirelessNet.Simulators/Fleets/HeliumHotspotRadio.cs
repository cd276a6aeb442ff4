using System.Runtime.CompilerServices;
using WirelessNet.Proto.Helium;
using WirelessNet.Simulators.Gateways;

namespace WirelessNet.Simulators.Fleets;

/// <summary>A Helium hotspot on the packet router's gRPC stream (<see cref="HeliumGatewaySimulator"/>).</summary>
public sealed class HeliumHotspotRadio(HeliumGatewaySimulator hotspot) : IHotspotRadio
{
    // EU868's maximum EIRP: packet_down carries no power, the hotspot transmits at what its region allows.
    private const int TransmitPowerDbm = 16;

    public async Task ForwardUplinkAsync(byte[] phyPayload, ulong frequencyHz, int spreadingFactor, int rssiDbm, float snrDb, CancellationToken cancellationToken) =>
        await hotspot.SendUplinkAsync(phyPayload, (uint)frequencyHz, DataRateOf(spreadingFactor), rssiDbm, snrDb, cancellationToken: cancellationToken).ConfigureAwait(false);

    public Task WitnessBeaconAsync(byte[] beaconPhyPayload, ulong frequencyHz, int spreadingFactor, int rssiDbm, float snrDb, CancellationToken cancellationToken) =>
        hotspot.SubmitWitnessAsync(beaconPhyPayload, (uint)frequencyHz, DataRateOf(spreadingFactor), rssiDbm, snrDb, cancellationToken);

    public async IAsyncEnumerable<HotspotTransmission> ReadDownlinksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var downlink in hotspot.Downlinks.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new HotspotTransmission(downlink.Payload, downlink.Rx1.Frequency, SpreadingFactorOf(downlink.Rx1.Datarate), TransmitPowerDbm);
        }
    }

    public ValueTask DisposeAsync() => hotspot.DisposeAsync();

    // helium.data_rate numbers SF12BW125 = 0 … SF7BW125 = 5.
    private static data_rate DataRateOf(int spreadingFactor) => (data_rate)(12 - Math.Clamp(spreadingFactor, 7, 12));

    private static int SpreadingFactorOf(data_rate rate) => rate <= data_rate.Sf7Bw125 ? 12 - (int)rate : 7;
}
