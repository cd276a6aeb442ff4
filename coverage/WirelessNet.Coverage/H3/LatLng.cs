namespace WirelessNet.Coverage.H3;

/// <summary>A geographic coordinate in degrees (WGS84 lat/lng on H3's authalic sphere).</summary>
public readonly record struct LatLng(double Lat, double Lng);
