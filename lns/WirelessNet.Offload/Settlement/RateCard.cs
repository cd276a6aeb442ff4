namespace WirelessNet.Offload.Settlement;

/// <summary>
/// A carrier's price for offloaded traffic from <see cref="EffectiveFrom"/> until the next card. Multipliers bound the
/// effective per-hotspot rate: a hotspot's rate is price × its standing multiplier (location trust), clamped to
/// [price × floor, price × ceiling] where given.
/// </summary>
/// <param name="CarrierId">Carrier.</param>
/// <param name="EffectiveFrom">First instant the card applies to (a period is rated by the card in force at its start).</param>
/// <param name="PricePerGigabyte">Price per 10^9 rewardable bytes.</param>
/// <param name="Currency">ISO 4217 code of the price.</param>
/// <param name="OperatorRevenueShare">Fraction of the amount paid to the hotspot's operator, in [0, 1].</param>
/// <param name="FloorMultiplier">Lowest multiplier of the price a rewardable hotspot is rated at, if any.</param>
/// <param name="CeilingMultiplier">Highest multiplier of the price a hotspot is rated at, if any.</param>
public sealed record RateCard(
    string CarrierId,
    DateTimeOffset EffectiveFrom,
    decimal PricePerGigabyte,
    string Currency,
    decimal OperatorRevenueShare,
    decimal? FloorMultiplier = null,
    decimal? CeilingMultiplier = null)
{
    /// <summary>Throws when the card is not usable.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(CarrierId);
        ArgumentException.ThrowIfNullOrEmpty(Currency);
        if (PricePerGigabyte < 0)
        {
            throw new ArgumentException("price must not be negative", nameof(PricePerGigabyte));
        }

        if (OperatorRevenueShare is < 0 or > 1)
        {
            throw new ArgumentException("operator share must be in [0, 1]", nameof(OperatorRevenueShare));
        }

        if (FloorMultiplier < 0 || CeilingMultiplier < 0 || (FloorMultiplier is { } floor && CeilingMultiplier is { } ceiling && floor > ceiling))
        {
            throw new ArgumentException("multipliers must be non-negative with floor ≤ ceiling");
        }
    }

    /// <summary>The per-GB rate for a hotspot with <paramref name="standing"/>: 0 when not rewardable.</summary>
    public decimal RateFor(HotspotStanding standing)
    {
        if (!standing.Rewardable)
        {
            return 0m;
        }

        var multiplier = standing.RateMultiplier;
        if (FloorMultiplier is { } floor && multiplier < floor)
        {
            multiplier = floor;
        }

        if (CeilingMultiplier is { } ceiling && multiplier > ceiling)
        {
            multiplier = ceiling;
        }

        return PricePerGigabyte * multiplier;
    }
}

/// <summary>Rate cards by carrier, each in force from its effective date until the next.</summary>
public sealed class RateCardBook
{
    private readonly Dictionary<string, List<RateCard>> _cards = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Adds a card; a card for the same carrier and effective date replaces the earlier one.</summary>
    public void Add(RateCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        card.Validate();
        lock (_gate)
        {
            if (!_cards.TryGetValue(card.CarrierId, out var cards))
            {
                cards = [];
                _cards[card.CarrierId] = cards;
            }

            cards.RemoveAll(existing => existing.EffectiveFrom == card.EffectiveFrom);
            cards.Add(card);
            cards.Sort((a, b) => a.EffectiveFrom.CompareTo(b.EffectiveFrom));
        }
    }

    /// <summary>The card in force at <paramref name="at"/>, or null when the carrier has none yet.</summary>
    public RateCard? CardAt(string carrierId, DateTimeOffset at)
    {
        lock (_gate)
        {
            return _cards.TryGetValue(carrierId, out var cards) ? cards.LastOrDefault(card => card.EffectiveFrom <= at) : null;
        }
    }
}
