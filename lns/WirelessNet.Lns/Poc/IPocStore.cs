using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Poc.Entropy;

namespace WirelessNet.Lns.Poc;

/// <summary>A hotspot taking part in PoC: its Helium address, the gateway it is provisioned as, how it is connected, when last heard.</summary>
public sealed record PocParticipant(string Address, Eui64 GatewayId, GatewayTransport Transport, DateTimeOffset LastActive);

/// <summary>The reports of one round (one beacon payload) as stored: each a serialized ingest report.</summary>
public sealed record PocRoundReports(IReadOnlyList<byte[]> Beacons, IReadOnlyList<byte[]> Witnesses);

/// <summary>
/// Where proof of coverage keeps its state: the entropy chain's genesis and published values, participants, reports
/// grouped by round, verified rounds per epoch, reciprocity marks, the denylist, claims that let only one server instance
/// do a thing, and reward manifests. In memory or in Redis (<c>Store:Kind</c>); every member is safe to call concurrently
/// and idempotent where the comment says so, because instances and retries repeat work.
/// </summary>
public interface IPocStore
{
    /// <summary>Stores <paramref name="candidate"/> under <paramref name="name"/> unless a value is there; returns the stored one.</summary>
    ValueTask<byte[]> GetOrCreateValueAsync(string name, byte[] candidate, CancellationToken cancellationToken);

    /// <summary>Publishes entropy values (idempotent per timestamp).</summary>
    ValueTask AddEntropyAsync(IReadOnlyList<EntropyReport> reports, CancellationToken cancellationToken);

    /// <summary>Published values with timestamps in [from, to], oldest first, at most <paramref name="max"/>.</summary>
    ValueTask<IReadOnlyList<EntropyReport>> GetEntropyAsync(long fromUnixSeconds, long toUnixSeconds, int max, CancellationToken cancellationToken);

    /// <summary>Records a participant; its last-active time only moves forward.</summary>
    ValueTask TouchParticipantAsync(PocParticipant participant, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<PocParticipant>> GetParticipantsAsync(CancellationToken cancellationToken);

    /// <summary>True for exactly one caller per <paramref name="claim"/> within <paramref name="lifetime"/>.</summary>
    ValueTask<bool> TryClaimAsync(string claim, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>Adds a report to its round (idempotent per report id) and makes the round pending; false when already stored.</summary>
    ValueTask<bool> AddReportAsync(string roundId, bool beacon, string reportId, byte[] ingestReport, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="max"/> pending rounds whose first report came before <paramref name="dueBefore"/>:
    /// no other caller gets them within <paramref name="lease"/>; one not completed by then becomes due again.
    /// </summary>
    ValueTask<IReadOnlyList<string>> ClaimDueRoundsAsync(DateTimeOffset dueBefore, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    ValueTask<PocRoundReports> GetRoundReportsAsync(string roundId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a verified round in its epoch and removes it from the pending rounds. The first verdict stored for a round
    /// id stays (a second verifier whose lease ran out must not replace it); returns true only to the caller whose
    /// verdict was stored, so effects outside the store (coverage) are applied once.
    /// </summary>
    ValueTask<bool> CompleteRoundAsync(string roundId, long epochIndex, byte[]? record, CancellationToken cancellationToken);

    /// <summary>A verified round, or null.</summary>
    ValueTask<byte[]?> GetRoundAsync(long epochIndex, string roundId, CancellationToken cancellationToken);

    /// <summary>Every verified round of an epoch, in no particular order.</summary>
    ValueTask<IReadOnlyList<byte[]>> GetEpochRoundsAsync(long epochIndex, CancellationToken cancellationToken);

    /// <summary>Last beacon and last witness (Unix ms) per address that passed every rule but reciprocity.</summary>
    ValueTask<IReadOnlyList<(long? Beacon, long? Witness)>> GetActivityAsync(IReadOnlyList<string> addresses, CancellationToken cancellationToken);

    /// <summary>Moves marks forward (never back).</summary>
    ValueTask RecordActivityAsync(IReadOnlyList<(string Address, bool Beacon, long UnixMs)> marks, CancellationToken cancellationToken);

    /// <summary>Denied keys (addresses) and directed edges (beaconer, witness).</summary>
    ValueTask<(IReadOnlyList<string> Keys, IReadOnlyList<(string Beaconer, string Witness)> Edges)> GetDenylistAsync(CancellationToken cancellationToken);

    ValueTask SetDeniedKeyAsync(string address, bool denied, CancellationToken cancellationToken);

    ValueTask SetDeniedEdgeAsync(string beaconer, string witness, bool denied, CancellationToken cancellationToken);

    /// <summary>A stored per-epoch document (manifest, transmit-scale snapshot), or null.</summary>
    ValueTask<byte[]?> GetEpochDocumentAsync(long epochIndex, string kind, CancellationToken cancellationToken);

    /// <summary>Stores the document unless one is there; returns the stored one (so every instance serves the same bytes).</summary>
    ValueTask<byte[]> GetOrCreateEpochDocumentAsync(long epochIndex, string kind, byte[] candidate, CancellationToken cancellationToken);
}
