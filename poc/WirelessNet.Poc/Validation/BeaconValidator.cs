using WirelessNet.Helium.Crypto;
using WirelessNet.Poc.Beacons;
using WirelessNet.Poc.Challenges;
using WirelessNet.Poc.Entropy;
using WirelessNet.Poc.Hotspots;

namespace WirelessNet.Poc.Validation;

/// <summary>
/// What witness validation needs to know about a beacon that passed (or only failed reciprocity): who sent it, the
/// entropy it used and the TX power the free-space rule assumes.
/// </summary>
public readonly record struct ValidatedBeacon(BeaconReport Report, PocHotspot Beaconer, EntropyReport Entropy, int TxPowerDeciDbm);

/// <summary>
/// Beacon rules, checked in this order (the first failure is the reason): gateway_not_found, denied, not_asserted,
/// invalid_capability, bad_entropy (the quoted entropy is not on the chain), entropy_expired (received outside the
/// entropy's lifespan), irregular_interval (a beacon of this hotspot already counted in this challenge window),
/// invalid_packet (payload, frequency or data rate do not regenerate exactly), gateway_no_valid_witnesses (no
/// physically valid witness by this hotspot in the reciprocity window). Reciprocity comes last so that a beacon failing
/// only it still counts as physically valid for <see cref="PocActivityLog"/>. Allocation-free.
/// </summary>
public sealed class BeaconValidator
{
    private readonly PocValidationOptions _options;
    private readonly IReadOnlyDictionary<HeliumPublicKey, PocHotspot> _hotspots;
    private readonly EntropyChain _entropy;
    private readonly PocDenylist _denylist;
    private readonly PocActivityLog _activity;

    public BeaconValidator(
        IReadOnlyDictionary<HeliumPublicKey, PocHotspot> hotspots,
        EntropyChain entropy,
        PocActivityLog activity,
        PocDenylist? denylist = null,
        PocValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hotspots);
        ArgumentNullException.ThrowIfNull(entropy);
        ArgumentNullException.ThrowIfNull(activity);
        _hotspots = hotspots;
        _entropy = entropy;
        _activity = activity;
        _denylist = denylist ?? PocDenylist.Empty;
        _options = options ?? PocValidationOptions.Default;
    }

    public InvalidReason Validate(BeaconReport report) => Validate(report, out _);

    /// <param name="beacon">Set whenever the beacon passed every rule before reciprocity (its witnesses can be judged).</param>
    public InvalidReason Validate(BeaconReport report, out ValidatedBeacon beacon)
    {
        ArgumentNullException.ThrowIfNull(report);
        beacon = default;
        if (!_hotspots.TryGetValue(report.Beaconer, out var beaconer))
        {
            return InvalidReason.GatewayNotFound;
        }

        if (_denylist.IsDenied(report.Beaconer))
        {
            return InvalidReason.Denied;
        }

        if (!beaconer.IsAsserted)
        {
            return InvalidReason.NotAsserted;
        }

        if (beaconer.Capability != HotspotCapability.Full)
        {
            return InvalidReason.InvalidCapability;
        }

        if (!_entropy.TryFind(report.RemoteEntropy, out var entropy))
        {
            return InvalidReason.BadEntropy;
        }

        if (!entropy.IsValidAt(report.ReceivedAt, _options.EntropyLifespanSeconds))
        {
            return InvalidReason.EntropyExpired;
        }

        // A mark at exactly this receive time is this very report verified again (e.g. replayed after a restart).
        if (_activity.TryGetLastBeacon(report.Beaconer, out var lastBeacon)
            && lastBeacon != report.ReceivedAt
            && ChallengeScheduler.WindowIndex(lastBeacon, _options.ChallengeWindow) == ChallengeScheduler.WindowIndex(report.ReceivedAt, _options.ChallengeWindow))
        {
            return InvalidReason.IrregularInterval;
        }

        if (!BeaconGenerator.Regenerates(
                beaconer.Region, entropy.Data, entropy.Timestamp, report.LocalEntropy, report.Data, report.FrequencyHz, report.DataRate))
        {
            return InvalidReason.InvalidPacket;
        }

        // The free-space rule uses the power the beaconer was allowed, not the power it claims: a claim can only loosen it.
        beacon = new ValidatedBeacon(report, beaconer, entropy, BeaconGenerator.TxPowerDeciDbm(beaconer.Region, beaconer.AntennaGainDeciDbi));

        if (_options.EnforceReciprocity
            && !(_activity.TryGetLastWitness(report.Beaconer, out var lastWitness) && report.ReceivedAt - lastWitness <= _options.ReciprocityWindow))
        {
            return InvalidReason.GatewayNoValidWitnesses;
        }

        return InvalidReason.ReasonNone;
    }
}
