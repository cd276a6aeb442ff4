using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;

namespace WirelessNet.Offload.Settlement;

/// <summary>Whether a statement settles a period or corrects earlier ones.</summary>
public enum StatementKind
{
    /// <summary>The records of one closed period.</summary>
    Regular = 0,

    /// <summary>Corrections to already-closed periods, issued with a later period.</summary>
    Adjustment = 1,
}

/// <summary>Why an adjustment line exists.</summary>
public enum AdjustmentReason
{
    /// <summary>Not an adjustment (a regular statement's line).</summary>
    None = 0,

    /// <summary>Records of a closed period that arrived after it closed; flagged late, added.</summary>
    LateRecords = 1,

    /// <summary>Records the partner disputed; credited (subtracted).</summary>
    DisputeCredit = 2,
}

/// <summary>
/// One hotspot's figures. On a regular statement, the hotspot's traffic in the period; on an adjustment, the change
/// to what was settled for <see cref="OriginalPeriod"/> (negative for credits), linked to the statement that settled it.
/// </summary>
/// <param name="Hotspot">Hotspot.</param>
/// <param name="Hex">The hotspot's res-8 hex.</param>
/// <param name="Records">Accepted records (negative when credited).</param>
/// <param name="UploadBytes">Upload bytes.</param>
/// <param name="DownloadBytes">Download bytes.</param>
/// <param name="RewardableBytes">Rewardable bytes.</param>
/// <param name="DataCredits">Data credits.</param>
/// <param name="RatePerGigabyte">Rate the hotspot's rewardable bytes were priced at.</param>
/// <param name="Amount">Money owed by the carrier, rounded.</param>
/// <param name="OperatorShare">Part of the amount paid to the hotspot's operator, rounded.</param>
public sealed record StatementLine(
    HeliumPublicKey Hotspot,
    H3Index Hex,
    long Records,
    long UploadBytes,
    long DownloadBytes,
    long RewardableBytes,
    long DataCredits,
    decimal RatePerGigabyte,
    decimal Amount,
    decimal OperatorShare)
{
    /// <summary>Why this is an adjustment; none on regular statements.</summary>
    public AdjustmentReason Adjustment { get; init; }

    /// <summary>The period an adjustment corrects (the statement's own period on regular lines).</summary>
    public SettlementPeriod OriginalPeriod { get; init; }

    /// <summary>Sequence number of the statement that settled <see cref="OriginalPeriod"/>.</summary>
    public long OriginalSequence { get; init; }

    /// <summary>The records an adjustment adds or credits, sorted ordinally; empty on regular lines.</summary>
    public IReadOnlyList<string> EventIds { get; init; } = [];
}

/// <summary>Figures of the hotspots in one hex, summed from the hotspot lines (never re-rounded).</summary>
/// <param name="Hex">Res-8 hex.</param>
/// <param name="Hotspots">Distinct hotspots with lines in it.</param>
/// <param name="Records">Accepted records.</param>
/// <param name="UploadBytes">Upload bytes.</param>
/// <param name="DownloadBytes">Download bytes.</param>
/// <param name="RewardableBytes">Rewardable bytes.</param>
/// <param name="DataCredits">Data credits.</param>
/// <param name="Amount">Money.</param>
/// <param name="OperatorShare">Operators' part.</param>
public sealed record HexLine(
    H3Index Hex,
    int Hotspots,
    long Records,
    long UploadBytes,
    long DownloadBytes,
    long RewardableBytes,
    long DataCredits,
    decimal Amount,
    decimal OperatorShare);

/// <summary>Totals a partner checks the lines against, and the span of record times covered.</summary>
/// <param name="Records">Records.</param>
/// <param name="UploadBytes">Upload bytes.</param>
/// <param name="DownloadBytes">Download bytes.</param>
/// <param name="RewardableBytes">Rewardable bytes.</param>
/// <param name="DataCredits">Data credits.</param>
/// <param name="Amount">Money.</param>
/// <param name="OperatorShare">Operators' part.</param>
/// <param name="EarliestRecord">Earliest record time, null when there are none.</param>
/// <param name="LatestRecord">Latest record time, null when there are none.</param>
public sealed record ControlTotals(
    long Records,
    long UploadBytes,
    long DownloadBytes,
    long RewardableBytes,
    long DataCredits,
    decimal Amount,
    decimal OperatorShare,
    DateTimeOffset? EarliestRecord,
    DateTimeOffset? LatestRecord);

/// <summary>
/// An immutable statement for one carrier. Corrections are new adjustment statements, never edits: a statement's
/// canonical bytes, and so its signature, stay valid forever.
/// </summary>
/// <param name="CarrierId">Carrier.</param>
/// <param name="Sequence">Per-carrier sequence number, 1, 2, … in issue order, with no gaps.</param>
/// <param name="Kind">Regular or adjustment.</param>
/// <param name="Period">Period settled (regular) or with whose close it was issued (adjustment).</param>
/// <param name="IssuedAt">When it was issued (whole seconds).</param>
/// <param name="RateCard">Card in force for <paramref name="Period"/>.</param>
/// <param name="Lines">Hotspot lines, sorted by hotspot key bytes then original period.</param>
/// <param name="HexLines">Hex lines, sorted by hex.</param>
/// <param name="Totals">Control totals.</param>
public sealed record CarrierStatement(
    string CarrierId,
    long Sequence,
    StatementKind Kind,
    SettlementPeriod Period,
    DateTimeOffset IssuedAt,
    RateCard RateCard,
    IReadOnlyList<StatementLine> Lines,
    IReadOnlyList<HexLine> HexLines,
    ControlTotals Totals);
