namespace WirelessNet.Poc.Validation;

/// <summary>The verdict on one witness report of a round.</summary>
/// <param name="Report">The witness report.</param>
/// <param name="Reason">reason_none when valid; the beacon's reason when the beacon was invalid.</param>
/// <param name="FailedSide">Which side the reason belongs to.</param>
/// <param name="PassedPhysicalRules">Passed every witness rule except reciprocity (what <see cref="Hotspots.PocActivityLog"/> records).</param>
/// <param name="Selected">Among the first <see cref="PocValidationOptions.MaxSelectedWitnesses"/> valid witnesses, so rewarded.</param>
public sealed record WitnessResult(WitnessReport Report, InvalidReason Reason, ParticipantSide FailedSide, bool PassedPhysicalRules, bool Selected)
{
    public bool IsValid => Reason == InvalidReason.ReasonNone;
}

/// <summary>A verified PoC round: the beacon's verdict and every witness's, witnesses in receive order.</summary>
public sealed record PocRoundResult(
    BeaconReport Beacon,
    InvalidReason BeaconReason,
    bool BeaconPassedPhysicalRules,
    IReadOnlyList<WitnessResult> Witnesses)
{
    public bool IsBeaconValid => BeaconReason == InvalidReason.ReasonNone;

    /// <summary>How many witnesses were selected for rewards (the w of the reward formulas).</summary>
    public int SelectedWitnessCount
    {
        get
        {
            var count = 0;
            foreach (var witness in Witnesses)
            {
                if (witness.Selected)
                {
                    count++;
                }
            }

            return count;
        }
    }
}
