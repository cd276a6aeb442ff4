using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WirelessNet.Lns.Helium.Relay;

/// <summary>
/// Runs this instance's side of the relay: listens on its channel (downlinks to write, releases of stale streams),
/// keeps its claims alive, and gives them up on shutdown.
/// </summary>
internal sealed class HeliumRelayService(
    RedisHeliumStreamRelay relay,
    HeliumGatewayStreams streams,
    IOptions<HeliumPacketRouterOptions> options,
    HeliumMetrics metrics,
    TimeProvider time,
    ILogger<HeliumRelayService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private ChannelMessageQueue? _subscription;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Retried rather than failing the host: the gRPC door works without the relay, only cross-instance
        // downlinks wait for it. Once subscribed, the multiplexer re-subscribes by itself after a reconnect.
        while (_subscription is null)
        {
            try
            {
                _subscription = await relay.SubscribeAsync(OnMessage, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                HeliumLog.RelayFailed(logger, "subscribe", e);
                await Task.Delay(RetryDelay, time, stoppingToken).ConfigureAwait(false);
            }
        }

        using var timer = new PeriodicTimer(options.Value.RouteClaimLifetime / 3, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                foreach (var gatewayId in await relay.RefreshAsync(stoppingToken).ConfigureAwait(false))
                {
                    // Another instance holds a newer stream of this gateway: the local one is stale.
                    streams.ReleaseLocal(gatewayId, long.MaxValue);
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                HeliumLog.RelayFailed(logger, "refresh", e);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await relay.ReleaseAllAsync(cancellationToken).ConfigureAwait(false);
            if (_subscription is not null)
            {
                await _subscription.UnsubscribeAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException)
        {
            // The claims expire on their own.
            HeliumLog.RelayFailed(logger, "release", e);
        }
    }

    private void OnMessage(ReadOnlyMemory<byte> data)
    {
        if (!RelayMessage.TryRead(data.Span, out var message, out var error))
        {
            metrics.Downlink("relay_invalid");
            HeliumLog.RelayMessageInvalid(logger, error);
            return;
        }

        switch (message.Kind)
        {
            case RelayMessageKind.Downlink:
                streams.DeliverRelayed(message.GatewayId, message.DownlinkId, message.Envelope!);
                break;
            case RelayMessageKind.Release:
                streams.ReleaseLocal(message.GatewayId, message.ClaimedAtUnixMs);
                break;
        }
    }
}
