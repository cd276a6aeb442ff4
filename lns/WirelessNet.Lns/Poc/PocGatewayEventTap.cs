using Google.Protobuf;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Metering;
using WirelessNet.Lns.Pipeline;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Poc.Beacons;
using WirelessNet.Proto.Helium.PocLora;

namespace WirelessNet.Lns.Poc;

/// <summary>
/// Sits in front of the uplink pipeline. A 52-byte Proprietary frame (MHDR 0xE0) forwarded by an MQTT gateway is a
/// witness of the beacon with that payload: it is filed as that gateway's witness report (RSSI, SNR and frequency from
/// the reception, the server's receive time) instead of going to the LoRaWAN pipeline, which has no use for it. Every
/// other reception goes on unchanged, after marking its gateway active for PoC if it is provisioned and not denied
/// (transmit scales count active hotspots).
/// </summary>
public sealed class PocGatewayEventTap(
    IGatewayEventSink inner,
    PocReportIngest ingest,
    PocHotspotDirectory directory,
    ProvisioningCache provisioning,
    PocMetrics metrics,
    ILogger<PocGatewayEventTap> logger) : IGatewayEventSink
{
    public async ValueTask OnUplinkAsync(UplinkReception reception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reception);
        if (reception.Transport is GatewayTransport.MqttProtobuf or GatewayTransport.MqttJson
            && reception.PhyPayload.Length == BeaconGenerator.PhyPayloadLength
            && reception.PhyPayload[0] == BeaconGenerator.ProprietaryMhdr)
        {
            await FileWitnessAsync(reception, cancellationToken).ConfigureAwait(false);
            return;
        }

        await MarkActiveAsync(reception, cancellationToken).ConfigureAwait(false);
        await inner.OnUplinkAsync(reception, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask OnTxAckAsync(DownlinkTxAck ack, CancellationToken cancellationToken) => inner.OnTxAckAsync(ack, cancellationToken);

    public ValueTask OnStatsAsync(GatewayStatsReport stats, CancellationToken cancellationToken) => inner.OnStatsAsync(stats, cancellationToken);

    public ValueTask OnConnectionStateAsync(Eui64 gatewayId, bool online, DateTimeOffset at, CancellationToken cancellationToken) =>
        inner.OnConnectionStateAsync(gatewayId, online, at, cancellationToken);

    private async ValueTask FileWitnessAsync(UplinkReception reception, CancellationToken cancellationToken)
    {
        try
        {
            var gateway = await provisioning.GetGatewayAsync(reception.GatewayId, cancellationToken).ConfigureAwait(false);
            if (gateway is null || gateway.Denied)
            {
                metrics.Rejected(PocReportIngest.WitnessKind, gateway is null ? "gateway_not_found" : "denied");
                return;
            }

            HeliumDataRates.TryGetDataRate(reception.Modulation, out var dataRate);
            var report = new lora_witness_report_req_v1
            {
                PubKey = ByteString.CopyFrom(directory.DerivedKey(reception.GatewayId).AsSpan()),
                Data = ByteString.CopyFrom(reception.PhyPayload.AsSpan(1)),
                Timestamp = (ulong)reception.ReceivedAt.ToUnixTimeMilliseconds() * 1_000_000,
                Tmst = (uint)(reception.GatewayTimestampMicros ?? 0),
                Signal = reception.Rssi * 10,
                Snr = (int)MathF.Round(reception.Snr * 10),
                Frequency = reception.FrequencyHz,
                Datarate = dataRate,
            };
            await ingest.FileGatewayWitnessAsync(report, reception.GatewayId, reception.Transport, reception.ReceivedAt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.Rejected(PocReportIngest.WitnessKind, "unknown_error");
            logger.LogWarning(e, "Filing a PoC witness from gateway {GatewayId} failed", reception.GatewayId);
        }
    }

    private async ValueTask MarkActiveAsync(UplinkReception reception, CancellationToken cancellationToken)
    {
        try
        {
            HeliumPublicKey? key = null;
            if (reception.Transport == GatewayTransport.HeliumGrpc)
            {
                if (reception.Metadata.TryGetValue(PacketMetering.GatewayKeyMetadata, out var hex) && hex.Length % 2 == 0)
                {
                    HeliumPublicKey.TryParse(Convert.FromHexString(hex), out key);
                }
            }
            else if (await provisioning.GetGatewayAsync(reception.GatewayId, cancellationToken).ConfigureAwait(false) is { Denied: false })
            {
                // The pipeline drops receptions of unknown gateways; they must not count as active hotspots either.
                key = directory.DerivedKey(reception.GatewayId);
            }

            if (key is not null)
            {
                await ingest.TouchAsync(key, reception.GatewayId, reception.Transport, reception.ReceivedAt, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Activity bookkeeping must never cost an uplink.
            logger.LogDebug(e, "Marking gateway {GatewayId} active for PoC failed", reception.GatewayId);
        }
    }
}
