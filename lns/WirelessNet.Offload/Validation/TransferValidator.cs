using WirelessNet.Offload.Records;
using WirelessNet.Offload.Signing;

namespace WirelessNet.Offload.Validation;

/// <summary>
/// Validates carrier-reported data-transfer session requests. Checks run cheapest first (identity and shape, then
/// signatures, then look-ups) and the two stateful steps run last, in this order: the (carrier, event_id) claim, then
/// the accounting-session advance, so a record rejected for any other reason neither consumes its event_id nor moves
/// a session's counters. A record whose claim succeeded but whose counters went backwards keeps its event_id consumed:
/// it was judged, and the same bytes re-sent under the same id are a duplicate.
/// </summary>
public sealed class TransferValidator
{
    private readonly IOffloadDirectory _directory;
    private readonly IRecordSignatureVerifier _signatures;
    private readonly IEventDeduplicationIndex _deduplication;
    private readonly IAccountingSessionStore _sessions;
    private readonly TransferValidationOptions _options;

    /// <summary>A validator over the given stores.</summary>
    public TransferValidator(
        IOffloadDirectory directory,
        IRecordSignatureVerifier signatures,
        IEventDeduplicationIndex deduplication,
        IAccountingSessionStore sessions,
        TransferValidationOptions options)
    {
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _signatures = signatures ?? throw new ArgumentNullException(nameof(signatures));
        _deduplication = deduplication ?? throw new ArgumentNullException(nameof(deduplication));
        _sessions = sessions ?? throw new ArgumentNullException(nameof(sessions));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>Validates one request received at <paramref name="now"/>.</summary>
    public TransferValidationResult Validate(DataTransferSessionRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var transferEvent = request.Event;

        if (string.IsNullOrEmpty(request.CarrierId) || string.IsNullOrEmpty(transferEvent.EventId))
        {
            return Reject(TransferRejectionReason.MissingIdentifier, "carrier id and event_id must be non-empty");
        }

        if (!_directory.TryGetCarrier(request.CarrierId, out var carrier))
        {
            return Reject(TransferRejectionReason.UnknownCarrier, $"carrier '{request.CarrierId}' has no contract");
        }

        if (!carrier.RouterKeys.Contains(request.RouterKey))
        {
            return Reject(TransferRejectionReason.RouterNotRegistered, $"router {request.RouterKey} is not registered for carrier '{carrier.CarrierId}'");
        }

        var shape = CheckShape(request, carrier, now);
        if (shape is not null)
        {
            return shape;
        }

        if (!_signatures.VerifySessionRequest(request))
        {
            return Reject(TransferRejectionReason.InvalidRouterSignature, "router signature over the envelope does not verify");
        }

        if (!_signatures.VerifyEvent(transferEvent))
        {
            return Reject(TransferRejectionReason.InvalidHotspotSignature, "hotspot signature over the event does not verify");
        }

        if (!_directory.TryGetHotspot(transferEvent.HotspotKey, out var hotspot))
        {
            return Reject(TransferRejectionReason.UnknownHotspot, $"hotspot {transferEvent.HotspotKey} is not known");
        }

        if (hotspot.Banned)
        {
            return Reject(TransferRejectionReason.HotspotBanned, $"hotspot {transferEvent.HotspotKey} is banned");
        }

        if (!carrier.AllowedTechnologies.Contains(transferEvent.RadioAccessTechnology))
        {
            return Reject(TransferRejectionReason.TechnologyNotAllowed, $"carrier '{carrier.CarrierId}' does not pay for {transferEvent.RadioAccessTechnology}");
        }

        if (!_deduplication.TryClaim(carrier.CarrierId, transferEvent.EventId, transferEvent.Timestamp, now))
        {
            return Reject(TransferRejectionReason.DuplicateEvent, $"event_id '{transferEvent.EventId}' was already received from carrier '{carrier.CarrierId}'");
        }

        var reported = new TransferCounters(transferEvent.UploadBytes, transferEvent.DownloadBytes, request.RewardableBytes);
        var added = reported;
        if (transferEvent.AccountingKind != AccountingRecordKind.Standalone)
        {
            var advance = _sessions.Advance(carrier.CarrierId, transferEvent.AccountingSessionId!, transferEvent.AccountingKind, reported);
            switch (advance.Outcome)
            {
                case AccountingAdvanceOutcome.CounterWentBackwards:
                    return Reject(
                        TransferRejectionReason.CounterWentBackwards,
                        $"session '{transferEvent.AccountingSessionId}' already reported {advance.Previous}, this record reports {reported}");
                case AccountingAdvanceOutcome.SessionAlreadyStopped:
                    return Reject(
                        TransferRejectionReason.SessionAlreadyStopped,
                        $"session '{transferEvent.AccountingSessionId}' stopped at {advance.Previous}, this record reports {reported}");
                default:
                    added = advance.Delta;
                    break;
            }
        }

        return TransferValidationResult.Accept(new AcceptedTransfer(
            carrier.CarrierId,
            transferEvent.EventId,
            transferEvent.HotspotKey,
            transferEvent.Payer,
            hotspot.Hex,
            transferEvent.Timestamp,
            transferEvent.RadioAccessTechnology,
            added.UploadBytes,
            added.DownloadBytes,
            // A cancelled reward still moved bytes (metered) but the carrier owes nothing for them.
            request.RewardCancelled ? 0 : added.RewardableBytes,
            request.Sampling,
            request.RewardCancelled,
            transferEvent.AccountingKind is AccountingRecordKind.Standalone or AccountingRecordKind.Start)
        {
            AccountingSessionId = transferEvent.AccountingSessionId,
        });
    }

    private TransferValidationResult? CheckShape(DataTransferSessionRequest request, CarrierContract carrier, DateTimeOffset now)
    {
        var transferEvent = request.Event;
        var isAccounting = transferEvent.AccountingKind != AccountingRecordKind.Standalone;
        if (isAccounting == string.IsNullOrEmpty(transferEvent.AccountingSessionId))
        {
            return Reject(
                TransferRejectionReason.MalformedAccountingRecord,
                isAccounting ? $"{transferEvent.AccountingKind} record has no accounting session id" : "standalone record carries an accounting session id");
        }

        if (transferEvent.UploadBytes < 0 || transferEvent.DownloadBytes < 0 || request.RewardableBytes < 0)
        {
            return Reject(TransferRejectionReason.NegativeByteCount, "byte counts must not be negative");
        }

        var max = _options.MaxBytesPerRecord;
        if (transferEvent.UploadBytes > max || transferEvent.DownloadBytes > max || request.RewardableBytes > max)
        {
            return Reject(TransferRejectionReason.ByteCountTooLarge, $"a byte count exceeds the per-record maximum of {max}");
        }

        // Both are at most MaxBytesPerRecord, far below long.MaxValue / 2, so the sum cannot overflow.
        if (request.RewardableBytes > transferEvent.UploadBytes + transferEvent.DownloadBytes)
        {
            return Reject(
                TransferRejectionReason.RewardableExceedsTransferred,
                $"rewardable {request.RewardableBytes} exceeds upload {transferEvent.UploadBytes} + download {transferEvent.DownloadBytes}");
        }

        var timestamp = transferEvent.Timestamp;
        if (timestamp > now + _options.FutureTolerance)
        {
            return Reject(TransferRejectionReason.TimestampInFuture, $"timestamp {timestamp:O} is ahead of {now:O} by more than {_options.FutureTolerance}");
        }

        if (timestamp < now - carrier.LateRecordLimit)
        {
            return Reject(TransferRejectionReason.TimestampTooOld, $"timestamp {timestamp:O} is older than carrier '{carrier.CarrierId}' accepts ({carrier.LateRecordLimit})");
        }

        return null;
    }

    private static TransferValidationResult Reject(TransferRejectionReason reason, string message) =>
        TransferValidationResult.Reject(reason, message);
}
