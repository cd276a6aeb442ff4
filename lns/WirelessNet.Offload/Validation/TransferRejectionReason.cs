namespace WirelessNet.Offload.Validation;

/// <summary>Why a data-transfer session request was rejected. Values are stable: they are logged and reported to carriers.</summary>
public enum TransferRejectionReason
{
    /// <summary>Not rejected.</summary>
    None = 0,

    /// <summary>The envelope names a carrier with no contract.</summary>
    UnknownCarrier = 1,

    /// <summary>The router key is not registered for the envelope's carrier.</summary>
    RouterNotRegistered = 2,

    /// <summary>The router's signature over the envelope does not verify.</summary>
    InvalidRouterSignature = 3,

    /// <summary>The hotspot's signature over the event does not verify.</summary>
    InvalidHotspotSignature = 4,

    /// <summary>The hotspot is not known.</summary>
    UnknownHotspot = 5,

    /// <summary>The hotspot is banned.</summary>
    HotspotBanned = 6,

    /// <summary>The carrier's contract does not pay for the event's radio technology.</summary>
    TechnologyNotAllowed = 7,

    /// <summary>A byte counter is negative.</summary>
    NegativeByteCount = 8,

    /// <summary>A byte counter exceeds the configured maximum per record.</summary>
    ByteCountTooLarge = 9,

    /// <summary>Rewardable bytes exceed upload plus download.</summary>
    RewardableExceedsTransferred = 10,

    /// <summary>The timestamp is further in the future than the tolerance.</summary>
    TimestampInFuture = 11,

    /// <summary>The record is older than the carrier's late-record limit.</summary>
    TimestampTooOld = 12,

    /// <summary>The carrier already sent this event_id within the retention period.</summary>
    DuplicateEvent = 13,

    /// <summary>A cumulative accounting counter is below what the session already reported.</summary>
    CounterWentBackwards = 14,

    /// <summary>An accounting record reports more bytes after the session's stop.</summary>
    SessionAlreadyStopped = 15,

    /// <summary>A start/interim/stop record has no accounting session id, or a standalone one has one.</summary>
    MalformedAccountingRecord = 16,

    /// <summary>The event_id or carrier id is empty.</summary>
    MissingIdentifier = 17,
}
