using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Pipeline;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Tests.Pipeline;

/// <summary>Receptions of one frame handed to a pipeline as MQTT gateways would hand them over.</summary>
internal static class PipelineReceptions
{
    public static async Task HearAsync(UplinkPipeline pipeline, byte[] phyPayload, ulong frequencyHz, params (Eui64 Gateway, int Rssi, float Snr)[] hearings)
    {
        foreach (var (gateway, rssi, snr) in hearings)
        {
            await pipeline.OnUplinkAsync(
                new UplinkReception
                {
                    GatewayId = gateway,
                    PhyPayload = phyPayload,
                    FrequencyHz = frequencyHz,
                    Modulation = new LoRaModulation(7, 125_000),
                    Rssi = rssi,
                    Snr = snr,
                    ReceivedAt = DateTimeOffset.UtcNow,
                    Transport = GatewayTransport.MqttProtobuf,
                    Context = [1, 2, 3, (byte)gateway.Value],
                },
                default);
        }
    }
}
