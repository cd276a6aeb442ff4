using Microsoft.Extensions.Options;

namespace WirelessNet.Lns.Offload;

/// <summary>
/// Closes settlement periods once they are data-complete (end + <see cref="OffloadOptions.DataCompleteGrace"/>), for
/// every carrier, every <see cref="OffloadOptions.AutoCloseInterval"/>: from the period after the carrier's last
/// closed one (or the period of its first record) up to the latest complete one. Every instance may run it: the
/// settlement log's compare-and-append lets only one issue a period, the others are refused and move on.
/// </summary>
internal sealed class OffloadPeriodCloser(
    OffloadSettlement settlement,
    IOffloadStore store,
    TimeProvider time,
    IOptions<OffloadOptions> options,
    ILogger<OffloadPeriodCloser> logger) : BackgroundService
{
    // A carrier far behind (e.g. after an outage) catches up over several ticks rather than in one long one.
    private const int MaxClosesPerTick = 31;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AutoCloseInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await CloseDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Closing offload settlement periods failed; retried next tick");
            }
        }
    }

    internal async Task CloseDueAsync(CancellationToken cancellationToken)
    {
        // CloseAsync reloads the directory itself; a tick with nothing due reads no directory.
        var now = time.GetUtcNow();
        foreach (var carrier in await store.GetCarriersAsync(cancellationToken).ConfigureAwait(false))
        {
            var next = await FirstOpenPeriodAsync(carrier.CarrierId, cancellationToken).ConfigureAwait(false);
            for (var closes = 0; next is { } period && closes < MaxClosesPerTick && now >= period.End + options.Value.DataCompleteGrace; closes++)
            {
                try
                {
                    await settlement.CloseAsync(carrier.CarrierId, period.Start, now, cancellationToken).ConfigureAwait(false);
                }
                catch (SettlementRefusedException e)
                {
                    // No rate card yet, or another instance closed it first: nothing to do for this carrier now.
                    logger.LogInformation("Offload period {Period} of carrier {CarrierId} not closed: {Reason}", period, carrier.CarrierId, e.Message);
                    break;
                }

                next = settlement.Options.PeriodOf(period.End);
            }
        }
    }

    private async Task<WirelessNet.Offload.Settlement.SettlementPeriod?> FirstOpenPeriodAsync(string carrierId, CancellationToken cancellationToken)
    {
        var log = await store.GetSettlementLogAsync(carrierId, cancellationToken).ConfigureAwait(false);
        var lastClose = log.LastOrDefault(entry => entry.Kind == "close");
        if (lastClose is not null)
        {
            return settlement.Options.PeriodOf(settlement.Options.PeriodOf(lastClose.PeriodStart).End);
        }

        var first = await store.ReadRecordsAsync(carrierId, 0, 1, cancellationToken).ConfigureAwait(false);
        return first.Count == 0 ? null : settlement.Options.PeriodOf(first[0].Timestamp);
    }
}
