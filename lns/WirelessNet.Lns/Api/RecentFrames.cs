using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Pipeline;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Api;

/// <summary>One frame as the management API shows it: metadata and the application payload, never keys.</summary>
public sealed record RecentFrameResponse(
    string Kind,
    DateTimeOffset Time,
    string DevAddr,
    uint? FCnt,
    int? FPort,
    bool Confirmed,
    int? DataRate,
    string? Data,
    int GatewayCount,
    string? BestGatewayId,
    int? Rssi,
    float? Snr);

/// <summary>
/// The last few frames of each device, in this process only (lost on restart, per instance when several run).
/// Bounded twice: <see cref="ManagementApiOptions.RecentFramesPerDevice"/> per device and
/// <see cref="ManagementApiOptions.RecentFramesMaxDevices"/> devices, so a large fleet cannot grow it without limit.
/// </summary>
public sealed class RecentFrameLog(IOptions<ManagementApiOptions> options)
{
    private readonly ConcurrentDictionary<Eui64, Ring> _rings = new();

    public void Record(Eui64 devEui, string tenantId, RecentFrameResponse frame)
    {
        var perDevice = options.Value.RecentFramesPerDevice;
        if (perDevice <= 0)
        {
            return;
        }

        if (!_rings.TryGetValue(devEui, out var ring))
        {
            // Past the device bound, forget some device rather than refuse new ones: the newest traffic matters most.
            if (_rings.Count >= options.Value.RecentFramesMaxDevices)
            {
                foreach (var victim in _rings.Keys.Take(Math.Max(1, _rings.Count / 100)))
                {
                    _rings.TryRemove(victim, out _);
                }
            }

            ring = _rings.GetOrAdd(devEui, _ => new Ring());
        }

        lock (ring)
        {
            // A device re-registered under another tenant starts a fresh history: frames never cross tenants.
            if (!string.Equals(ring.TenantId, tenantId, StringComparison.Ordinal))
            {
                ring.Frames.Clear();
                ring.TenantId = tenantId;
            }

            ring.Frames.Enqueue(frame);
            while (ring.Frames.Count > perDevice)
            {
                ring.Frames.Dequeue();
            }
        }
    }

    /// <summary>Newest first; only frames recorded while <paramref name="tenantId"/> owned the device.</summary>
    public IReadOnlyList<RecentFrameResponse> Get(Eui64 devEui, string tenantId)
    {
        if (!_rings.TryGetValue(devEui, out var ring))
        {
            return [];
        }

        lock (ring)
        {
            return string.Equals(ring.TenantId, tenantId, StringComparison.Ordinal) ? [.. ring.Frames.Reverse()] : [];
        }
    }

    public void Clear(Eui64 devEui) => _rings.TryRemove(devEui, out _);

    private sealed class Ring
    {
        public string TenantId { get; set; } = string.Empty;

        public Queue<RecentFrameResponse> Frames { get; } = new();
    }
}

/// <summary>
/// Wraps the host's <see cref="IDeviceEventSink"/>: records uplinks, joins and downlink acknowledgements in the
/// <see cref="RecentFrameLog"/>, then forwards every event unchanged. Recording cannot fail the packet path.
/// </summary>
public sealed class RecentFramesEventSink(IDeviceEventSink inner, RecentFrameLog log) : IDeviceEventSink
{
    public ValueTask OnUplinkAsync(DeviceUplinkEvent uplink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uplink);
        var best = uplink.Receptions.Count > 0 ? uplink.Receptions.MaxBy(r => r.Snr) : null;
        log.Record(uplink.Device.DevEui, uplink.Device.TenantId, new RecentFrameResponse(
            "uplink",
            uplink.Time,
            uplink.DevAddr.ToString(),
            uplink.FCnt,
            uplink.FPort,
            uplink.Confirmed,
            uplink.DataRate,
            Convert.ToBase64String(uplink.Data),
            uplink.Receptions.Count,
            best?.GatewayId.ToString(),
            best?.Rssi,
            best?.Snr));
        return inner.OnUplinkAsync(uplink, cancellationToken);
    }

    public ValueTask OnJoinAsync(DeviceJoinEvent join, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(join);
        log.Record(join.Device.DevEui, join.Device.TenantId, new RecentFrameResponse(
            "join", join.Time, join.DevAddr.ToString(), null, null, false, null, null, 0, null, null, null));
        return inner.OnJoinAsync(join, cancellationToken);
    }

    public ValueTask OnTxAckAsync(DeviceTxAckEvent txAck, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(txAck);
        log.Record(txAck.Device.DevEui, txAck.Device.TenantId, new RecentFrameResponse(
            "downlink", txAck.Time, string.Empty, txAck.FCntDown, null, false, null, null, 1, txAck.GatewayId.ToString(), null, null));
        return inner.OnTxAckAsync(txAck, cancellationToken);
    }

    public ValueTask OnAckAsync(DeviceAckEvent ack, CancellationToken cancellationToken) => inner.OnAckAsync(ack, cancellationToken);

    public ValueTask OnLogAsync(DeviceLogEvent log, CancellationToken cancellationToken) => inner.OnLogAsync(log, cancellationToken);
}
