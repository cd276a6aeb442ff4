using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Measured;
using WirelessNet.Coverage.Payloads;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Coverage;

/// <summary>
/// Feeds measured coverage from deduplicated uplinks: an uplink of a mapper device that carries its GPS position, or
/// any uplink of a device with a known installed location, becomes one observation per gateway reception at that
/// position. The hotspots that heard it are placed
/// at their asserted (provisioned) locations. Wraps the application event sink, which it always calls first.
/// </summary>
public sealed class CoverageRecorder(IDeviceEventSink inner, ICoverageStore store, IDeviceRegistry registry, IOptions<CoverageOptions> options) : IDeviceEventSink
{
    private readonly ConcurrentDictionary<Eui64, bool> _placedHotspots = new();

    public async ValueTask OnUplinkAsync(DeviceUplinkEvent uplink, CancellationToken cancellationToken)
    {
        await inner.OnUplinkAsync(uplink, cancellationToken).ConfigureAwait(false);
        LatLng position;
        if (options.Value.MapperFPorts.Contains(uplink.FPort) && TryDecodePosition(uplink.Data, out var fix))
        {
            position = fix.Position;
        }
        else if (uplink.Device.Location is { } installed)
        {
            position = new LatLng(installed.Latitude, installed.Longitude);
        }
        else
        {
            return;
        }

        var observations = new CoverageObservation[uplink.Receptions.Count];
        for (var i = 0; i < observations.Length; i++)
        {
            var reception = uplink.Receptions[i];
            observations[i] = new CoverageObservation(position, reception.GatewayId.Value, reception.Rssi, reception.Snr, reception.ReceivedAt);
            await PlaceHotspotAsync(reception.GatewayId, cancellationToken).ConfigureAwait(false);
        }

        await store.AddObservationsAsync(observations, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask OnJoinAsync(DeviceJoinEvent join, CancellationToken cancellationToken) => inner.OnJoinAsync(join, cancellationToken);

    public ValueTask OnTxAckAsync(DeviceTxAckEvent txAck, CancellationToken cancellationToken) => inner.OnTxAckAsync(txAck, cancellationToken);

    public ValueTask OnAckAsync(DeviceAckEvent ack, CancellationToken cancellationToken) => inner.OnAckAsync(ack, cancellationToken);

    public ValueTask OnLogAsync(DeviceLogEvent log, CancellationToken cancellationToken) => inner.OnLogAsync(log, cancellationToken);

    private static bool TryDecodePosition(byte[] payload, out GpsFix fix) =>
        CayenneLppGps.TryDecode(payload, out fix) || (payload.Length == CompactGpsPayload.Length && CompactGpsPayload.TryDecode(payload, out fix));

    // Once per gateway and process: the asserted location rarely changes, and the map only needs it to draw the point.
    private async ValueTask PlaceHotspotAsync(Eui64 gatewayId, CancellationToken cancellationToken)
    {
        if (_placedHotspots.ContainsKey(gatewayId))
        {
            return;
        }

        var gateway = await registry.GetGatewayAsync(gatewayId, cancellationToken).ConfigureAwait(false);
        if (gateway?.Location is { } location)
        {
            await store.UpsertHotspotAsync(new HotspotLocation(gatewayId.Value, new LatLng(location.Latitude, location.Longitude), gateway.Name), cancellationToken).ConfigureAwait(false);
        }

        _placedHotspots[gatewayId] = true;
    }
}
