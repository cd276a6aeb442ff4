using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Heartbeats;
using WirelessNet.Offload.Metering;

namespace WirelessNet.Offload.Settlement;

/// <summary>A settlement period, [Start, End).</summary>
/// <param name="Start">First instant.</param>
/// <param name="End">First instant after the period.</param>
public readonly record struct SettlementPeriod(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>True when <paramref name="time"/> is in the period.</summary>
    public bool Contains(DateTimeOffset time) => time >= Start && time < End;

    /// <inheritdoc />
    public override string ToString() => $"[{Start:O}, {End:O})";
}

/// <summary>A hotspot's standing for a period, which decides its rate.</summary>
/// <param name="Rewardable">False when the hotspot's traffic earns nothing (e.g. too few heartbeats).</param>
/// <param name="RateMultiplier">Multiplier of the carrier's price before the rate card's floor and ceiling.</param>
public readonly record struct HotspotStanding(bool Rewardable, decimal RateMultiplier)
{
    /// <summary>Rewardable at the full price; the standing when heartbeats are not considered.</summary>
    public static HotspotStanding Full => new(true, 1m);

    /// <summary>
    /// Standings from heartbeats: rewardable with ≥ 12 counted hours in the period's UTC start day, at the mean
    /// location trust of the counted heartbeats. Meant for day-long periods.
    /// </summary>
    public static Func<HeliumPublicKey, SettlementPeriod, HotspotStanding> FromHeartbeats(HeartbeatLedger heartbeats)
    {
        ArgumentNullException.ThrowIfNull(heartbeats);
        return (hotspot, period) =>
        {
            var summary = heartbeats.Summarize(hotspot, DateOnly.FromDateTime(period.Start.UtcDateTime));
            return new HotspotStanding(summary.Rewardable, summary.MeanTrust);
        };
    }
}

/// <summary>How settlement rates, rounds and closes periods.</summary>
public sealed record SettlementOptions
{
    /// <summary>Length of a period; periods are aligned to the Unix epoch, so a day is a UTC day.</summary>
    public TimeSpan PeriodLength { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long after a period ends its data counts as complete: the period closes once the clock passes
    /// end + grace. Records for it arriving later go to an adjustment statement.
    /// </summary>
    public TimeSpan DataCompleteGrace { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Bytes one data credit pays for.</summary>
    public long BytesPerDataCredit { get; init; } = DataCredits.DefaultBytesPerDataCredit;

    /// <summary>Decimal places money is rounded to (2: cents).</summary>
    public int MoneyDecimals { get; init; } = 2;

    /// <summary>
    /// Rounding of half-way amounts. Banker's rounding (to even), so that over thousands of line items the rounding
    /// errors cancel instead of drifting upward as away-from-zero would.
    /// </summary>
    public MidpointRounding Rounding { get; init; } = MidpointRounding.ToEven;

    /// <summary>The period containing <paramref name="time"/>.</summary>
    public SettlementPeriod PeriodOf(DateTimeOffset time)
    {
        var ticks = PeriodLength.Ticks;
        var offset = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        // Floor division, so times before the epoch land in the period that contains them.
        var index = offset >= 0 ? offset / ticks : ((offset + 1) / ticks) - 1;
        var start = DateTimeOffset.UnixEpoch.AddTicks(index * ticks);
        return new SettlementPeriod(start, start.AddTicks(ticks));
    }

    /// <summary>Rounds money to <see cref="MoneyDecimals"/> with <see cref="Rounding"/>.</summary>
    public decimal RoundMoney(decimal amount) => Math.Round(amount, MoneyDecimals, Rounding);
}
