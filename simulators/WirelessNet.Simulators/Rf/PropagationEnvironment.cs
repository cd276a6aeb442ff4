namespace WirelessNet.Simulators.Rf;

/// <summary>Where the radio link runs; selects the path-loss exponent, shadowing and Hata correction.</summary>
public enum PropagationEnvironment
{
    FreeSpace,
    Urban,
    Suburban,
    Rural,
}

/// <summary>
/// Log-distance parameters per environment: PL(d) = FSPL(d0) + 10·n·log10(d/d0) + X(σ), d0 = 1 m. The exponents
/// and σ are the usual textbook ranges for sub-GHz links (Rappaport, table 4.2; LoRa field studies report
/// n ≈ 2.1–3.8 and σ ≈ 3.5–8 dB).
/// </summary>
public readonly record struct LogDistanceParameters(double Exponent, double ShadowingSigmaDb)
{
    public static LogDistanceParameters For(PropagationEnvironment environment) => environment switch
    {
        PropagationEnvironment.FreeSpace => new(2.0, 0.0),
        PropagationEnvironment.Urban => new(3.5, 8.0),
        PropagationEnvironment.Suburban => new(3.0, 6.0),
        PropagationEnvironment.Rural => new(2.4, 4.0),
        _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, "Unknown environment."),
    };
}
