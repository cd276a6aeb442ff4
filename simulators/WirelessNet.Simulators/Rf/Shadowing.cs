namespace WirelessNet.Simulators.Rf;

/// <summary>
/// Log-normal shadowing that is deterministic per link: the same world seed and the same pair of radios always
/// draw the same value (obstacles do not move between two transmissions), different links are independent.
/// </summary>
public static class Shadowing
{
    /// <summary>A zero-mean normal sample with standard deviation <paramref name="sigmaDb"/> for the link (a, b).</summary>
    public static double ForLink(ulong worldSeed, ulong radioA, ulong radioB, double sigmaDb)
    {
        if (sigmaDb <= 0)
        {
            return 0;
        }

        // Symmetric in (a, b): a link's loss does not depend on who transmits.
        var lo = Math.Min(radioA, radioB);
        var hi = Math.Max(radioA, radioB);
        var state = Mix(worldSeed ^ Mix(lo ^ Mix(hi)));
        var u1 = ToUnitInterval(state = Mix(state));
        var u2 = ToUnitInterval(Mix(state));

        // Box-Muller.
        return sigmaDb * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    // splitmix64 finaliser: good avalanche, so neighbouring ids give unrelated samples.
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // In (0, 1]: never 0, so the logarithm above is finite.
    private static double ToUnitInterval(ulong bits) => ((bits >> 11) + 1) * (1.0 / 9007199254740992.0);
}
