using System.Runtime.CompilerServices;
using WirelessNet.Simulators.Gateways;

namespace WirelessNet.Simulators.Fleets;

/// <summary>A hotspot that speaks the ChirpStack Gateway Bridge MQTT interface (<see cref="MqttGatewaySimulator"/>).</summary>
public sealed class MqttHotspotRadio(MqttGatewaySimulator gateway) : IHotspotRadio
{
    public Task ForwardUplinkAsync(byte[] phyPayload, ulong frequencyHz, int spreadingFactor, int rssiDbm, float snrDb, CancellationToken cancellationToken) =>
        gateway.PublishUplinkAsync(phyPayload, frequencyHz, spreadingFactor, rssiDbm, snrDb, cancellationToken);

    public Task WitnessBeaconAsync(byte[] beaconPhyPayload, ulong frequencyHz, int spreadingFactor, int rssiDbm, float snrDb, CancellationToken cancellationToken) =>
        gateway.PublishUplinkAsync(beaconPhyPayload, frequencyHz, spreadingFactor, rssiDbm, snrDb, cancellationToken);

    public async IAsyncEnumerable<HotspotTransmission> ReadDownlinksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var frame in gateway.Downlinks.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (frame.Items.Count > 0)
            {
                var item = frame.Items[0];
                var tx = item.TxInfo;
                yield return new HotspotTransmission(item.PhyPayload.ToByteArray(), tx?.Frequency ?? 0, (int)(tx?.Modulation?.Lora?.SpreadingFactor ?? 7), tx?.Power ?? 14);
            }
        }
    }

    public ValueTask DisposeAsync() => gateway.DisposeAsync();
}
