namespace WirelessNet.Simulators.Fleets;

/// <summary>Counts of one run, updated as it goes (thread-safe); <see cref="Snapshot"/> reads them together.</summary>
public sealed class CityRunStatistics
{
    private long _joinRequests;
    private long _joins;
    private long _uplinks;
    private long _unheardUplinks;
    private long _receptions;
    private long _confirmedUplinks;
    private long _downlinks;
    private long _acks;
    private long _errors;
    private long _beacons;
    private long _witnessReceptions;
    private long _cheatedWitnesses;

    internal void JoinRequested() => Interlocked.Increment(ref _joinRequests);

    internal void Joined() => Interlocked.Increment(ref _joins);

    internal void UplinkSent(int receptions, bool confirmed)
    {
        Interlocked.Increment(ref _uplinks);
        Interlocked.Add(ref _receptions, receptions);
        if (receptions == 0)
        {
            Interlocked.Increment(ref _unheardUplinks);
        }
        else if (confirmed)
        {
            Interlocked.Increment(ref _confirmedUplinks);
        }
    }

    internal void DownlinkReceived() => Interlocked.Increment(ref _downlinks);

    internal void AckReceived() => Interlocked.Increment(ref _acks);

    internal void Error() => Interlocked.Increment(ref _errors);

    internal void BeaconTransmitted(int witnesses)
    {
        Interlocked.Increment(ref _beacons);
        Interlocked.Add(ref _witnessReceptions, witnesses);
    }

    internal void WitnessCheated() => Interlocked.Increment(ref _cheatedWitnesses);

    public CityRunSnapshot Snapshot() => new(
        Interlocked.Read(ref _joinRequests),
        Interlocked.Read(ref _joins),
        Interlocked.Read(ref _uplinks),
        Interlocked.Read(ref _unheardUplinks),
        Interlocked.Read(ref _receptions),
        Interlocked.Read(ref _confirmedUplinks),
        Interlocked.Read(ref _downlinks),
        Interlocked.Read(ref _acks),
        Interlocked.Read(ref _errors),
        Interlocked.Read(ref _beacons),
        Interlocked.Read(ref _witnessReceptions),
        Interlocked.Read(ref _cheatedWitnesses));
}

/// <param name="JoinRequests">Join-Requests transmitted (heard or not).</param>
/// <param name="Joins">Join-Accepts a device accepted.</param>
/// <param name="Uplinks">Data uplinks transmitted by joined devices.</param>
/// <param name="UnheardUplinks">Uplinks no hotspot could demodulate (the RF model's verdict).</param>
/// <param name="Receptions">Hotspot receptions forwarded to the server.</param>
/// <param name="ConfirmedUplinks">Confirmed uplinks that at least one hotspot heard.</param>
/// <param name="Downlinks">Downlinks a device accepted (join-accepts included).</param>
/// <param name="Acks">Downlinks acknowledging a confirmed uplink.</param>
/// <param name="Errors">Transport failures (a reception or join that could not be sent).</param>
/// <param name="Beacons">Proof-of-coverage beacons the server had hotspots transmit.</param>
/// <param name="WitnessReceptions">Receptions of those beacons by other hotspots, forwarded to the server.</param>
/// <param name="CheatedWitnesses">Witnesses cheaters made up (stuffed, within their cluster, or replayed late).</param>
public sealed record CityRunSnapshot(
    long JoinRequests,
    long Joins,
    long Uplinks,
    long UnheardUplinks,
    long Receptions,
    long ConfirmedUplinks,
    long Downlinks,
    long Acks,
    long Errors,
    long Beacons,
    long WitnessReceptions,
    long CheatedWitnesses);
