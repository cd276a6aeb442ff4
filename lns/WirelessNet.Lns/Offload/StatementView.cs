using WirelessNet.Offload.Settlement;

namespace WirelessNet.Lns.Offload;

/// <summary>A statement as partners read it in JSON (the signed form is the canonical bytes next to it).</summary>
public sealed record StatementView(
    string CarrierId,
    long Sequence,
    string Kind,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    DateTimeOffset IssuedAt,
    string Currency,
    decimal PricePerGigabyte,
    decimal OperatorRevenueShare,
    IReadOnlyList<StatementLineView> Lines,
    IReadOnlyList<HexLineView> HexLines,
    TotalsView Totals)
{
    public static StatementView From(CarrierStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return new StatementView(
            statement.CarrierId,
            statement.Sequence,
            statement.Kind.ToString(),
            statement.Period.Start,
            statement.Period.End,
            statement.IssuedAt,
            statement.RateCard.Currency,
            statement.RateCard.PricePerGigabyte,
            statement.RateCard.OperatorRevenueShare,
            statement.Lines.Select(l => new StatementLineView(
                l.Hotspot.ToAddress(), l.Hex.ToString(), l.Records, l.UploadBytes, l.DownloadBytes, l.RewardableBytes, l.DataCredits,
                l.RatePerGigabyte, l.Amount, l.OperatorShare, l.Adjustment.ToString(), l.OriginalPeriod.Start, l.OriginalSequence, l.EventIds)).ToList(),
            statement.HexLines.Select(h => new HexLineView(
                h.Hex.ToString(), h.Hotspots, h.Records, h.UploadBytes, h.DownloadBytes, h.RewardableBytes, h.DataCredits, h.Amount, h.OperatorShare)).ToList(),
            new TotalsView(
                statement.Totals.Records, statement.Totals.UploadBytes, statement.Totals.DownloadBytes, statement.Totals.RewardableBytes,
                statement.Totals.DataCredits, statement.Totals.Amount, statement.Totals.OperatorShare, statement.Totals.EarliestRecord, statement.Totals.LatestRecord));
    }
}

public sealed record StatementLineView(
    string Hotspot, string Hex, long Records, long UploadBytes, long DownloadBytes, long RewardableBytes, long DataCredits,
    decimal RatePerGigabyte, decimal Amount, decimal OperatorShare, string Adjustment, DateTimeOffset OriginalPeriodStart, long OriginalSequence, IReadOnlyList<string> EventIds);

public sealed record HexLineView(
    string Hex, int Hotspots, long Records, long UploadBytes, long DownloadBytes, long RewardableBytes, long DataCredits, decimal Amount, decimal OperatorShare);

public sealed record TotalsView(
    long Records, long UploadBytes, long DownloadBytes, long RewardableBytes, long DataCredits, decimal Amount, decimal OperatorShare,
    DateTimeOffset? EarliestRecord, DateTimeOffset? LatestRecord);
