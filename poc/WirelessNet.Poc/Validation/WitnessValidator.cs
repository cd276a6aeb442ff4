using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Poc.Hotspots;

namespace WirelessNet.Poc.Validation;

/// <summary>
/// Witness rules for one witness of a <see cref="ValidatedBeacon"/>, checked in this order (first failure wins):
/// self_witness, gateway_not_found, denied, denied_edge, not_asserted, invalid_capability, entropy_expired,
/// too_late, invalid_packet, invalid_frequency, invalid_region, below_min_distance, max_distance_exceeded, bad_rssi,
/// gateway_no_valid_beacons (reciprocity, last for the same reason as in <see cref="BeaconValidator"/>). Duplicates
/// need the whole round and are judged by <see cref="PocVerifier"/>. Allocation-free.
/// </summary>
public sealed class WitnessValidator
{
    // −174 dBm/Hz: thermal noise at 290 K, the floor no receiver beats.
    private const double ThermalNoiseDbmPerHz = -174.0;

    private readonly PocValidationOptions _options;
    private readonly IReadOnlyDictionary<HeliumPublicKey, PocHotspot> _hotspots;
    private readonly PocDenylist _denylist;
    private readonly PocActivityLog _activity;

    public WitnessValidator(
        IReadOnlyDictionary<HeliumPublicKey, PocHotspot> hotspots,
        PocActivityLog activity,
        PocDenylist? denylist = null,
        PocValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hotspots);
        ArgumentNullException.ThrowIfNull(activity);
        _hotspots = hotspots;
        _activity = activity;
        _denylist = denylist ?? PocDenylist.Empty;
        _options = options ?? PocValidationOptions.Default;
    }

    /// <param name="beacon">The beacon witnessed.</param>
    /// <param name="witness">The witness report.</param>
    /// <param name="timingReference">The beacon's receive time, or the first witness's when witnesses arrived first.</param>
    /// <param name="deadline">How long after <paramref name="timingReference"/> the witness may arrive.</param>
    public InvalidReason Validate(in ValidatedBeacon beacon, WitnessReport witness, DateTimeOffset timingReference, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(witness);
        var beaconer = beacon.Beaconer;
        if (witness.Witness == beaconer.Key)
        {
            return InvalidReason.SelfWitness;
        }

        if (!_hotspots.TryGetValue(witness.Witness, out var hotspot))
        {
            return InvalidReason.GatewayNotFound;
        }

        if (_denylist.IsDenied(witness.Witness))
        {
            return InvalidReason.Denied;
        }

        if (_denylist.IsEdgeDenied(beaconer.Key, witness.Witness))
        {
            return InvalidReason.DeniedEdge;
        }

        if (!hotspot.IsAsserted)
        {
            return InvalidReason.NotAsserted;
        }

        if (hotspot.Capability != HotspotCapability.Full)
        {
            return InvalidReason.InvalidCapability;
        }

        if (!beacon.Entropy.IsValidAt(witness.ReceivedAt, _options.EntropyLifespanSeconds))
        {
            return InvalidReason.EntropyExpired;
        }

        if (witness.ReceivedAt - timingReference > deadline)
        {
            return InvalidReason.TooLate;
        }

        if (!witness.Data.AsSpan().SequenceEqual(beacon.Report.Data))
        {
            return InvalidReason.InvalidPacket;
        }

        var offset = witness.FrequencyHz > beacon.Report.FrequencyHz
            ? witness.FrequencyHz - beacon.Report.FrequencyHz
            : beacon.Report.FrequencyHz - witness.FrequencyHz;
        if (offset > _options.MaxFrequencyOffsetHz)
        {
            return InvalidReason.InvalidFrequency;
        }

        if (!string.Equals(hotspot.Region.Id, beaconer.Region.Id, StringComparison.Ordinal))
        {
            return InvalidReason.InvalidRegion;
        }

        if (IsBelowMinDistance(beaconer.Location, hotspot.Location))
        {
            return InvalidReason.BelowMinDistance;
        }

        var distanceKm = H3Grid.GreatCircleDistanceKm(H3Grid.CellToLatLng(beaconer.Location), H3Grid.CellToLatLng(hotspot.Location));
        if (distanceKm > _options.MaxDistanceKm)
        {
            return InvalidReason.MaxDistanceExceeded;
        }

        if (IsRssiImplausible(beacon, beaconer, hotspot, witness, distanceKm))
        {
            return InvalidReason.BadRssi;
        }

        if (_options.EnforceReciprocity
            && !(_activity.TryGetLastBeacon(witness.Witness, out var lastBeacon) && witness.ReceivedAt - lastBeacon <= _options.ReciprocityWindow))
        {
            return InvalidReason.GatewayNoValidBeacons;
        }

        return InvalidReason.ReasonNone;
    }

    /// <summary>
    /// Grid distance between the res-11 parents &lt; the minimum. Where H3 cannot compute a grid distance (cells far
    /// apart, or unfolding across a pentagon) the pair counts as far enough: that failure only happens at distances far
    /// above the minimum, and the max-distance rule still applies.
    /// </summary>
    private bool IsBelowMinDistance(H3Index beaconerLocation, H3Index witnessLocation)
    {
        var resolution = _options.MinDistanceResolution;
        var a = H3Grid.CellToParent(beaconerLocation, Math.Min(resolution, beaconerLocation.Resolution));
        var b = H3Grid.CellToParent(witnessLocation, Math.Min(resolution, witnessLocation.Resolution));
        return H3Grid.TryGridDistance(a, b, out var distance) && distance < _options.MinGridDistance;
    }

    private bool IsRssiImplausible(in ValidatedBeacon beacon, PocHotspot beaconer, PocHotspot witness, WitnessReport report, double distanceKm)
    {
        // Distances under 1 m only arise from a zero distance; FSPL is undefined there, so bound it at 1 m.
        var distanceMetres = Math.Max(distanceKm * 1000.0, 1.0);
        var maxRssi = FreeSpace.MaxRssiDbm(
            beacon.TxPowerDeciDbm, beaconer.AntennaGainDeciDbi, witness.AntennaGainDeciDbi, distanceMetres, beacon.Report.FrequencyHz, _options.SpeedOfLightMetresPerSecond);
        var rssi = report.SignalDeciDbm / 10.0;
        if (rssi > maxRssi + _options.RssiToleranceDb)
        {
            return true;
        }

        if (_options.CheckSnrPlausibility
            && beaconer.Region.TryGetDataRate(report.DataRate, out var dataRate) && dataRate.BandwidthHz > 0)
        {
            var noiseFloor = ThermalNoiseDbmPerHz + (10.0 * Math.Log10(dataRate.BandwidthHz));
            return (report.SnrDeciDb / 10.0) > rssi - noiseFloor + _options.SnrPlausibilityMarginDb;
        }

        return false;
    }
}
