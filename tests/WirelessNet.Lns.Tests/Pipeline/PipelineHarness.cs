using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Joins;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Uplinks;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Devices;

namespace WirelessNet.Lns.Tests.Pipeline;

/// <summary>The uplink pipeline over the in-memory store, with gateways and application events recorded.</summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    public PipelineHarness(TimeSpan? deduplicationWindow = null)
    {
        Options = Microsoft.Extensions.Options.Options.Create(new NetworkServerOptions
        {
            NetId = "000013",
            DeduplicationWindow = deduplicationWindow ?? TimeSpan.FromMilliseconds(100),
        });
        var time = TimeProvider.System;
        Metrics = new PipelineMetrics();
        var dispatcher = new DownlinkDispatcher(() => Downlinks, Store, Metrics, Options);
        var cache = new SessionSecurityCache();
        var provisioning = new ProvisioningCache(Store, Options, time);
        Pipeline = new UplinkPipeline(
            provisioning,
            new UplinkDeduplicator(Store, Options, Metrics, time, NullLogger<UplinkDeduplicator>.Instance),
            new JoinServer(Store, Store, Store, dispatcher, Events, Metrics, Options, time, NullLogger<JoinServer>.Instance),
            new DataUplinkProcessor(provisioning, Store, Store, cache, dispatcher, Events, Options, time, NullLogger<DataUplinkProcessor>.Instance),
            new TxAckHandler(Store, Store, Store, Events, Metrics, time, NullLogger<TxAckHandler>.Instance),
            new GatewayStatusBoard(),
            Metrics,
            time,
            NullLogger<UplinkPipeline>.Instance);
    }

    public InMemoryStore Store { get; } = new();

    public RecordingDownlinkSender Downlinks { get; } = new();

    public RecordingDeviceEvents Events { get; } = new();

    public IOptions<NetworkServerOptions> Options { get; }

    public PipelineMetrics Metrics { get; }

    public UplinkPipeline Pipeline { get; }

    public async Task ProvisionGatewaysAsync(params Eui64[] gateways)
    {
        foreach (var g in gateways)
        {
            await Store.PutGatewayAsync(new Gateway { GatewayId = g, TenantId = "t1", Region = "eu868" }, default);
        }
    }

    public async Task ProvisionDeviceAsync(SimulatedDevice device, MacVersion macVersion = MacVersion.LoRaWan1_0_4)
    {
        await Store.PutProfileAsync(new DeviceProfile { Id = "p-" + macVersion, TenantId = "t1", Region = "eu868", MacVersion = macVersion }, default);
        await Store.PutDeviceAsync(
            new Device
            {
                DevEui = device.DevEui,
                TenantId = "t1",
                ApplicationId = "app1",
                ProfileId = "p-" + macVersion,
                Name = "sensor",
                JoinEui = device.JoinEui,
                AppKey = device.AppKey,
                NwkKey = macVersion == MacVersion.LoRaWan1_1_0 ? device.NwkKey : null,
            },
            default);
    }

    /// <summary>Sends one frame as heard by each gateway, in the order given.</summary>
    public Task HearAsync(byte[] phyPayload, ulong frequencyHz, params (Eui64 Gateway, int Rssi, float Snr)[] hearings) =>
        PipelineReceptions.HearAsync(Pipeline, phyPayload, frequencyHz, hearings);

    public ValueTask DisposeAsync() => Pipeline.DisposeAsync();
}

internal sealed class RecordingDownlinkSender : IGatewayDownlinkSender
{
    private readonly Channel<DownlinkTransmission> _sent = Channel.CreateUnbounded<DownlinkTransmission>();

    public ValueTask SendAsync(DownlinkTransmission transmission, GatewayTransport transport, CancellationToken cancellationToken) =>
        _sent.Writer.WriteAsync(transmission, cancellationToken);

    public async Task<DownlinkTransmission> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        return await _sent.Reader.ReadAsync(cts.Token);
    }

    public bool TryTake(out DownlinkTransmission? transmission) => _sent.Reader.TryRead(out transmission);
}

internal sealed class RecordingDeviceEvents : IDeviceEventSink
{
    private readonly Channel<DeviceUplinkEvent> _uplinks = Channel.CreateUnbounded<DeviceUplinkEvent>();

    public List<DeviceJoinEvent> Joins { get; } = [];

    public List<DeviceTxAckEvent> TxAcks { get; } = [];

    public List<DeviceLogEvent> Logs { get; } = [];

    public ValueTask OnUplinkAsync(DeviceUplinkEvent uplink, CancellationToken cancellationToken) => _uplinks.Writer.WriteAsync(uplink, cancellationToken);

    public async Task<DeviceUplinkEvent> NextUplinkAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        return await _uplinks.Reader.ReadAsync(cts.Token);
    }

    public bool TryTakeUplink(out DeviceUplinkEvent? uplink) => _uplinks.Reader.TryRead(out uplink);

    public ValueTask OnJoinAsync(DeviceJoinEvent join, CancellationToken cancellationToken)
    {
        lock (Joins)
        {
            Joins.Add(join);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask OnTxAckAsync(DeviceTxAckEvent txAck, CancellationToken cancellationToken)
    {
        lock (TxAcks)
        {
            TxAcks.Add(txAck);
        }

        return ValueTask.CompletedTask;
    }

    public List<DeviceAckEvent> Acks { get; } = [];

    public ValueTask OnAckAsync(DeviceAckEvent ack, CancellationToken cancellationToken)
    {
        lock (Acks)
        {
            Acks.Add(ack);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask OnLogAsync(DeviceLogEvent log, CancellationToken cancellationToken)
    {
        lock (Logs)
        {
            Logs.Add(log);
        }

        return ValueTask.CompletedTask;
    }
}
