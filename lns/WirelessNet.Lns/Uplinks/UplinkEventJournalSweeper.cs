using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;

namespace WirelessNet.Lns.Uplinks;

/// <summary>
/// Publishes the application events of accepted uplinks that an instance journaled with the counter claim but never
/// handed to the broker or the outbox (it crashed in between): at start and then every
/// <see cref="NetworkServerOptions.EventJournalSweepInterval"/>, entries older than
/// <see cref="NetworkServerOptions.EventJournalStaleAfter"/> are re-emitted with their original deduplicationId and
/// removed. An entry whose publication was merely slow may so be published twice; consumers recognise the repeat by
/// its deduplicationId (at least once, never lost).
/// </summary>
public sealed class UplinkEventJournalSweeper(
    ISessionStore sessions,
    IDeviceRegistry registry,
    IDeviceEventSink events,
    IOptions<NetworkServerOptions> options,
    TimeProvider time,
    IMeterFactory meters,
    ILogger<UplinkEventJournalSweeper> logger) : BackgroundService
{
    private const int BatchSize = 1_000;
    private readonly Counter<long> _recovered = meters.Create(PipelineMetrics.MeterName).CreateCounter<long>(
        "wirelessnet_uplink_events_recovered", description: "Application events of accepted uplinks published again from the journal after an instance stopped before publishing them.");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SweepAsync(stoppingToken).ConfigureAwait(false) == BatchSize)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store may be away; the entries stay and the next sweep takes them.
                logger.LogWarning(e, "Sweeping the uplink event journal failed; retrying in {Interval}", options.Value.EventJournalSweepInterval);
            }

            try
            {
                await Task.Delay(options.Value.EventJournalSweepInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Re-emits one batch of left-behind events; returns how many entries it took.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var stale = await sessions.ReadUplinkEventsAsync(time.GetUtcNow() - options.Value.EventJournalStaleAfter, BatchSize, cancellationToken).ConfigureAwait(false);
        foreach (var (devEui, entry) in stale)
        {
            if (!JournaledUplinkEvent.TryDecode(entry, out var journaled) || journaled!.DevEui != devEui)
            {
                logger.LogWarning("Dropping an unreadable uplink event journal entry of {DevEui}", devEui);
                await sessions.CompleteUplinkEventAsync(devEui, entry, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var device = await registry.GetDeviceAsync(devEui, cancellationToken).ConfigureAwait(false);
            var profile = device is null ? null : await registry.GetProfileAsync(device.ProfileId, cancellationToken).ConfigureAwait(false);
            if (device is null || profile is null)
            {
                logger.LogInformation("Dropping the journaled uplink event of {DevEui} (FCnt {FCnt}): the device or its profile no longer exists", devEui, journaled.FCnt);
                await sessions.CompleteUplinkEventAsync(devEui, entry, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await events.OnUplinkAsync(journaled.ToEvent(device, profile), cancellationToken).ConfigureAwait(false);
            await sessions.CompleteUplinkEventAsync(devEui, entry, cancellationToken).ConfigureAwait(false);
            _recovered.Add(1);
            logger.LogWarning("Published the journaled uplink event of {DevEui} (FCnt {FCnt}, deduplicationId {DeduplicationId}) that an instance left behind", devEui, journaled.FCnt, journaled.DeduplicationId);
        }

        return stale.Count;
    }
}
