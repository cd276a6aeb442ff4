using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Payloads;

/// <summary>A position reported by a mapper device.</summary>
/// <param name="Position">Latitude/longitude in degrees.</param>
/// <param name="AltitudeM">Altitude in metres.</param>
public readonly record struct GpsFix(LatLng Position, double AltitudeM);
