using System.Runtime.CompilerServices;
using WirelessNet.Simulators.Gateways;

namespace WirelessNet.Simulators.Fleets;

/// <summary>A hotspot that speaks the ChirpStack Gateway Bridge MQTT interface (<see cref="MqttGatewaySimulator"/>).</summary>
public sealed class MqttHotspotRadio(MqttGatewaySimulator gateway) : IHotspotRadio
{
    public Task ForwardUplinkAsync(byte[] phyPayload, ulong frequencyHz, int spreadingFactor, int rssiDbm, float snrDb, CancellationToken cancellationToken) =>
        gateway.PublishUplinkAsync(phyPayload, frequencyHz, spreadingFactor, rssiDbm, snrDb, cancellationToken);

    public async IAsyncEnumerable<byte[]> ReadDownlinksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var frame in gateway.Downlinks.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (frame.Items.Count > 0)
            {
                yield return frame.Items[0].PhyPayload.ToByteArray();
            }
        }
    }

    public ValueTask DisposeAsync() => gateway.DisposeAsync();
}
