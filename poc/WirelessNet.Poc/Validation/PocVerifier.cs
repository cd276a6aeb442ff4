using WirelessNet.Helium.Crypto;
using WirelessNet.Poc.Entropy;
using WirelessNet.Poc.Hotspots;

namespace WirelessNet.Poc.Validation;

/// <summary>
/// Verifies a whole round, a beacon with all its witness reports: beacon rules, duplicates, witness rules, then
/// selection of the first <see cref="PocValidationOptions.MaxSelectedWitnesses"/> valid witnesses by receive time.
/// An invalid beacon invalidates its witnesses (they carry its reason, side = beacon). Does not update the activity
/// log: call <see cref="PocActivityLog.Record"/> with the result once it is final.
/// </summary>
public sealed class PocVerifier
{
    private readonly PocValidationOptions _options;

    public PocVerifier(
        IReadOnlyDictionary<HeliumPublicKey, PocHotspot> hotspots,
        EntropyChain entropy,
        PocActivityLog activity,
        PocDenylist? denylist = null,
        PocValidationOptions? options = null)
    {
        _options = options ?? PocValidationOptions.Default;
        BeaconValidator = new BeaconValidator(hotspots, entropy, activity, denylist, _options);
        WitnessValidator = new WitnessValidator(hotspots, activity, denylist, _options);
    }

    public BeaconValidator BeaconValidator { get; }

    public WitnessValidator WitnessValidator { get; }

    public PocRoundResult Verify(BeaconReport beacon, IReadOnlyList<WitnessReport> witnesses)
    {
        ArgumentNullException.ThrowIfNull(beacon);
        ArgumentNullException.ThrowIfNull(witnesses);
        var beaconReason = BeaconValidator.Validate(beacon, out var validated);
        var beaconPhysical = beaconReason is InvalidReason.ReasonNone or InvalidReason.GatewayNoValidWitnesses;

        var ordered = new WitnessReport[witnesses.Count];
        for (var i = 0; i < ordered.Length; i++)
        {
            ordered[i] = witnesses[i] ?? throw new ArgumentException("A witness report is null.", nameof(witnesses));
        }

        Array.Sort(ordered, WitnessSelection.Order);

        // Timing: from the beacon when it arrived first, otherwise from the first witness with the tighter deadline.
        var (reference, deadline) = ordered.Length == 0 || beacon.ReceivedAt <= ordered[0].ReceivedAt
            ? (beacon.ReceivedAt, _options.WitnessDeadlineAfterBeacon)
            : (ordered[0].ReceivedAt, _options.WitnessDeadlineAfterFirstWitness);

        var results = new WitnessResult[ordered.Length];
        var seen = new HashSet<HeliumPublicKey>();
        var selected = 0;
        for (var i = 0; i < ordered.Length; i++)
        {
            var report = ordered[i];
            if (!seen.Add(report.Witness))
            {
                results[i] = new WitnessResult(report, InvalidReason.Duplicate, ParticipantSide.Witness, false, false);
                continue;
            }

            if (!beaconPhysical)
            {
                results[i] = new WitnessResult(report, beaconReason, ParticipantSide.Beacon, false, false);
                continue;
            }

            var reason = WitnessValidator.Validate(validated, report, reference, deadline);
            var physical = reason is InvalidReason.ReasonNone or InvalidReason.GatewayNoValidBeacons;
            if (beaconReason != InvalidReason.ReasonNone)
            {
                results[i] = new WitnessResult(report, beaconReason, ParticipantSide.Beacon, physical, false);
            }
            else if (reason != InvalidReason.ReasonNone)
            {
                results[i] = new WitnessResult(report, reason, ParticipantSide.Witness, physical, false);
            }
            else
            {
                var isSelected = selected < _options.MaxSelectedWitnesses;
                selected += isSelected ? 1 : 0;
                results[i] = new WitnessResult(report, InvalidReason.ReasonNone, ParticipantSide.None, true, isSelected);
            }
        }

        return new PocRoundResult(beacon, beaconReason, beaconPhysical, results);
    }
}
