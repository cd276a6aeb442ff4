using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Offload.Settlement;

/// <summary>
/// Sums over a set of accepted records: all that rating needs. Records are summed, never kept, so a period of
/// millions of records is settled from a handful of tallies per hotspot.
/// </summary>
/// <param name="Records">Records.</param>
/// <param name="Billed">Records whose reward was not cancelled (they owe data credits).</param>
/// <param name="UploadBytes">Upload bytes.</param>
/// <param name="DownloadBytes">Download bytes.</param>
/// <param name="RewardableBytes">Rewardable bytes.</param>
public readonly record struct TransferTally(long Records, long Billed, long UploadBytes, long DownloadBytes, long RewardableBytes)
{
    /// <summary>The tally of one record.</summary>
    public static TransferTally Of(AcceptedTransfer transfer)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        return new(1, transfer.IsBilled ? 1 : 0, transfer.UploadBytes, transfer.DownloadBytes, transfer.RewardableBytes);
    }

    /// <summary>Both tallies together.</summary>
    public TransferTally Plus(TransferTally other) => new(
        checked(Records + other.Records),
        checked(Billed + other.Billed),
        checked(UploadBytes + other.UploadBytes),
        checked(DownloadBytes + other.DownloadBytes),
        checked(RewardableBytes + other.RewardableBytes));

    /// <summary>This tally taken away.</summary>
    public TransferTally Negate() => new(-Records, -Billed, -UploadBytes, -DownloadBytes, -RewardableBytes);
}

/// <summary>
/// What a carrier's ledger carries from one close to the next, without the records: the sequence counter, the
/// books of the periods it holds, the queued adjustments and the disputed ids. <see cref="SettlementLedger"/> exports
/// and imports it, so a server can persist it with each close and later load only the periods a close touches.
/// </summary>
/// <param name="CarrierId">Carrier.</param>
/// <param name="NextSequence">Sequence number of the next statement.</param>
/// <param name="Periods">Period books held (a subset of the carrier's periods when loaded partially).</param>
/// <param name="Pending">Changes to closed periods waiting for the next adjustment statement.</param>
/// <param name="Disputed">Event ids disputed so far (a second dispute of one is reported, not credited).</param>
public sealed record CarrierLedgerState(
    string CarrierId,
    long NextSequence,
    IReadOnlyList<PeriodLedgerState> Periods,
    IReadOnlyList<PendingAdjustment> Pending,
    IReadOnlyList<string> Disputed);

/// <summary>One period's book: open (tallies so far) or closed (what was settled, per hotspot).</summary>
/// <param name="Period">Period.</param>
/// <param name="Closed">True once its regular statement was issued.</param>
/// <param name="Sequence">Sequence number of its regular statement (0 while open).</param>
/// <param name="Card">Rate card it was settled with (null while open).</param>
/// <param name="EarliestRecord">Earliest record time added before the close, if any.</param>
/// <param name="LatestRecord">Latest record time added before the close, if any.</param>
/// <param name="Hotspots">Per-hotspot tallies and settled figures.</param>
public sealed record PeriodLedgerState(
    SettlementPeriod Period,
    bool Closed,
    long Sequence,
    RateCard? Card,
    DateTimeOffset? EarliestRecord,
    DateTimeOffset? LatestRecord,
    IReadOnlyList<HotspotLedgerState> Hotspots);

/// <summary>One hotspot in a period: tallies per payer (data credits are per payer bucket) and what was settled.</summary>
/// <param name="Hotspot">Hotspot.</param>
/// <param name="Hex">Its res-8 hex.</param>
/// <param name="Standing">Standing it was rated with at the close (null before).</param>
/// <param name="Settled">Figures settled so far (zero before the close).</param>
/// <param name="Payers">Tallies per payer.</param>
public sealed record HotspotLedgerState(
    HeliumPublicKey Hotspot,
    H3Index Hex,
    HotspotStanding? Standing,
    SettledFigures Settled,
    IReadOnlyList<PayerTally> Payers);

/// <summary>One payer's tally within a hotspot's period.</summary>
public sealed record PayerTally(HeliumPublicKey Payer, TransferTally Tally);

/// <summary>A queued change to a closed period: a late record to add or a disputed record to credit.</summary>
/// <param name="Reason">Late record or dispute credit.</param>
/// <param name="Period">The closed period it changes.</param>
/// <param name="Record">The record.</param>
public sealed record PendingAdjustment(AdjustmentReason Reason, SettlementPeriod Period, AcceptedTransfer Record);

/// <summary>A hotspot's rated figures for a period, or the change between two ratings.</summary>
/// <param name="Records">Records.</param>
/// <param name="UploadBytes">Upload bytes.</param>
/// <param name="DownloadBytes">Download bytes.</param>
/// <param name="RewardableBytes">Rewardable bytes.</param>
/// <param name="DataCredits">Data credits.</param>
/// <param name="RatePerGigabyte">Rate.</param>
/// <param name="Amount">Money, rounded.</param>
/// <param name="OperatorShare">Operator's part, rounded.</param>
public readonly record struct SettledFigures(
    long Records, long UploadBytes, long DownloadBytes, long RewardableBytes, long DataCredits, decimal RatePerGigabyte, decimal Amount, decimal OperatorShare)
{
    /// <summary>This rating minus an earlier one (the rate is this one's).</summary>
    public SettledFigures Minus(SettledFigures settled) => new(
        Records - settled.Records,
        UploadBytes - settled.UploadBytes,
        DownloadBytes - settled.DownloadBytes,
        RewardableBytes - settled.RewardableBytes,
        DataCredits - settled.DataCredits,
        RatePerGigabyte,
        Amount - settled.Amount,
        OperatorShare - settled.OperatorShare);
}
