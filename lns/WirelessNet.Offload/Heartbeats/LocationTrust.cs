using WirelessNet.Coverage.H3;
using WirelessNet.Offload.Records;

namespace WirelessNet.Offload.Heartbeats;

/// <summary>
/// How much a heartbeat's position is trusted, from its distance to the hotspot's asserted location. A CBRS cell
/// whose position came from the SAS or its own GPS is trusted fully: the SAS only grants spectrum at a checked position.
/// </summary>
public static class LocationTrust
{
    /// <summary>Within this distance of the asserted location a heartbeat is trusted fully.</summary>
    public const double FullTrustMaxMeters = 300;

    /// <summary>Within this distance (and beyond <see cref="FullTrustMaxMeters"/>) a heartbeat is trusted a quarter.</summary>
    public const double PartialTrustMaxMeters = 400;

    /// <summary>Trust of a heartbeat between the two limits.</summary>
    public const decimal PartialTrust = 0.25m;

    /// <summary>Trust in [0, 1]; 0 when the hotspot asserted no location (nothing to compare against).</summary>
    public static decimal For(Heartbeat heartbeat, LatLng? assertedLocation)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        if (heartbeat.RadioKind == HeartbeatRadioKind.Cbrs
            && heartbeat.LocationSource is HeartbeatLocationSource.Sas or HeartbeatLocationSource.Gps)
        {
            return 1m;
        }

        if (assertedLocation is not { } asserted)
        {
            return 0m;
        }

        return ForDistance(H3Grid.GreatCircleDistanceM(asserted, new LatLng(heartbeat.Latitude, heartbeat.Longitude)));
    }

    /// <summary>Trust for a distance in metres from the asserted location.</summary>
    public static decimal ForDistance(double meters) => meters switch
    {
        <= FullTrustMaxMeters => 1m,
        <= PartialTrustMaxMeters => PartialTrust,
        // Also NaN (a corrupt position) lands here: untrusted.
        _ => 0m,
    };
}
