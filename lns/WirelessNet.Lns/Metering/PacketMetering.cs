using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Uplinks;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Metering;

/// <summary>The kind of frame a charge is for (the packet report's <c>type</c>).</summary>
public enum MeteredPacketType
{
    Join,
    Uplink,
}

/// <summary>
/// Turns the purchased copies of a processed frame into a charge: data credits per copy, one packet report per copy,
/// the counters. Called by the join server and the data-uplink processor, which run only on the frame's deduplication
/// collector, so a frame is charged once however many instances received copies of it.
/// </summary>
public sealed class PacketMetering(
    IPacketMeter meter,
    MeteringMetrics metrics,
    IOptions<NetworkServerOptions> serverOptions,
    IOptions<MeteringOptions> options,
    TimeProvider time,
    ILogger<PacketMetering> logger)
{
    /// <summary>Metadata key a transport may set to the gateway's binary public key (hex), for the packet report.</summary>
    public const string GatewayKeyMetadata = "gateway_key";

    private readonly uint _netId = NetId.Parse(serverOptions.Value.NetId).Value;

    /// <summary>
    /// Applies the profile's <c>MaxCopies</c> to the uplink (the result is what must be delivered and used for the
    /// downlink), and counts the copies left out.
    /// </summary>
    public ReceivedUplink LimitCopies(ReceivedUplink uplink, DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(uplink);
        ArgumentNullException.ThrowIfNull(profile);
        var limited = CopyLimit.Apply(uplink, profile.MaxCopies);
        metrics.OverMaxCopies(uplink.Receptions.Count - limited.Receptions.Count);
        return limited;
    }

    /// <summary>
    /// Charges the tenant for every copy in <paramref name="uplink"/> (already limited). A meter failure is logged and
    /// counted, not thrown: the device's traffic must not stop because the accounting store is unreachable.
    /// </summary>
    public async ValueTask ChargeAsync(ReceivedUplink uplink, DeviceProfile profile, MeteredPacketType type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uplink);
        ArgumentNullException.ThrowIfNull(profile);
        var packet = Build(uplink, profile.TenantId, type, time.GetUtcNow(), _netId, options.Value.Oui);
        try
        {
            await meter.RecordAsync(packet, cancellationToken).ConfigureAwait(false);
            metrics.Charged(packet);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.Failure();
            logger.LogError(e, "Metering {Copies} copies ({DataCredits} DC) for tenant {TenantId} failed", packet.Copies, packet.DataCredits, packet.TenantId);
        }
    }

    /// <summary>The charge for the copies of one frame (pure; exposed for tests).</summary>
    internal static MeteredPacket Build(ReceivedUplink uplink, string tenantId, MeteredPacketType type, DateTimeOffset at, uint netId, ulong oui)
    {
        var size = uplink.PhyPayload.Length;
        var perCopy = DataCredits.ForPayload(size);
        var hash = ByteString.CopyFrom(SHA256.HashData(uplink.PhyPayload));
        var copies = uplink.Receptions.Count;
        var gateways = new Eui64[copies];
        var reports = new packet_router_packet_report_v1[copies];
        for (var i = 0; i < copies; i++)
        {
            var r = uplink.Receptions[i];
            gateways[i] = r.GatewayId;
            reports[i] = Report(r, hash, size, type, netId, oui);
        }

        return new MeteredPacket(tenantId, MeterHours.Truncate(at), copies, (long)size * copies, perCopy * copies, gateways, reports);
    }

    private static packet_router_packet_report_v1 Report(UplinkReception r, ByteString hash, int size, MeteredPacketType type, uint netId, ulong oui)
    {
        var receivedMs = (ulong)Math.Max(0, r.ReceivedAt.ToUnixTimeMilliseconds());
        var report = new packet_router_packet_report_v1
        {
            // Helium receptions carry the hotspot's own timestamp; other transports only have the server's clock.
            GatewayTmst = r.GatewayTimestampMicros ?? receivedMs,
            Oui = oui,
            NetId = netId,
            Rssi = r.Rssi,
            Frequency = (uint)Math.Min(r.FrequencyHz, uint.MaxValue),
            Snr = r.Snr,
            Region = RegionOf(r),
            Gateway = GatewayBytes(r),
            PayloadHash = hash,
            PayloadSize = (uint)size,
            Free = false,
            Type = type == MeteredPacketType.Join ? packet_router_packet_report_v1.Types.packet_type.Join : packet_router_packet_report_v1.Types.packet_type.Uplink,
            ReceivedTimestamp = receivedMs,
        };
        if (HeliumDataRates.TryGetDataRate(r.Modulation, out var dataRate))
        {
            report.Datarate = dataRate;
        }

        return report;
    }

    // The report names the hotspot by its binary public key when the transport passed it on; the gateway id is a hash
    // of that key and cannot be turned back, so otherwise the EUI's 8 bytes (big-endian) stand in.
    private static ByteString GatewayBytes(UplinkReception r)
    {
        if (r.Metadata.TryGetValue(GatewayKeyMetadata, out var hex) && hex.Length > 0 && hex.Length % 2 == 0)
        {
            try
            {
                return ByteString.CopyFrom(Convert.FromHexString(hex));
            }
            catch (FormatException)
            {
                // Not hex: fall back to the EUI below.
            }
        }

        var bytes = new byte[8];
        r.GatewayId.WriteBigEndian(bytes);
        return ByteString.CopyFrom(bytes);
    }

    private static region RegionOf(UplinkReception r)
    {
        if (r.Metadata.TryGetValue("region", out var name))
        {
            foreach (var value in RegionReflection.Descriptor.EnumTypes[0].Values)
            {
                if (string.Equals(value.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return (region)value.Number;
                }
            }
        }

        return region.Unknown;
    }
}
