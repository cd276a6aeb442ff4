using WirelessNet.Helium.Crypto;
using WirelessNet.Poc.Validation;

namespace WirelessNet.Poc.Hotspots;

/// <summary>
/// When each hotspot last sent a beacon and last witnessed one that passed every rule except reciprocity. The
/// reciprocity rules read it; <see cref="Record"/> feeds it from verified rounds. Recording physically valid reports
/// (not only fully valid ones) is what lets a new network bootstrap: with fully valid ones only, no hotspot could ever
/// become valid. Not thread-safe.
/// </summary>
public sealed class PocActivityLog
{
    private readonly Dictionary<HeliumPublicKey, DateTimeOffset> _lastBeacon = [];
    private readonly Dictionary<HeliumPublicKey, DateTimeOffset> _lastWitness = [];

    public void RecordBeacon(HeliumPublicKey key, DateTimeOffset receivedAt) => Keep(_lastBeacon, key, receivedAt);

    public void RecordWitness(HeliumPublicKey key, DateTimeOffset receivedAt) => Keep(_lastWitness, key, receivedAt);

    public bool TryGetLastBeacon(HeliumPublicKey key, out DateTimeOffset receivedAt) => _lastBeacon.TryGetValue(key, out receivedAt);

    public bool TryGetLastWitness(HeliumPublicKey key, out DateTimeOffset receivedAt) => _lastWitness.TryGetValue(key, out receivedAt);

    /// <summary>Records the round's beacon and its witnesses if they passed every rule other than reciprocity.</summary>
    public void Record(PocRoundResult round)
    {
        ArgumentNullException.ThrowIfNull(round);
        if (!round.BeaconPassedPhysicalRules)
        {
            return;
        }

        RecordBeacon(round.Beacon.Beaconer, round.Beacon.ReceivedAt);
        foreach (var witness in round.Witnesses)
        {
            if (witness.PassedPhysicalRules)
            {
                RecordWitness(witness.Report.Witness, witness.Report.ReceivedAt);
            }
        }
    }

    // Reports are not processed in strict order; an older one must not move the mark back.
    private static void Keep(Dictionary<HeliumPublicKey, DateTimeOffset> marks, HeliumPublicKey key, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!marks.TryGetValue(key, out var existing) || receivedAt > existing)
        {
            marks[key] = receivedAt;
        }
    }
}
