using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Measured;

/// <summary>A hotspot (gateway) and where it is, for maps.</summary>
public sealed record HotspotLocation(ulong Id, LatLng Position, string? Name = null);
