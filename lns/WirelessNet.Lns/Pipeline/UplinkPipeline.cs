using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Joins;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Uplinks;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Pipeline;

/// <summary>
/// The entry point for everything gateways send: unknown and denied gateways are dropped, receptions are
/// deduplicated, and each frame is handed to the join server or the data-uplink processor. Receptions return at
/// once to the transport; the deduplication wait and the processing run in the background, tracked so that
/// shutdown can drain them.
/// </summary>
public sealed class UplinkPipeline(
    ProvisioningCache provisioning,
    UplinkDeduplicator deduplicator,
    JoinServer joinServer,
    DataUplinkProcessor dataProcessor,
    TxAckHandler txAckHandler,
    GatewayStatusBoard gatewayStatus,
    PipelineMetrics metrics,
    TimeProvider time,
    ILogger<UplinkPipeline> logger) : IGatewayEventSink, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private int _disposed;

    public async ValueTask OnUplinkAsync(UplinkReception reception, CancellationToken cancellationToken)
    {
        metrics.Reception();
        gatewayStatus.Seen(reception.GatewayId, reception.ReceivedAt, reception.Location);
        var gateway = await provisioning.GetGatewayAsync(reception.GatewayId, cancellationToken).ConfigureAwait(false);
        if (gateway is null)
        {
            Reject(UplinkRejection.UnknownGateway, reception, "gateway is not provisioned");
            return;
        }

        if (gateway.Denied)
        {
            Reject(UplinkRejection.DeniedGateway, reception, "gateway is denied");
            return;
        }

        var task = ProcessAsync(reception);
        if (!task.IsCompleted)
        {
            _inFlight.TryAdd(task, 0);
            _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    public ValueTask OnTxAckAsync(DownlinkTxAck ack, CancellationToken cancellationToken) => txAckHandler.HandleAsync(ack, cancellationToken);

    public ValueTask OnStatsAsync(GatewayStatsReport stats, CancellationToken cancellationToken)
    {
        gatewayStatus.Stats(stats);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnConnectionStateAsync(Eui64 gatewayId, bool online, DateTimeOffset at, CancellationToken cancellationToken)
    {
        gatewayStatus.Connection(gatewayId, online, at);
        return ValueTask.CompletedTask;
    }

    /// <summary>Deduplicates and processes one reception; never throws (failures are logged and counted).</summary>
    private async Task ProcessAsync(UplinkReception reception)
    {
        try
        {
            var uplink = await deduplicator.AddAsync(reception, _stopping.Token).ConfigureAwait(false);
            if (uplink is null)
            {
                return;
            }

            var started = time.GetTimestamp();
            var mhdrError = PhyPayload.TryReadMhdr(uplink.PhyPayload, out var mhdr);
            UplinkRejection? rejection;
            if (mhdrError != FrameError.None)
            {
                logger.LogInformation("Frame from {GatewayId} rejected: {Reason}", reception.GatewayId, mhdrError.Describe());
                rejection = UplinkRejection.MalformedFrame;
            }
            else
            {
                rejection = mhdr.MType switch
                {
                    MType.JoinRequest => await joinServer.HandleAsync(uplink, _stopping.Token).ConfigureAwait(false),
                    MType.UnconfirmedDataUp or MType.ConfirmedDataUp => await dataProcessor.HandleAsync(uplink, _stopping.Token).ConfigureAwait(false),
                    _ => UplinkRejection.UnsupportedMType,
                };
            }

            if (rejection is { } reason)
            {
                metrics.Rejected(reason);
                logger.LogInformation("{MType} with {Receptions} reception(s) rejected: {Reason}", mhdr.MType, uplink.Receptions.Count, reason);
            }
            else
            {
                metrics.Accepted(mhdr.MType.ToString());
            }

            metrics.PipelineLatency(time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // One failing frame must never stop the pipeline; it is logged with its cause.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Processing a frame from gateway {GatewayId} failed", reception.GatewayId);
        }
    }

    private void Reject(UplinkRejection reason, UplinkReception reception, string description)
    {
        metrics.Rejected(reason);
        logger.LogInformation("Reception from {GatewayId} rejected: {Reason}", reception.GatewayId, description);
    }

    /// <summary>Waits for frames in progress (bounded), then cancels what is left.</summary>
    public async ValueTask DisposeAsync()
    {
        // Registered under two service types, so the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var pending = _inFlight.Keys.ToArray();
        await Task.WhenAny(Task.WhenAll(pending), Task.Delay(TimeSpan.FromSeconds(5), time)).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
