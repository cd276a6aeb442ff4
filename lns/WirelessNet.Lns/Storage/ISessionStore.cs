using WirelessNet.Lns.Devices;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Storage;

/// <summary>Outcome of claiming an uplink frame counter.</summary>
public enum UplinkClaim
{
    /// <summary>This instance owns the frame: the counter was stored (and a pending session promoted).</summary>
    Accepted,

    /// <summary>The counter is not beyond the stored one: another instance or an earlier frame already took it.</summary>
    Replay,

    /// <summary>The session the frame verified against is no longer current (replaced by a newer join or deleted).</summary>
    SessionChanged,
}

/// <summary>
/// Device sessions, their DevAddr index and counters. Counter updates are atomic compare-and-set operations, so
/// several server instances can never both accept one uplink counter or reuse a downlink counter.
/// </summary>
public interface ISessionStore
{
    /// <summary>Active and pending sessions whose DevAddr is <paramref name="devAddr"/>, at most <paramref name="maxCandidates"/>.</summary>
    ValueTask<IReadOnlyList<DeviceSession>> GetCandidatesAsync(DevAddr devAddr, int maxCandidates, CancellationToken cancellationToken);

    ValueTask<DeviceSession?> GetActiveSessionAsync(Eui64 devEui, CancellationToken cancellationToken);

    ValueTask<DeviceSession?> GetPendingSessionAsync(Eui64 devEui, CancellationToken cancellationToken);

    /// <summary>Stores a session created by a join; it replaces any earlier pending one and leaves the active one in place.</summary>
    ValueTask SavePendingSessionAsync(DeviceSession session, CancellationToken cancellationToken);

    /// <summary>Replaces the active session (ABP activation, or settings such as ADR changes). Counters are kept as given.</summary>
    ValueTask SaveActiveSessionAsync(DeviceSession session, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the active session's settings (radio parameters, ADR state) without touching its counters, which
    /// only the compare-and-set operations move. No effect when the active session now has another DevAddr.
    /// </summary>
    ValueTask UpdateActiveSessionSettingsAsync(DeviceSession session, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically accepts uplink counter <paramref name="fCnt"/> for the session with <paramref name="devAddr"/>:
    /// from the pending session (promoting it to active, the old active one is dropped) or from the active one
    /// (only when <paramref name="fCnt"/> is beyond the stored counter).
    /// </summary>
    ValueTask<UplinkClaim> TryClaimUplinkAsync(Eui64 devEui, DevAddr devAddr, bool fromPending, uint fCnt, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="TryClaimUplinkAsync(Eui64, DevAddr, bool, uint, CancellationToken)"/> for the session
    /// <paramref name="settings"/> describes (its DevEUI and DevAddr), storing its settings as
    /// <see cref="UpdateActiveSessionSettingsAsync"/> would in the same atomic step when the claim is accepted: the
    /// counter and the state derived from the frame (ADR history, MAC state) never diverge, and it is one store round
    /// trip instead of two.
    /// </summary>
    ValueTask<UplinkClaim> TryClaimUplinkAsync(DeviceSession settings, bool fromPending, uint fCnt, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="TryClaimUplinkAsync(DeviceSession, bool, uint, CancellationToken)"/> that also journals
    /// <paramref name="eventEntry"/> (the frame's application event) with the device in the same atomic step, so an
    /// accepted frame's event survives a crash before it reaches the broker or the outbox. The caller removes the entry
    /// with <see cref="CompleteUplinkEventAsync"/> once the event is handed over; <see cref="ReadUplinkEventsAsync"/>
    /// finds entries left behind.
    /// </summary>
    ValueTask<UplinkClaim> TryClaimUplinkAsync(DeviceSession settings, bool fromPending, uint fCnt, byte[] eventEntry, CancellationToken cancellationToken);

    /// <summary>Removes a journaled event (idempotent). Does not wait for the store where it can avoid it.</summary>
    ValueTask CompleteUplinkEventAsync(Eui64 devEui, byte[] eventEntry, CancellationToken cancellationToken);

    /// <summary>Journaled events recorded before <paramref name="recordedBefore"/>, at most <paramref name="max"/>.</summary>
    ValueTask<IReadOnlyList<(Eui64 DevEui, byte[] Entry)>> ReadUplinkEventsAsync(DateTimeOffset recordedBefore, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically moves a downlink counter from <paramref name="usedFCnt"/> to <paramref name="usedFCnt"/> + 1;
    /// false when the counter has moved on already.
    /// </summary>
    ValueTask<bool> TryAdvanceDownlinkCounterAsync(Eui64 devEui, bool applicationCounter, uint usedFCnt, CancellationToken cancellationToken);

    ValueTask DeleteAsync(Eui64 devEui, CancellationToken cancellationToken);
}
