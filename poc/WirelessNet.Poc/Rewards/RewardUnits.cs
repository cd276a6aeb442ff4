namespace WirelessNet.Poc.Rewards;

/// <summary>
/// Reward units of a beacon with w selected witnesses (HIP 15 as Helium applies it), N = 4, r = 0.8, rounded to
/// 4 decimals half to even:
/// beaconer = 0 if w = 0, w/N if w ≤ N, else min(2, 2 − r^(w−N));
/// each witness = 1 if w ≤ N, else min(2, (N − (1 − r^(w−N)))/w).
/// Beyond N witnesses the beaconer's unit creeps towards 2 while each witness's falls, so crowding earns little.
/// Computed in decimal so every node gets the same digits.
/// </summary>
public static class RewardUnits
{
    public const int IdealWitnessCount = 4;
    public const decimal DecayRate = 0.8m;
    public const int Decimals = 4;

    private const decimal Cap = 2m;

    public static decimal Beaconer(int selectedWitnesses)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(selectedWitnesses);
        if (selectedWitnesses == 0)
        {
            return 0m;
        }

        var unit = selectedWitnesses <= IdealWitnessCount
            ? (decimal)selectedWitnesses / IdealWitnessCount
            : Math.Min(Cap, Cap - Decay(selectedWitnesses - IdealWitnessCount));
        return Round(unit);
    }

    public static decimal Witness(int selectedWitnesses)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(selectedWitnesses);
        if (selectedWitnesses <= IdealWitnessCount)
        {
            return 1m;
        }

        var unit = (IdealWitnessCount - (1m - Decay(selectedWitnesses - IdealWitnessCount))) / selectedWitnesses;
        return Round(Math.Min(Cap, unit));
    }

    // r^k by repeated multiplication: exact in decimal until the digits run out, long after they stop mattering.
    private static decimal Decay(int exponent)
    {
        var value = 1m;
        for (var i = 0; i < exponent && value != 0m; i++)
        {
            value *= DecayRate;
        }

        return value;
    }

    private static decimal Round(decimal value) => Math.Round(value, Decimals, MidpointRounding.ToEven);
}
