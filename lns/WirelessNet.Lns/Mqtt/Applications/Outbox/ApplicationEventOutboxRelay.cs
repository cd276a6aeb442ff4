using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WirelessNet.Lns.Mqtt.Applications.Outbox;

/// <summary>
/// Publishes application events at least once: an event the broker cannot take now (not connected) goes to the
/// <see cref="IApplicationEventOutbox"/> instead of being dropped, and this service publishes the outbox, oldest first,
/// once the broker is back. While events wait, new ones queue behind them, so an application sees each device's
/// events in order. A crash between publishing and deleting an entry publishes it again: consumers recognise repeats
/// by <c>deduplicationId</c> (up, join) or <c>downlinkId</c>/<c>queueItemId</c> (txack, ack).
/// </summary>
public sealed class ApplicationEventOutboxRelay(
    IApplicationEventOutbox outbox,
    IMqttMessagePublisher publisher,
    IOptions<ApplicationEventOutboxOptions> options,
    MqttMetrics metrics,
    ILogger<ApplicationEventOutboxRelay> logger) : BackgroundService
{
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim _wake = new(0, 1);
    private volatile bool _backlog;

    /// <summary>Publishes now, or keeps the event in the outbox when the broker is unreachable or events are waiting.</summary>
    public async ValueTask PublishAsync(string topic, byte[] payload, string type, CancellationToken cancellationToken)
    {
        if (!_backlog)
        {
            try
            {
                await publisher.PublishAsync(topic, payload, type, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MqttNotConnectedException)
            {
                logger.LogWarning("MQTT broker unreachable: application events are kept in the outbox until it is back");
            }
        }

        await outbox.AppendAsync(new OutboxMessage(topic, payload, type), cancellationToken).ConfigureAwait(false);
        metrics.HeldInOutbox(type);
        _backlog = true;
        Wake();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Events left by an earlier run (or by another instance that stopped) are picked up by the first round.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DrainAsync(stoppingToken).ConfigureAwait(false);
                await _wake.WaitAsync(options.Value.PollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The relay must outlive store and broker failures; it logs and tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogWarning(e, "Publishing the application event outbox failed; trying again in {Interval}", options.Value.PollInterval);
                await Task.Delay(options.Value.PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Publishes waiting events until the outbox is empty, the broker is unreachable, or another instance holds the lease.</summary>
    /// <returns>How many events were published.</returns>
    internal async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var published = 0;
        var lease = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, options.Value.PollInterval.Ticks * 10));
        while (true)
        {
            if (!await outbox.TryLeaseAsync(_owner, lease, cancellationToken).ConfigureAwait(false))
            {
                return published;
            }

            var batch = await outbox.ReadAsync(Math.Max(1, options.Value.BatchSize), cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                _backlog = false;
                return published;
            }

            var done = new List<string>(batch.Count);
            try
            {
                foreach (var entry in batch)
                {
                    try
                    {
                        await publisher.PublishAsync(entry.Message.Topic, entry.Message.Payload, entry.Message.Type, cancellationToken).ConfigureAwait(false);
                        metrics.RelayedFromOutbox(entry.Message.Type);
                    }
                    catch (MqttNotConnectedException)
                    {
                        return published;
                    }
                    catch (InvalidOperationException e)
                    {
                        // Refused by the broker (for example by its ACL): trying again would be refused again.
                        metrics.RefusedFromOutbox(entry.Message.Type);
                        logger.LogError("Outbox event on {Topic} dropped: {Reason}", entry.Message.Topic, e.Message);
                    }

                    done.Add(entry.Id);
                    published++;
                }
            }
            finally
            {
                // Also when cancelled: what was published must not be published again.
                await outbox.DeleteAsync(done, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
