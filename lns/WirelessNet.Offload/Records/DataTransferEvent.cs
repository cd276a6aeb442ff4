using WirelessNet.Helium.Crypto;

namespace WirelessNet.Offload.Records;

/// <summary>
/// One data-transfer report from a hotspot (Helium <c>data_transfer_event</c>), signed by the hotspot over
/// <see cref="CanonicalRecordEncoding.EncodeEvent"/> with <see cref="Signature"/> empty.
/// </summary>
/// <param name="HotspotKey">The hotspot that carried the traffic and signed the event.</param>
/// <param name="UploadBytes">Bytes sent by the subscriber (cumulative for accounting kinds other than standalone).</param>
/// <param name="DownloadBytes">Bytes received by the subscriber (cumulative likewise).</param>
/// <param name="RadioAccessTechnology">Radio technology the session ran on.</param>
/// <param name="EventId">Carrier-unique id of this event; duplicates per carrier are rejected.</param>
/// <param name="Payer">Key whose data credits pay for the traffic.</param>
/// <param name="TimestampUnixSeconds">When the event was recorded, Unix seconds (the wire carries whole seconds).</param>
/// <param name="Signature">Hotspot's signature; empty while signing.</param>
public sealed record DataTransferEvent(
    HeliumPublicKey HotspotKey,
    long UploadBytes,
    long DownloadBytes,
    RadioAccessTechnology RadioAccessTechnology,
    string EventId,
    HeliumPublicKey Payer,
    long TimestampUnixSeconds,
    ReadOnlyMemory<byte> Signature)
{
    /// <summary>RADIUS session id shared by start/interim/stop records; null for standalone events.</summary>
    public string? AccountingSessionId { get; init; }

    /// <summary>How the counters are to be read; standalone unless this is a RADIUS accounting record.</summary>
    public AccountingRecordKind AccountingKind { get; init; } = AccountingRecordKind.Standalone;

    /// <summary>The timestamp as a point in time.</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeSeconds(TimestampUnixSeconds);
}

/// <summary>
/// A carrier router's report of a session (Helium <c>data_transfer_session_req_v1</c>): the hotspot's event plus
/// what the carrier deems rewardable, signed by the router over <see cref="CanonicalRecordEncoding.EncodeSessionRequest"/>
/// with <see cref="Signature"/> empty (the embedded event keeps its own signature, so the router vouches for it too).
/// </summary>
/// <param name="Event">The hotspot-signed event.</param>
/// <param name="RewardableBytes">Bytes the carrier pays for (cumulative for accounting kinds, like the event's counters).</param>
/// <param name="RouterKey">The carrier router that signed this envelope.</param>
/// <param name="CarrierId">Carrier the router reports for.</param>
/// <param name="Sampling">The record is a sample; carried through for reporting.</param>
/// <param name="RewardCancelled">The carrier withdrew the reward: the traffic is metered but nothing is rewardable.</param>
/// <param name="Signature">Router's signature; empty while signing.</param>
public sealed record DataTransferSessionRequest(
    DataTransferEvent Event,
    long RewardableBytes,
    HeliumPublicKey RouterKey,
    string CarrierId,
    bool Sampling,
    bool RewardCancelled,
    ReadOnlyMemory<byte> Signature);
