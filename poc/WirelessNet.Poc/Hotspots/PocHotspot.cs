using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.Poc.Hotspots;

/// <summary>What a hotspot may do on the network; only full hotspots take part in proof of coverage.</summary>
public enum HotspotCapability
{
    /// <summary>Routes data and beacons/witnesses.</summary>
    Full,

    /// <summary>Routes data only (Helium's data-only hotspots): never challenged, never a valid witness.</summary>
    DataOnly,
}

/// <summary>
/// A hotspot as the PoC rules see it: its key, asserted location (a resolution-12 cell, <see cref="H3Index.Null"/>
/// when none is asserted), antenna gain in dBi×10 (Helium's unit), region and capability.
/// </summary>
public sealed record PocHotspot(
    HeliumPublicKey Key,
    H3Index Location,
    int AntennaGainDeciDbi,
    RegionParameters Region,
    HotspotCapability Capability = HotspotCapability.Full)
{
    /// <summary>Resolution the min-distance rule compares at; an assertion coarser than this is not an assertion.</summary>
    public const int MinimumAssertedResolution = 11;

    /// <summary>True when the location is a valid cell fine enough to take a resolution-11 parent of.</summary>
    public bool IsAsserted => Location.IsValidCell && Location.Resolution >= MinimumAssertedResolution;
}
