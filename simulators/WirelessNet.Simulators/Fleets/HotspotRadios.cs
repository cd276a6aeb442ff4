using Grpc.Net.Client;
using WirelessNet.Helium.Crypto;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Gateways;
using WirelessNet.Simulators.World;

namespace WirelessNet.Simulators.Fleets;

/// <summary>A world's hotspots, each connected to the server over its own transport.</summary>
public static class HotspotRadios
{
    /// <summary>The key of a Helium hotspot of the world (from the world seed and the hotspot's index).</summary>
    public static HeliumKeyPair HeliumKey(RadioWorldDefinition world, int index)
    {
        ArgumentNullException.ThrowIfNull(world);
        return WorldGenerator.HeliumKey(world.Seed, index, world.Hotspots[index].HeliumKeyType ?? "ed25519");
    }

    /// <summary>
    /// Connects every hotspot, in the world's order: MQTT bridges (protobuf or JSON) to the broker, Helium hotspots to
    /// the packet router on <paramref name="packetRouter"/>. Each radio is added to <paramref name="radios"/> before it
    /// connects, so that the caller disposes what was opened even when a connection fails.
    /// </summary>
    public static async Task ConnectAsync(RadioWorldDefinition world, string mqttHost, int mqttPort, GrpcChannel packetRouter, ICollection<IHotspotRadio> radios, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(radios);
        for (var i = 0; i < world.Hotspots.Count; i++)
        {
            var hotspot = world.Hotspots[i];
            if (hotspot.Transport == HotspotTransports.HeliumGrpc)
            {
                var helium = new HeliumGatewaySimulator(HeliumKey(world, i), packetRouter);
                radios.Add(new HeliumHotspotRadio(helium));
                await helium.ConnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var encoding = hotspot.Transport == HotspotTransports.MqttJson ? GatewayPayloadEncoding.Json : GatewayPayloadEncoding.Protobuf;
                var gateway = new MqttGatewaySimulator(Eui64.Parse(hotspot.GatewayId), mqttHost, mqttPort, encoding) { AutoAcknowledge = true };
                radios.Add(new MqttHotspotRadio(gateway));
                await gateway.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
