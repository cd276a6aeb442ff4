namespace WirelessNet.Simulators.Rf;

/// <summary>Path-loss models in dB. Distances in metres, frequencies in Hz, heights in metres.</summary>
public static class PathLoss
{
    public const double SpeedOfLight = 299_792_458.0;

    /// <summary>Friis free-space path loss: 20·log10(4π·d·f/c). 1 km at 868 MHz ≈ 91.2 dB.</summary>
    public static double FreeSpace(double distanceMetres, double frequencyHz)
    {
        CheckPositive(distanceMetres, nameof(distanceMetres));
        CheckPositive(frequencyHz, nameof(frequencyHz));
        return 20.0 * Math.Log10(4.0 * Math.PI * distanceMetres * frequencyHz / SpeedOfLight);
    }

    /// <summary>Log-distance model with a 1 m free-space reference and no shadowing term.</summary>
    public static double LogDistance(double distanceMetres, double frequencyHz, double exponent)
    {
        CheckPositive(distanceMetres, nameof(distanceMetres));
        var d = Math.Max(distanceMetres, 1.0);
        return FreeSpace(1.0, frequencyHz) + (10.0 * exponent * Math.Log10(d));
    }

    /// <summary>
    /// Okumura-Hata (valid 150–1500 MHz, base 30–200 m, mobile 1–10 m, 1–20 km; used a little beyond the distance
    /// range by simulators). Urban is the small/medium-city form; suburban and rural (open area) apply the standard
    /// corrections.
    /// </summary>
    public static double Hata(double distanceMetres, double frequencyHz, double baseHeightMetres, double mobileHeightMetres, PropagationEnvironment environment)
    {
        CheckPositive(distanceMetres, nameof(distanceMetres));
        CheckPositive(baseHeightMetres, nameof(baseHeightMetres));
        CheckPositive(mobileHeightMetres, nameof(mobileHeightMetres));
        var f = frequencyHz / 1e6;
        var logF = Math.Log10(f);
        var dKm = Math.Max(distanceMetres / 1000.0, 0.01);
        var aHm = ((1.1 * logF) - 0.7) * mobileHeightMetres - ((1.56 * logF) - 0.8);
        var urban = 69.55 + (26.16 * logF) - (13.82 * Math.Log10(baseHeightMetres)) - aHm
            + ((44.9 - (6.55 * Math.Log10(baseHeightMetres))) * Math.Log10(dKm));
        return environment switch
        {
            PropagationEnvironment.Urban => urban,
            PropagationEnvironment.Suburban => urban - (2.0 * Math.Pow(Math.Log10(f / 28.0), 2)) - 5.4,
            PropagationEnvironment.Rural => urban - (4.78 * logF * logF) + (18.33 * logF) - 40.94,
            PropagationEnvironment.FreeSpace => FreeSpace(distanceMetres, frequencyHz),
            _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, "Unknown environment."),
        };
    }

    /// <summary>
    /// COST-231 Hata extension (defined for 1500–2000 MHz; offered for comparison at 868/915 MHz, where it
    /// overestimates loss): C = 3 dB for metropolitan centres, 0 otherwise.
    /// </summary>
    public static double Cost231Hata(double distanceMetres, double frequencyHz, double baseHeightMetres, double mobileHeightMetres, bool metropolitan)
    {
        CheckPositive(distanceMetres, nameof(distanceMetres));
        var f = frequencyHz / 1e6;
        var logF = Math.Log10(f);
        var dKm = Math.Max(distanceMetres / 1000.0, 0.01);
        var aHm = ((1.1 * logF) - 0.7) * mobileHeightMetres - ((1.56 * logF) - 0.8);
        return 46.3 + (33.9 * logF) - (13.82 * Math.Log10(baseHeightMetres)) - aHm
            + ((44.9 - (6.55 * Math.Log10(baseHeightMetres))) * Math.Log10(dKm)) + (metropolitan ? 3.0 : 0.0);
    }

    private static void CheckPositive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be a positive, finite number.");
        }
    }
}
