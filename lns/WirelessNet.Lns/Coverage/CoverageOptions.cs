namespace WirelessNet.Lns.Coverage;

/// <summary>Measured coverage from mapper devices, bound from the <c>Coverage</c> configuration section.</summary>
public sealed class CoverageOptions
{
    public const string Section = "Coverage";

    /// <summary>
    /// FPorts on which uplinks carry the device's own GPS position (CayenneLPP GPS, or the 9-byte compact layout of
    /// docs/coverage.md). Restricted to configured ports so that arbitrary application payloads are never read as positions.
    /// </summary>
    public IList<int> MapperFPorts { get; } = [2];
}
