using Microsoft.Extensions.Options;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Heartbeats;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Signing;
using WirelessNet.Offload.Validation;
using WirelessNet.Proto.Helium.PocMobile;
using WirelessNet.Proto.Offload;

namespace WirelessNet.Lns.Offload;

/// <summary>A whole request was refused (too large, wrong carrier for the channel); nothing in it was processed.</summary>
public sealed class OffloadRequestException(string message) : Exception(message);

/// <summary>
/// The ingest pipeline every transport calls: read each record, run the core's stateless validation, commit the
/// survivors to the store (the atomic stateful step), record rejections, and answer record by record. A record is
/// answered accepted only after the store acknowledged it; if the store fails the call throws and nothing is
/// answered, so the sender retries and the retry is recognised by its event_id and fingerprint.
/// </summary>
public sealed class OffloadIngest
{
    /// <summary>Batches at least this large are judged on all cores; smaller ones are not worth the hand-off.</summary>
    private const int ParallelJudgingThreshold = 32;

    private readonly IOffloadStore _store;
    private readonly OffloadDirectory _directory;
    private readonly OffloadMetrics _metrics;
    private readonly OffloadOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OffloadIngest> _logger;
    private readonly TransferValidationOptions _validation;
    private readonly TransferValidator _canonicalValidator;

    public OffloadIngest(IOffloadStore store, OffloadDirectory directory, OffloadMetrics metrics, IOptions<OffloadOptions> options, TimeProvider time, ILogger<OffloadIngest> logger)
    {
        _store = store;
        _directory = directory;
        _metrics = metrics;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _validation = new TransferValidationOptions { FutureTolerance = _options.FutureTolerance, MaxBytesPerRecord = _options.MaxBytesPerRecord };
        _canonicalValidator = new TransferValidator(directory, new HeliumRecordSignatureVerifier(), DeferredStatefulSteps.Instance, DeferredStatefulSteps.Instance, _validation);
    }

    /// <summary>Processes a batch. <paramref name="channelCarrier"/>: the carrier the channel belongs to (MQTT topic, HTTP path); records of another carrier are rejected.</summary>
    public async Task<data_transfer_batch_resp_v1> SubmitSessionsAsync(data_transfer_batch_req_v1 batch, string? channelCarrier, string transport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var total = batch.Sessions.Count + batch.AccountingRecords.Count;
        if (total > _options.MaxBatchRecords)
        {
            throw new OffloadRequestException($"a batch holds at most {_options.MaxBatchRecords} records, this one {total}");
        }

        var now = _time.GetUtcNow();
        var results = new record_result[total];
        var pendingByCarrier = new Dictionary<string, List<(int Index, PendingTransfer Pending)>>(StringComparer.Ordinal);
        var rejections = new Dictionary<string, List<RejectedRecord>>(StringComparer.Ordinal);

        // Reading and the stateless checks (two signature verifications per record, most of the server's cost) are
        // independent per record: judged on all cores, then taken in request order, so commits keep that order.
        var verdicts = new Verdict[total];
        if (total >= ParallelJudgingThreshold)
        {
            Parallel.For(
                0,
                total,
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
                i => verdicts[i] = Judge(batch, i, channelCarrier, now));
        }
        else
        {
            for (var i = 0; i < total; i++)
            {
                verdicts[i] = Judge(batch, i, channelCarrier, now);
            }
        }

        for (var i = 0; i < total; i++)
        {
            var verdict = verdicts[i];
            if (verdict.Pending is { } pending)
            {
                if (!pendingByCarrier.TryGetValue(pending.Draft.CarrierId, out var list))
                {
                    list = [];
                    pendingByCarrier[pending.Draft.CarrierId] = list;
                }

                list.Add((i, pending));
            }
            else
            {
                Reject(results, rejections, i, verdict.Carrier, verdict.EventId, verdict.Hotspot, verdict.Reason!, verdict.Message!);
            }
        }

        foreach (var (carrierId, items) in pendingByCarrier)
        {
            IReadOnlyList<CommitOutcome> outcomes;
            try
            {
                outcomes = await _store.CommitAsync(carrierId, items.ConvertAll(item => item.Pending), _options.DeduplicationRetention, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _metrics.StoreFailure();
                OffloadLog.StoreFailed(_logger, e, carrierId, items.Count);
                throw;
            }

            for (var k = 0; k < items.Count; k++)
            {
                var (index, pending) = items[k];
                var outcome = outcomes[k];
                var eventId = pending.Draft.EventId;
                switch (outcome.Status)
                {
                    case CommitStatus.Accepted:
                        results[index] = Result(index, eventId, record_status.Accepted, string.Empty, "accepted");
                        _metrics.Accepted(transport, carrierId, outcome.Transfer!.RewardableBytes);
                        break;
                    case CommitStatus.AlreadyAccepted:
                        results[index] = Result(index, eventId, record_status.AlreadyAccepted, string.Empty, "already accepted; not counted again");
                        _metrics.Retried(transport);
                        break;
                    default:
                        var (reason, message) = outcome.Status switch
                        {
                            CommitStatus.Duplicate => (TransferRejectionReason.DuplicateEvent, $"event_id '{eventId}' was already used for a different record"),
                            CommitStatus.CounterWentBackwards => (TransferRejectionReason.CounterWentBackwards, $"session '{pending.Draft.AccountingSessionId}' already reported higher counters"),
                            _ => (TransferRejectionReason.SessionAlreadyStopped, $"session '{pending.Draft.AccountingSessionId}' was stopped at lower counters"),
                        };
                        Reject(results, rejections, index, carrierId, eventId, pending.Draft.HotspotKey.ToAddress(), reason.ToString(), message);
                        break;
                }
            }
        }

        await StoreRejectionsAsync(rejections, "session", cancellationToken).ConfigureAwait(false);
        return Summarize(results, new data_transfer_batch_resp_v1());
    }

    /// <summary>Reads and checks record <paramref name="i"/> of the batch (sessions first, then accounting records); touches no shared state.</summary>
    private Verdict Judge(data_transfer_batch_req_v1 batch, int i, string? channelCarrier, DateTimeOffset now)
    {
        if (i >= batch.Sessions.Count)
        {
            var accounting = batch.AccountingRecords[i - batch.Sessions.Count];
            var readError = OffloadWire.TryRead(accounting, out var read);
            return readError is { } failure
                ? Verdict.Rejected(channelCarrier, accounting.EventId, null, failure.Reason, failure.Message)
                : Admit(_canonicalValidator, read!, channelCarrier, now);
        }

        var wire = batch.Sessions[i];
        var eventId = wire.DataTransferUsage?.EventId ?? string.Empty;
        if (!OffloadWire.TryReadKey(wire.PubKey, out var routerKey) || !_directory.TryGetCarrierOfRouter(routerKey, out var carrier))
        {
            return Verdict.Rejected(channelCarrier, eventId, null, nameof(TransferRejectionReason.RouterNotRegistered), "pub_key is not a registered carrier router key");
        }

        if (wire.CarrierIdV2 != carrier_id_v2.Unspecified && carrier.HeliumCarrierId != 0 && (int)wire.CarrierIdV2 != carrier.HeliumCarrierId)
        {
            return Verdict.Rejected(carrier.CarrierId, eventId, null, nameof(TransferRejectionReason.RouterNotRegistered), $"carrier_id_v2 {wire.CarrierIdV2} is not the router's carrier");
        }

        var wireError = OffloadWire.TryRead(wire, carrier.CarrierId, routerKey, out var request);
        if (wireError is { } error)
        {
            return Verdict.Rejected(carrier.CarrierId, eventId, null, error.Reason, error.Message);
        }

        var validator = new TransferValidator(_directory, new HeliumEnvelopeSignatures(wire), DeferredStatefulSteps.Instance, DeferredStatefulSteps.Instance, _validation);
        return Admit(validator, request!, channelCarrier, now);
    }

    private Verdict Admit(TransferValidator validator, DataTransferSessionRequest request, string? channelCarrier, DateTimeOffset now)
    {
        var eventId = request.Event.EventId;
        var hotspot = request.Event.HotspotKey.ToAddress();
        // Rejections are reported to the carrier that owns the signing router (never to a carrier the record merely
        // names), or to the channel's carrier, so no one can place records in another carrier's report by naming it.
        var carrierForRecord = _directory.TryGetCarrierOfRouter(request.RouterKey, out var owner) ? owner.CarrierId : channelCarrier;
        if (channelCarrier is not null && !string.Equals(channelCarrier, request.CarrierId, StringComparison.Ordinal))
        {
            return Verdict.Rejected(channelCarrier, eventId, hotspot, nameof(TransferRejectionReason.RouterNotRegistered), $"record for carrier '{request.CarrierId}' sent on carrier '{channelCarrier}''s channel");
        }

        var verdict = validator.Validate(request, now);
        if (!verdict.IsAccepted)
        {
            return Verdict.Rejected(carrierForRecord, eventId, hotspot, verdict.Reason.ToString(), verdict.Message);
        }

        var reported = new TransferCounters(request.Event.UploadBytes, request.Event.DownloadBytes, request.RewardableBytes);
        return new Verdict(null, eventId, hotspot, null, null, new PendingTransfer(verdict.Transfer!, request.Event.AccountingKind, reported, OffloadWire.Fingerprint(request)));
    }

    /// <summary>A record judged: pending for the store, or rejected with the carrier to report it to.</summary>
    private readonly record struct Verdict(string? Carrier, string EventId, string? Hotspot, string? Reason, string? Message, PendingTransfer? Pending)
    {
        public static Verdict Rejected(string? carrier, string eventId, string? hotspot, string reason, string message) => new(carrier, eventId, hotspot, reason, message, null);
    }

    /// <summary>Processes heartbeats and speed tests; a counted heartbeat is stored before it is acknowledged.</summary>
    public async Task<heartbeat_batch_resp_v1> SubmitHeartbeatsAsync(heartbeat_batch_req_v1 batch, string? channelCarrier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var total = batch.CellHeartbeats.Count + batch.WifiHeartbeats.Count + batch.Speedtests.Count;
        if (total > _options.MaxBatchRecords)
        {
            throw new OffloadRequestException($"a batch holds at most {_options.MaxBatchRecords} records, this one {total}");
        }

        var now = _time.GetUtcNow();
        var results = new record_result[total];
        var rejections = new Dictionary<string, List<RejectedRecord>>(StringComparer.Ordinal);
        var index = 0;
        foreach (var cell in batch.CellHeartbeats)
        {
            var heartbeat = OffloadWire.TryReadKey(cell.PubKey, out var key) && cell.Timestamp <= 253_402_300_799
                && OffloadWire.Verify(cell, key, cell.Signature, m => m.Signature = Google.Protobuf.ByteString.Empty)
                ? new Heartbeat(key, HeartbeatRadioKind.Cbrs, (long)cell.Timestamp, cell.Lat, cell.Lon, cell.OperationMode,
                    cell.CbsdId.Length > 0 ? HeartbeatLocationSource.Sas : HeartbeatLocationSource.Unknown, null)
                : null;
            results[index] = await CountAsync(heartbeat, index, channelCarrier, now, rejections, cancellationToken).ConfigureAwait(false);
            index++;
        }

        foreach (var wifi in batch.WifiHeartbeats)
        {
            var heartbeat = OffloadWire.TryReadKey(wifi.PubKey, out var key) && wifi.Timestamp <= 253_402_300_799 && wifi.LocationValidationTimestamp <= 253_402_300_799
                && OffloadWire.Verify(wifi, key, wifi.Signature, m => m.Signature = Google.Protobuf.ByteString.Empty)
                ? new Heartbeat(key, HeartbeatRadioKind.Wifi, (long)wifi.Timestamp, wifi.Lat, wifi.Lon, wifi.OperationMode,
                    wifi.LocationSource switch
                    {
                        location_source.Gps => HeartbeatLocationSource.Gps,
                        location_source.Skyhook => HeartbeatLocationSource.WifiPositioning,
                        _ => HeartbeatLocationSource.Asserted,
                    },
                    wifi.LocationValidationTimestamp == 0 ? null : (long)wifi.LocationValidationTimestamp)
                : null;
            results[index] = await CountAsync(heartbeat, index, channelCarrier, now, rejections, cancellationToken).ConfigureAwait(false);
            index++;
        }

        foreach (var test in batch.Speedtests)
        {
            string? reason = null;
            Speedtest? speedtest = null;
            if (!OffloadWire.TryReadKey(test.PubKey, out var key) || !OffloadWire.Verify(test, key, test.Signature, m => m.Signature = Google.Protobuf.ByteString.Empty))
            {
                reason = "InvalidSignature";
            }
            else if (!_directory.TryGetHotspot(key, out var hotspot))
            {
                // Only registered hotspots' tests are kept, so unknown keys cannot fill the store.
                reason = "UnknownHotspot";
            }
            else if (hotspot.Banned)
            {
                reason = "HotspotBanned";
            }
            else if (test.Timestamp > (ulong)(now + _options.FutureTolerance).ToUnixTimeSeconds())
            {
                reason = "TimestampInFuture";
            }
            else
            {
                speedtest = new Speedtest(key, (long)test.Timestamp, (long)Math.Min(test.UploadSpeed, long.MaxValue), (long)Math.Min(test.DownloadSpeed, long.MaxValue), (int)Math.Min(test.Latency, int.MaxValue));
                var verdict = SpeedtestValidator.Validate(speedtest);
                reason = verdict == SpeedtestRejectionReason.None ? null : verdict.ToString();
            }

            if (reason is null)
            {
                // Stored before it is acknowledged, like a counted heartbeat.
                await _store.AddSpeedtestAsync(speedtest!, _options.SpeedtestsKept, cancellationToken).ConfigureAwait(false);
                _metrics.Heartbeat("speedtest_accepted");
                results[index] = Result(index, string.Empty, record_status.Accepted, string.Empty, "accepted");
            }
            else
            {
                _metrics.Heartbeat("speedtest_rejected");
                Reject(results, rejections, index, channelCarrier, string.Empty, key?.ToAddress(), reason, "speed test rejected: " + reason, "speedtest");
            }

            index++;
        }

        await StoreRejectionsAsync(rejections, "heartbeat", cancellationToken).ConfigureAwait(false);
        return Summarize(results, new heartbeat_batch_resp_v1());
    }

    private async Task<record_result> CountAsync(Heartbeat? heartbeat, int index, string? channelCarrier, DateTimeOffset now, Dictionary<string, List<RejectedRecord>> rejections, CancellationToken cancellationToken)
    {
        var results = new record_result[index + 1];
        if (heartbeat is null)
        {
            Reject(results, rejections, index, channelCarrier, string.Empty, null, "InvalidSignature", "pub_key is not a Helium key, the timestamp is out of range, or the signature does not verify", "heartbeat");
            _metrics.Heartbeat("rejected");
            return results[index];
        }

        var check = OffloadHeartbeats.Check(_directory, heartbeat, now, _options.FutureTolerance);
        if (!check.Counted)
        {
            Reject(results, rejections, index, channelCarrier, string.Empty, heartbeat.HotspotKey.ToAddress(), check.Reason.ToString(), check.Message, "heartbeat");
            _metrics.Heartbeat("rejected");
            return results[index];
        }

        if (!await _store.CountHeartbeatAsync(heartbeat.HotspotKey, heartbeat.Timestamp, check.Trust, cancellationToken).ConfigureAwait(false))
        {
            // Not an error: hotspots heartbeat more often than hourly, and only the first of the hour counts.
            _metrics.Heartbeat("hour_already_counted");
            return Result(index, string.Empty, record_status.AlreadyAccepted, nameof(HeartbeatRejectionReason.HourAlreadyCounted), "a heartbeat already counted for this hour");
        }

        _metrics.Heartbeat("counted");
        return Result(index, string.Empty, record_status.Accepted, string.Empty, "counted");
    }

    private void Reject(record_result[] results, Dictionary<string, List<RejectedRecord>> rejections, int index, string? carrierId, string eventId, string? hotspot, string reason, string message, string kind = "session")
    {
        results[index] = Result(index, eventId, record_status.Rejected, reason, message);
        if (kind == "session")
        {
            _metrics.Rejected(kind, reason);
        }

        OffloadLog.Rejected(_logger, kind, carrierId ?? "-", eventId, reason, message);
        if (carrierId is not null && _directory.TryGetCarrier(carrierId, out _))
        {
            if (!rejections.TryGetValue(carrierId, out var list))
            {
                list = [];
                rejections[carrierId] = list;
            }

            list.Add(new RejectedRecord(_time.GetUtcNow(), kind, eventId, hotspot, reason, message));
        }
    }

    private async Task StoreRejectionsAsync(Dictionary<string, List<RejectedRecord>> rejections, string kind, CancellationToken cancellationToken)
    {
        if (_options.RejectionsKept == 0)
        {
            return;
        }

        foreach (var (carrierId, list) in rejections)
        {
            await _store.AddRejectionsAsync(carrierId, list, _options.RejectionsKept, cancellationToken).ConfigureAwait(false);
        }
    }

    private static record_result Result(int index, string eventId, record_status status, string reason, string message) =>
        new() { Index = (uint)index, EventId = eventId, Status = status, Reason = reason, Message = message };

    private static data_transfer_batch_resp_v1 Summarize(record_result[] results, data_transfer_batch_resp_v1 response)
    {
        response.Results.AddRange(results);
        response.Accepted = (uint)results.Count(r => r.Status != record_status.Rejected);
        response.Rejected = (uint)results.Count(r => r.Status == record_status.Rejected);
        return response;
    }

    private static heartbeat_batch_resp_v1 Summarize(record_result[] results, heartbeat_batch_resp_v1 response)
    {
        response.Results.AddRange(results);
        response.Accepted = (uint)results.Count(r => r.Status != record_status.Rejected);
        response.Rejected = (uint)results.Count(r => r.Status == record_status.Rejected);
        return response;
    }
}

internal static partial class OffloadLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Debug, Message = "Offload {Kind} rejected (carrier {CarrierId}, event {EventId}): {Reason}: {Detail}")]
    public static partial void Rejected(ILogger logger, string kind, string carrierId, string eventId, string reason, string detail);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Error, Message = "Offload store failed for {Count} records of carrier {CarrierId}; nothing acknowledged")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string carrierId, int count);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "Offload MQTT message on {Topic} refused: {Reason}")]
    public static partial void MqttRefused(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Information, Message = "Offload statements issued for carrier {CarrierId}, period {Period}: {Count}")]
    public static partial void StatementsIssued(ILogger logger, string carrierId, string period, int count);
}
