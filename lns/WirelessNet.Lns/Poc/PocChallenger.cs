using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium;
using WirelessNet.Poc.Beacons;
using WirelessNet.Poc.Challenges;
using WirelessNet.Poc.Hotspots;
using WirelessNet.Proto.Helium.PocLora;

namespace WirelessNet.Lns.Poc;

/// <summary>
/// Issues challenges: in each window every eligible participant (asserted location, provisioned, not denied) is
/// challenged once, at the time <see cref="ChallengeScheduler"/> derives from the window entropy and its key. A
/// challenge is a beacon the server builds from the current entropy and 4 random bytes and sends to the hotspot's
/// gateway as an immediate downlink (MQTT <c>command/down</c>, or <c>packet_down</c> on its Helium route stream), then
/// files as the round's beacon. With several instances the store lets exactly one send each challenge.
/// </summary>
public sealed class PocChallenger(
    IPocStore store,
    PocHotspotDirectory directory,
    PocEntropySource entropy,
    PocReportIngest ingest,
    TransportDownlinkRouter downlinks,
    PocMetrics metrics,
    IOptions<PocOptions> options,
    TimeProvider time,
    ILogger<PocChallenger> logger) : BackgroundService
{
    private static uint s_downlinkId = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);

    /// <summary>The window's schedule for the current participants (empty when no entropy was valid at its start).</summary>
    public async Task<IReadOnlyList<ScheduledChallenge>> ScheduleAsync(DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        var window = options.Value.ChallengeWindow;
        var windowEntropy = entropy.Read(chain => chain.TryGetValidAt(windowStart, out var e) ? e.Data : null);
        if (windowEntropy is null)
        {
            return [];
        }

        var hotspots = new List<PocHotspot>();
        foreach (var participant in (await directory.GetParticipantsAsync(cancellationToken).ConfigureAwait(false)).Values)
        {
            if (HeliumPublicKey.TryParseAddress(participant.Address, out var key)
                && await directory.GetAsync(key, cancellationToken).ConfigureAwait(false) is { Gateway.Denied: false } view)
            {
                hotspots.Add(view.Hotspot);
            }
        }

        var denylist = new PocDenylist();
        foreach (var address in (await store.GetDenylistAsync(cancellationToken).ConfigureAwait(false)).Keys)
        {
            if (HeliumPublicKey.TryParseAddress(address, out var key))
            {
                denylist.DenyKey(key);
            }
        }

        return ChallengeScheduler.Schedule(windowStart, window, windowEntropy, hotspots, denylist);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IssueChallenges)
        {
            return;
        }

        await entropy.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        var window = options.Value.ChallengeWindow;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                var windowStart = ChallengeScheduler.WindowStart(now, window);
                var windowIndex = ChallengeScheduler.WindowIndex(now, window);
                var schedule = await ScheduleAsync(windowStart, stoppingToken).ConfigureAwait(false);
                foreach (var challenge in schedule)
                {
                    if (challenge.At <= time.GetUtcNow()
                        && await store.TryClaimAsync($"challenge:{windowIndex}:{challenge.Hotspot.ToAddress()}", window, stoppingToken).ConfigureAwait(false))
                    {
                        await IssueAsync(challenge.Hotspot, stoppingToken).ConfigureAwait(false);
                    }
                }

                // New participants join the schedule at the next refresh; challenges are at whole seconds.
                var nextWindow = windowStart + window;
                var wait = TimeSpan.FromTicks(Math.Min(options.Value.ScheduleRefresh.Ticks, Math.Max(TimeSpan.FromSeconds(1).Ticks, (nextWindow - time.GetUtcNow()).Ticks)));
                var nextDue = schedule.Where(c => c.At > time.GetUtcNow()).Select(c => c.At).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
                if (nextDue != DateTimeOffset.MaxValue && nextDue - time.GetUtcNow() < wait)
                {
                    wait = TimeSpan.FromTicks(Math.Max(0, (nextDue - time.GetUtcNow()).Ticks));
                }

                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "PoC challenge scheduling failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Builds and sends a beacon for <paramref name="hotspot"/> now; returns the filed beacon report id, or null when it could not be sent.</summary>
    public async Task<string?> IssueAsync(HeliumPublicKey hotspot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hotspot);
        var address = hotspot.ToAddress();
        var participants = await directory.GetParticipantsAsync(cancellationToken).ConfigureAwait(false);
        var view = await directory.GetAsync(hotspot, cancellationToken).ConfigureAwait(false);
        if (!participants.TryGetValue(address, out var participant) || view is null || !view.Hotspot.IsAsserted || view.Gateway.Denied)
        {
            PocLog.BeaconNotSent(logger, address, "not a provisioned, asserted, allowed participant");
            metrics.BeaconSent("none", "not_eligible");
            return null;
        }

        if (!entropy.TryGetCurrent(out var current))
        {
            PocLog.BeaconNotSent(logger, address, "no valid entropy");
            metrics.BeaconSent(participant.Transport.ToString(), "no_entropy");
            return null;
        }

        var local = RandomNumberGenerator.GetBytes(BeaconGenerator.LocalEntropyLength);
        var region = view.Hotspot.Region;
        var beacon = BeaconGenerator.Generate(region, view.Hotspot.AntennaGainDeciDbi, current.Data, current.Timestamp, local);
        var rate = region.DataRates.First(r => r.Index == beacon.DataRate);
        var modulation = new LoRaModulation(rate.SpreadingFactor, rate.BandwidthHz);
        var item = new DownlinkItem(beacon.ToPhyPayload(), beacon.FrequencyHz, beacon.TxPowerDeciDbm / 10, modulation, new DownlinkTiming.Immediately(), []);
        var transmission = new DownlinkTransmission(participant.GatewayId, Interlocked.Increment(ref s_downlinkId), [item]);
        try
        {
            await downlinks.SendAsync(transmission, participant.Transport, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException)
        {
            PocLog.BeaconNotSent(logger, address, e.Message);
            metrics.BeaconSent(participant.Transport.ToString(), "failed");
            return null;
        }

        var sentAt = time.GetUtcNow();
        HeliumDataRates.TryGetDataRate(modulation, out var dataRate);
        var report = new lora_beacon_report_req_v1
        {
            PubKey = ByteString.CopyFrom(hotspot.AsSpan()),
            LocalEntropy = ByteString.CopyFrom(local),
            RemoteEntropy = ByteString.CopyFrom(current.Data),
            Data = ByteString.CopyFrom(beacon.Payload),
            Frequency = beacon.FrequencyHz,
            Datarate = dataRate,
            TxPower = beacon.TxPowerDeciDbm,
            Timestamp = (ulong)sentAt.ToUnixTimeMilliseconds() * 1_000_000,
        };
        metrics.BeaconSent(participant.Transport.ToString(), "sent");
        PocLog.BeaconSent(logger, address, participant.GatewayId.ToString(), participant.Transport.ToString(), beacon.FrequencyHz, beacon.DataRate);
        return await ingest.FileServerBeaconAsync(report, sentAt, cancellationToken).ConfigureAwait(false);
    }
}
