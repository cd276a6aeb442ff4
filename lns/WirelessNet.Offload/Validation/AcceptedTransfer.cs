using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Records;

namespace WirelessNet.Offload.Validation;

/// <summary>
/// A validated data-transfer record reduced to what metering and settlement need: the bytes it adds (deltas for
/// accounting records) and the keys it is aggregated by.
/// </summary>
/// <param name="CarrierId">Carrier that reported it.</param>
/// <param name="EventId">Carrier-unique event id.</param>
/// <param name="HotspotKey">Hotspot that carried the traffic.</param>
/// <param name="Payer">Key paying the data credits.</param>
/// <param name="Hex">Res-8 hex of the hotspot's asserted location (null index when none).</param>
/// <param name="Timestamp">Record time (whole seconds), which decides its hour, day and settlement period.</param>
/// <param name="RadioAccessTechnology">Radio technology.</param>
/// <param name="UploadBytes">Upload bytes this record adds.</param>
/// <param name="DownloadBytes">Download bytes this record adds.</param>
/// <param name="RewardableBytes">Rewardable bytes this record adds (zero when the carrier cancelled the reward).</param>
/// <param name="Sampling">The carrier flagged the record as a sample.</param>
/// <param name="RewardCancelled">The carrier cancelled the reward.</param>
/// <param name="OpensSession">
/// The record opens a session (a standalone event, or a RADIUS start), so session counts do not grow with interims.
/// </param>
public sealed record AcceptedTransfer(
    string CarrierId,
    string EventId,
    HeliumPublicKey HotspotKey,
    HeliumPublicKey Payer,
    H3Index Hex,
    DateTimeOffset Timestamp,
    RadioAccessTechnology RadioAccessTechnology,
    long UploadBytes,
    long DownloadBytes,
    long RewardableBytes,
    bool Sampling,
    bool RewardCancelled,
    bool OpensSession)
{
    /// <summary>
    /// The record is billed: its (hotspot, payer) bucket owes data credits. A cancelled reward burns nothing.
    /// </summary>
    public bool IsBilled => !RewardCancelled;

    /// <summary>RADIUS session the record belongs to (its bytes are a delta of that session's counters); null for standalone events.</summary>
    public string? AccountingSessionId { get; init; }
}

/// <summary>Outcome of validating one record: accepted with its transfer, or rejected with a reason and text.</summary>
public sealed record TransferValidationResult
{
    private TransferValidationResult(AcceptedTransfer? transfer, TransferRejectionReason reason, string message)
    {
        Transfer = transfer;
        Reason = reason;
        Message = message;
    }

    /// <summary>The accepted transfer; null when rejected.</summary>
    public AcceptedTransfer? Transfer { get; }

    /// <summary>Why it was rejected; <see cref="TransferRejectionReason.None"/> when accepted.</summary>
    public TransferRejectionReason Reason { get; }

    /// <summary>Human-readable detail for logs and carrier reports.</summary>
    public string Message { get; }

    /// <summary>True when accepted.</summary>
    public bool IsAccepted => Transfer is not null;

    internal static TransferValidationResult Accept(AcceptedTransfer transfer) => new(transfer, TransferRejectionReason.None, "accepted");

    internal static TransferValidationResult Reject(TransferRejectionReason reason, string message) => new(null, reason, message);
}
