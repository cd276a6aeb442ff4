namespace WirelessNet.Poc.Validation;

/// <summary>
/// The order witnesses are judged and selected in: server receive time, ties broken by the witness key's bytes so the
/// order (and with it duplicates and selection) never depends on the order reports were handed in.
/// </summary>
public sealed class WitnessSelection : IComparer<WitnessReport>
{
    public static WitnessSelection Order { get; } = new();

    public int Compare(WitnessReport? x, WitnessReport? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var byTime = x.ReceivedAt.UtcTicks.CompareTo(y.ReceivedAt.UtcTicks);
        return byTime != 0 ? byTime : x.Witness.AsSpan().SequenceCompareTo(y.Witness.AsSpan());
    }
}
