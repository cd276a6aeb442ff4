using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Density;

/// <summary>A hotspot's asserted location (a resolution-12 cell) and when it was last active (e.g. last beacon or witness).</summary>
public readonly record struct HotspotAssertion(string HotspotId, H3Index Location, DateTimeOffset LastActive);
