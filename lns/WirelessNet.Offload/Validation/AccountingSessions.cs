using WirelessNet.Offload.Records;

namespace WirelessNet.Offload.Validation;

/// <summary>Upload, download and rewardable byte counters, either cumulative or a delta.</summary>
public readonly record struct TransferCounters(long UploadBytes, long DownloadBytes, long RewardableBytes)
{
    /// <summary>All zero.</summary>
    public static TransferCounters Zero => default;

    /// <summary>True when no counter is below <paramref name="other"/>'s.</summary>
    public bool IsAtLeast(TransferCounters other) =>
        UploadBytes >= other.UploadBytes && DownloadBytes >= other.DownloadBytes && RewardableBytes >= other.RewardableBytes;

    /// <summary>Field-wise difference.</summary>
    public TransferCounters Minus(TransferCounters other) =>
        new(UploadBytes - other.UploadBytes, DownloadBytes - other.DownloadBytes, RewardableBytes - other.RewardableBytes);
}

/// <summary>What happened when a cumulative accounting record was applied to its session.</summary>
public enum AccountingAdvanceOutcome
{
    /// <summary>Counters moved forward (or stayed, for a retry); the delta is what this record adds.</summary>
    Advanced = 0,

    /// <summary>A counter is below what the session already reported: a stale or reordered record, taken as nothing.</summary>
    CounterWentBackwards = 1,

    /// <summary>The session was stopped and this record reports more bytes than the stop did.</summary>
    SessionAlreadyStopped = 2,
}

/// <summary>Result of applying a cumulative accounting record.</summary>
/// <param name="Outcome">Whether the record was taken.</param>
/// <param name="Delta">Bytes the record adds beyond what the session already reported; zero unless advanced.</param>
/// <param name="Previous">Counters the session had before this record.</param>
public readonly record struct AccountingAdvance(AccountingAdvanceOutcome Outcome, TransferCounters Delta, TransferCounters Previous);

/// <summary>
/// Last cumulative counters per RADIUS session, turning start/interim/stop records into deltas. The high-water mark
/// only moves forward, so a retried interim yields 0 and a reordered older one is rejected rather than counted twice.
/// Shaped for one Redis Lua script per record (compare the hash's counters, HSET if not lower, return the delta).
/// </summary>
public interface IAccountingSessionStore
{
    /// <summary>Applies one record's cumulative counters to the (carrier, session) state atomically.</summary>
    AccountingAdvance Advance(string carrierId, string sessionId, AccountingRecordKind kind, TransferCounters cumulative);
}

/// <summary>In-memory <see cref="IAccountingSessionStore"/>.</summary>
public sealed class InMemoryAccountingSessionStore : IAccountingSessionStore
{
    private readonly Dictionary<(string CarrierId, string SessionId), SessionState> _sessions = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public AccountingAdvance Advance(string carrierId, string sessionId, AccountingRecordKind kind, TransferCounters cumulative)
    {
        lock (_gate)
        {
            var key = (carrierId, sessionId);
            // A session first seen through an interim or stop (its start lost) starts from zero: counters are since the start.
            var state = _sessions.TryGetValue(key, out var known) ? known : new SessionState(TransferCounters.Zero, Stopped: false);

            if (!cumulative.IsAtLeast(state.HighWater))
            {
                return new AccountingAdvance(AccountingAdvanceOutcome.CounterWentBackwards, TransferCounters.Zero, state.HighWater);
            }

            if (state.Stopped && cumulative != state.HighWater)
            {
                return new AccountingAdvance(AccountingAdvanceOutcome.SessionAlreadyStopped, TransferCounters.Zero, state.HighWater);
            }

            _sessions[key] = new SessionState(cumulative, state.Stopped || kind == AccountingRecordKind.Stop);
            return new AccountingAdvance(AccountingAdvanceOutcome.Advanced, cumulative.Minus(state.HighWater), state.HighWater);
        }
    }

    private readonly record struct SessionState(TransferCounters HighWater, bool Stopped);
}
