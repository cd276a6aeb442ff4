using Microsoft.Extensions.Options;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Measured;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium;
using WirelessNet.LoRaWan.Regions;
using WirelessNet.Poc.Hotspots;
using WirelessNet.Poc.Validation;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PocLora;

namespace WirelessNet.Lns.Poc;

/// <summary>
/// Verifies rounds once they have settled (<see cref="PocOptions.RoundSettleDelay"/> after their first report): leases
/// them in the store (so one instance verifies each), runs the core <see cref="PocVerifier"/> with the hotspots'
/// provisioning, the reciprocity marks and the denylist, stores each verdict in its epoch, moves the marks forward and
/// feeds every valid witness into measured coverage (the beaconer's asserted location heard by the witness).
/// </summary>
public sealed class PocRoundProcessor(
    IPocStore store,
    PocHotspotDirectory directory,
    PocEntropySource entropy,
    PocKeyCache keys,
    ICoverageStore coverage,
    PocMetrics metrics,
    IOptions<PocOptions> options,
    TimeProvider time,
    ILogger<PocRoundProcessor> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private readonly PocValidationOptions _validation = options.Value.ToValidationOptions();
    private readonly HashSet<ulong> _placedHotspots = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await entropy.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await VerifyDueAsync(stoppingToken).ConfigureAwait(false) == BatchSize)
                {
                }

                await Task.Delay(options.Value.RoundPollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Store trouble: the leased rounds come back when their lease ends.
                PocLog.RoundFailed(logger, "(batch)", e);
                await Task.Delay(options.Value.RoundPollInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Verifies one batch of settled rounds; returns how many rounds it took.</summary>
    public async Task<int> VerifyDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ids = await store.ClaimDueRoundsAsync(now - options.Value.RoundSettleDelay, now, Lease, BatchSize, cancellationToken).ConfigureAwait(false);
        if (ids.Count == 0)
        {
            return 0;
        }

        var rounds = new List<LoadedRound>(ids.Count);
        foreach (var id in ids)
        {
            var reports = await store.GetRoundReportsAsync(id, cancellationToken).ConfigureAwait(false);
            rounds.Add(Load(id, reports, keys));
        }

        var involved = new HashSet<HeliumPublicKey>();
        foreach (var round in rounds)
        {
            if (round.Beacon is { } beacon)
            {
                involved.Add(beacon.Report.PubKey);
            }

            foreach (var witness in round.Witnesses)
            {
                involved.Add(witness.Report.PubKey);
            }
        }

        // The hotspots' provisioning, marks and denylist, read once for the batch.
        var views = new Dictionary<HeliumPublicKey, PocHotspotView>();
        var denylist = new PocDenylist();
        foreach (var key in involved)
        {
            if (await directory.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } view)
            {
                views[key] = view;
                if (view.Gateway.Denied)
                {
                    denylist.DenyKey(key);
                }
            }
        }

        var (deniedKeys, deniedEdges) = await store.GetDenylistAsync(cancellationToken).ConfigureAwait(false);
        foreach (var address in deniedKeys)
        {
            if (HeliumPublicKey.TryParseAddress(address, out var key))
            {
                denylist.DenyKey(key);
            }
        }

        foreach (var (beaconer, witness) in deniedEdges)
        {
            if (HeliumPublicKey.TryParseAddress(beaconer, out var b) && HeliumPublicKey.TryParseAddress(witness, out var w))
            {
                denylist.DenyEdge(b, w);
            }
        }

        var keyList = involved.ToList();
        var marks = await store.GetActivityAsync(keyList.Select(k => k.ToAddress()).ToList(), cancellationToken).ConfigureAwait(false);
        var activity = new PocActivityLog();
        for (var i = 0; i < keyList.Count; i++)
        {
            if (marks[i].Beacon is { } b)
            {
                activity.RecordBeacon(keyList[i], DateTimeOffset.FromUnixTimeMilliseconds(b));
            }

            if (marks[i].Witness is { } w)
            {
                activity.RecordWitness(keyList[i], DateTimeOffset.FromUnixTimeMilliseconds(w));
            }
        }

        var hotspots = views.ToDictionary(v => v.Key, v => v.Value.Hotspot);
        rounds.Sort((a, b) => a.FirstReceivedAt.CompareTo(b.FirstReceivedAt));

        // In beacon order, each round seeing the marks the previous ones left (a hotspot's first valid witness can make
        // its next beacon valid within one batch, as it would across batches).
        var results = entropy.Read(chain =>
        {
            var verifier = new PocVerifier(hotspots, chain, activity, denylist, _validation);
            var verified = new List<(LoadedRound Round, PocRoundResult? Result)>(rounds.Count);
            foreach (var round in rounds)
            {
                if (round.Beacon is null)
                {
                    verified.Add((round, null));
                    continue;
                }

                var result = verifier.Verify(ToReport(round.Beacon, hotspots), round.Witnesses.Select(w => ToReport(w, hotspots)).ToList());
                activity.Record(result);
                verified.Add((round, result));
            }

            return verified;
        });

        var newMarks = new List<(string, bool, long)>();
        var observations = new List<CoverageObservation>();
        foreach (var (round, result) in results)
        {
            if (result is null)
            {
                metrics.Round("no_beacon");
                PocLog.NoBeacon(logger, round.Id, round.Witnesses.Count);
                await store.CompleteRoundAsync(round.Id, 0, null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var record = ToRecord(round.Id, result);
            var roundObservations = new List<CoverageObservation>();
            var placed = new List<PocHotspotView>();
            var valid = 0;
            foreach (var witness in result.Witnesses)
            {
                if (witness.IsValid)
                {
                    valid++;
                    if (views.TryGetValue(result.Beacon.Beaconer, out var beaconer) && beaconer.Gateway.Location is { } at
                        && views.TryGetValue(witness.Report.Witness, out var witnessView))
                    {
                        roundObservations.Add(new CoverageObservation(
                            new LatLng(at.Latitude, at.Longitude),
                            witnessView.Gateway.GatewayId.Value,
                            witness.Report.SignalDeciDbm / 10.0,
                            witness.Report.SnrDeciDb / 10.0,
                            witness.Report.ReceivedAt));
                        placed.Add(witnessView);
                    }
                }

                if (witness.PassedPhysicalRules && result.BeaconPassedPhysicalRules)
                {
                    newMarks.Add((witness.Report.Witness.ToAddress(), false, witness.Report.ReceivedAt.ToUnixTimeMilliseconds()));
                }
            }

            if (result.BeaconPassedPhysicalRules)
            {
                newMarks.Add((result.Beacon.Beaconer.ToAddress(), true, result.Beacon.ReceivedAt.ToUnixTimeMilliseconds()));
            }

            // A round whose lease ran out while this instance worked on it may have been verified elsewhere: only the
            // verdict that was stored counts, in metrics and in coverage.
            if (!await store.CompleteRoundAsync(round.Id, record.EpochIndex, record.ToJson(), cancellationToken).ConfigureAwait(false))
            {
                metrics.Round("already_verified");
                PocLog.AlreadyVerified(logger, round.Id);
                continue;
            }

            metrics.Round("verified");
            metrics.Verdict(PocReportIngest.BeaconKind, record.BeaconReason);
            foreach (var witness in result.Witnesses)
            {
                metrics.Verdict(PocReportIngest.WitnessKind, PocRoundRecord.ReasonName(witness.Reason));
            }

            observations.AddRange(roundObservations);
            foreach (var view in placed)
            {
                await PlaceAsync(view, cancellationToken).ConfigureAwait(false);
            }

            PocLog.Verified(logger, round.Id, record.Beaconer, record.BeaconReason, valid, result.Witnesses.Count, result.SelectedWitnessCount);
        }

        await store.RecordActivityAsync(newMarks, cancellationToken).ConfigureAwait(false);
        if (observations.Count > 0)
        {
            try
            {
                await coverage.AddObservationsAsync(observations.ToArray(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Coverage is a view; the verdicts are already stored and must not be redone for it.
                PocLog.CoverageFailed(logger, e);
            }
        }

        return ids.Count;
    }

    private async ValueTask PlaceAsync(PocHotspotView hotspot, CancellationToken cancellationToken)
    {
        lock (_placedHotspots)
        {
            if (!_placedHotspots.Add(hotspot.Gateway.GatewayId.Value))
            {
                return;
            }
        }

        if (hotspot.Gateway.Location is { } at)
        {
            await coverage.UpsertHotspotAsync(new HotspotLocation(hotspot.Gateway.GatewayId.Value, new LatLng(at.Latitude, at.Longitude), hotspot.Gateway.Name), cancellationToken).ConfigureAwait(false);
        }
    }

    private static LoadedRound Load(string id, PocRoundReports reports, PocKeyCache keys)
    {
        LoadedBeacon? beacon = null;
        var first = long.MaxValue;
        foreach (var bytes in reports.Beacons)
        {
            var ingest = lora_beacon_ingest_report_v1.Parser.ParseFrom(bytes);
            var receivedMs = (long)ingest.ReceivedTimestamp;
            first = Math.Min(first, receivedMs);

            // The first beacon of a payload is the round's; a later one with the same payload is a replay.
            if (keys.TryParse(ingest.Report.PubKey, out var key, out _) && (beacon is null || receivedMs < beacon.ReceivedMs))
            {
                beacon = new LoadedBeacon(new ParsedReport<lora_beacon_report_req_v1>(key, ingest.Report), receivedMs);
            }
        }

        var witnesses = new List<LoadedWitness>(reports.Witnesses.Count);
        foreach (var bytes in reports.Witnesses)
        {
            var ingest = lora_witness_ingest_report_v1.Parser.ParseFrom(bytes);
            first = Math.Min(first, (long)ingest.ReceivedTimestamp);
            if (keys.TryParse(ingest.Report.PubKey, out var key, out _))
            {
                witnesses.Add(new LoadedWitness(new ParsedReport<lora_witness_report_req_v1>(key, ingest.Report), (long)ingest.ReceivedTimestamp));
            }
        }

        return new LoadedRound(id, beacon, witnesses, first);
    }

    private static BeaconReport ToReport(LoadedBeacon beacon, Dictionary<HeliumPublicKey, PocHotspot> hotspots)
    {
        var report = beacon.Report.Report;
        return new BeaconReport(
            beacon.Report.PubKey,
            report.RemoteEntropy.ToByteArray(),
            report.LocalEntropy.ToByteArray(),
            report.Data.ToByteArray(),
            report.Frequency,
            RegionDataRate(hotspots.GetValueOrDefault(beacon.Report.PubKey)?.Region, report.Datarate),
            report.TxPower,
            DateTimeOffset.FromUnixTimeMilliseconds(beacon.ReceivedMs));
    }

    private static WitnessReport ToReport(LoadedWitness witness, Dictionary<HeliumPublicKey, PocHotspot> hotspots)
    {
        var report = witness.Report.Report;
        return new WitnessReport(
            witness.Report.PubKey,
            report.Data.ToByteArray(),
            report.Frequency,
            RegionDataRate(hotspots.GetValueOrDefault(witness.Report.PubKey)?.Region, report.Datarate),
            report.Signal,
            report.Snr,
            DateTimeOffset.FromUnixTimeMilliseconds(witness.ReceivedMs));
    }

    /// <summary>The region's index of a Helium data rate; -1 when the region has no such LoRa uplink rate.</summary>
    internal static int RegionDataRate(RegionParameters? region, data_rate dataRate)
    {
        if (region is null || !HeliumDataRates.TryGetModulation(dataRate, out var modulation))
        {
            return -1;
        }

        foreach (var rate in region.DataRates)
        {
            if (rate.IsLoRa && rate.IsUplink && rate.SpreadingFactor == modulation.SpreadingFactor && rate.BandwidthHz == modulation.BandwidthHz)
            {
                return rate.Index;
            }
        }

        return -1;
    }

    internal static PocRoundRecord ToRecord(string id, PocRoundResult result) => new(
        id,
        result.Beacon.Beaconer.ToAddress(),
        result.Beacon.ReceivedAt.ToUnixTimeMilliseconds(),
        PocRoundRecord.ReasonName(result.BeaconReason),
        result.Beacon.FrequencyHz,
        result.Witnesses.Select(w => new PocWitnessRecord(
            w.Report.Witness.ToAddress(),
            w.Report.ReceivedAt.ToUnixTimeMilliseconds(),
            PocRoundRecord.ReasonName(w.Reason),
            PocRoundRecord.SideName(w.FailedSide),
            w.Selected,
            w.Report.SignalDeciDbm,
            w.Report.SnrDeciDb,
            w.Report.FrequencyHz)).ToList());

    private sealed record ParsedReport<T>(HeliumPublicKey PubKey, T Report);

    private sealed record LoadedBeacon(ParsedReport<lora_beacon_report_req_v1> Report, long ReceivedMs);

    private sealed record LoadedWitness(ParsedReport<lora_witness_report_req_v1> Report, long ReceivedMs);

    private sealed record LoadedRound(string Id, LoadedBeacon? Beacon, List<LoadedWitness> Witnesses, long FirstReceivedAt);
}
