using WirelessNet.Helium.Crypto;

namespace WirelessNet.Offload.Settlement;

/// <summary>What a hotspot's operator is owed for one period in one currency, net of adjustments.</summary>
/// <param name="Hotspot">Hotspot.</param>
/// <param name="Period">Period the traffic was in (adjustments count toward the period they correct).</param>
/// <param name="Currency">Currency.</param>
/// <param name="CarrierAmount">What carriers owe for the hotspot's traffic.</param>
/// <param name="OperatorPayout">The operator's share of it.</param>
public sealed record HotspotPayout(HeliumPublicKey Hotspot, SettlementPeriod Period, string Currency, decimal CarrierAmount, decimal OperatorPayout);

/// <summary>Derives payouts from issued statements only, so payouts can never disagree with what carriers were billed.</summary>
public static class HotspotPayouts
{
    /// <summary>Payouts per (hotspot, original period, currency), summed over regular and adjustment lines.</summary>
    public static IReadOnlyList<HotspotPayout> FromStatements(IEnumerable<CarrierStatement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        return statements
            .SelectMany(statement => statement.Lines.Select(line => (line, statement.RateCard.Currency)))
            .GroupBy(item => (item.line.Hotspot, item.line.OriginalPeriod, item.Currency))
            .Select(group => new HotspotPayout(
                group.Key.Hotspot,
                group.Key.OriginalPeriod,
                group.Key.Currency,
                group.Sum(item => item.line.Amount),
                group.Sum(item => item.line.OperatorShare)))
            .OrderBy(payout => payout.Period.Start)
            .ThenBy(payout => payout.Hotspot.ToAddress(), StringComparer.Ordinal)
            .ToList();
    }
}
