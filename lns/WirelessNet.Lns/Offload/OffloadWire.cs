using System.Security.Cryptography;
using Google.Protobuf;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Signing;
using WirelessNet.Offload.Validation;
using WirelessNet.Proto.Helium.PocMobile;
using WirelessNet.Proto.Offload;

namespace WirelessNet.Lns.Offload;

/// <summary>A record that could not be read into the domain, with the reason reported to the sender.</summary>
internal readonly record struct WireRejection(string Reason, string Message);

/// <summary>
/// Maps wire messages to the core's records and checks Helium-style signatures: the signer's key over the
/// protobuf encoding of the message with its <c>signature</c> field empty (Helium's convention; Google.Protobuf
/// writes known fields in field-number order and keeps unknown fields, so the bytes are the sender's).
/// </summary>
internal static class OffloadWire
{
    /// <summary>Latest Unix second a <see cref="DateTimeOffset"/> can hold; later timestamps are rejected as in the future.</summary>
    private const long MaxUnixSeconds = 253_402_300_799;

    public static bool TryReadKey(ByteString bytes, out HeliumPublicKey key) =>
        HeliumKeyCache.Shared.TryGet(bytes.Span, out key!);

    // The signature is taken out for the encoding and put back, rather than cloning the message: the request is
    // owned by the one call verifying it, and a clone of every envelope was a measurable share of the ingest cost.
    public static bool VerifyEnvelope(data_transfer_session_req_v1 request, HeliumPublicKey routerKey)
    {
        var signature = request.Signature;
        request.Signature = ByteString.Empty;
        try
        {
            return routerKey.Verify(request.ToByteArray(), signature.Span);
        }
        finally
        {
            request.Signature = signature;
        }
    }

    public static bool VerifyEvent(data_transfer_event transferEvent, HeliumPublicKey hotspotKey)
    {
        var signature = transferEvent.Signature;
        transferEvent.Signature = ByteString.Empty;
        try
        {
            return hotspotKey.Verify(transferEvent.ToByteArray(), signature.Span);
        }
        finally
        {
            transferEvent.Signature = signature;
        }
    }

    public static bool Verify<T>(T message, HeliumPublicKey key, ByteString signature, Action<T> clearSignature)
        where T : IMessage<T>
    {
        var unsigned = message.Clone();
        clearSignature(unsigned);
        return key.Verify(unsigned.ToByteArray(), signature.Span);
    }

    /// <summary>The domain request of a Helium envelope for <paramref name="carrierId"/>, or why it cannot be read.</summary>
    public static WireRejection? TryRead(data_transfer_session_req_v1 wire, string carrierId, HeliumPublicKey routerKey, out DataTransferSessionRequest? request)
    {
        request = null;
        var usage = wire.DataTransferUsage;
        if (usage is null)
        {
            return new WireRejection("MalformedRecord", "data_transfer_usage is missing");
        }

        if (!TryReadKey(usage.PubKey, out var hotspot))
        {
            return new WireRejection("MalformedRecord", "data_transfer_usage.pub_key is not a Helium key");
        }

        if (!TryReadKey(usage.Payer, out var payer))
        {
            return new WireRejection("MalformedRecord", "data_transfer_usage.payer is not a Helium key");
        }

        if (usage.Timestamp > MaxUnixSeconds)
        {
            return new WireRejection(nameof(TransferRejectionReason.TimestampInFuture), "timestamp is beyond the year 9999");
        }

        var transferEvent = new DataTransferEvent(
            hotspot,
            Clamp(usage.UploadBytes),
            Clamp(usage.DownloadBytes),
            (RadioAccessTechnology)(int)usage.RadioAccessTechnology,
            usage.EventId,
            payer,
            (long)usage.Timestamp,
            usage.Signature.Memory);
        request = new DataTransferSessionRequest(
            transferEvent, Clamp(wire.RewardableBytes), routerKey, carrierId, wire.Sampling, wire.RewardCancelled, wire.Signature.Memory);
        return null;
    }

    /// <summary>The domain request of an accounting record (signed over the canonical encoding), or why it cannot be read.</summary>
    public static WireRejection? TryRead(accounting_session_record wire, out DataTransferSessionRequest? request)
    {
        request = null;
        if (!TryReadKey(wire.HotspotPubKey, out var hotspot) || !TryReadKey(wire.Payer, out var payer) || !TryReadKey(wire.RouterPubKey, out var router))
        {
            return new WireRejection("MalformedRecord", "hotspot_pub_key, payer and router_pub_key must be Helium keys");
        }

        if (wire.Timestamp > MaxUnixSeconds)
        {
            return new WireRejection(nameof(TransferRejectionReason.TimestampInFuture), "timestamp is beyond the year 9999");
        }

        if (!Enum.IsDefined((AccountingRecordKind)(int)wire.AccountingKind))
        {
            return new WireRejection("MalformedRecord", "unknown accounting_kind");
        }

        var transferEvent = new DataTransferEvent(
            hotspot,
            Clamp(wire.UploadBytes),
            Clamp(wire.DownloadBytes),
            (RadioAccessTechnology)(int)wire.RadioAccessTechnology,
            wire.EventId,
            payer,
            (long)wire.Timestamp,
            wire.HotspotSignature.Memory)
        {
            AccountingKind = (AccountingRecordKind)(int)wire.AccountingKind,
            AccountingSessionId = wire.AccountingSessionId.Length == 0 ? null : wire.AccountingSessionId,
        };
        request = new DataTransferSessionRequest(
            transferEvent, Clamp(wire.RewardableBytes), router, wire.CarrierId, wire.Sampling, wire.RewardCancelled, wire.RouterSignature.Memory);
        return null;
    }

    /// <summary>The wire form of a domain request signed over the canonical encoding (simulators and tests build these).</summary>
    public static accounting_session_record ToWire(DataTransferSessionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var e = request.Event;
        return new accounting_session_record
        {
            HotspotPubKey = ByteString.CopyFrom(e.HotspotKey.AsSpan()),
            UploadBytes = (ulong)e.UploadBytes,
            DownloadBytes = (ulong)e.DownloadBytes,
            RadioAccessTechnology = (data_transfer_radio_access_technology)(int)e.RadioAccessTechnology,
            EventId = e.EventId,
            Payer = ByteString.CopyFrom(e.Payer.AsSpan()),
            Timestamp = (ulong)e.TimestampUnixSeconds,
            AccountingKind = (accounting_kind)(int)e.AccountingKind,
            AccountingSessionId = e.AccountingSessionId ?? string.Empty,
            HotspotSignature = ByteString.CopyFrom(e.Signature.Span),
            RewardableBytes = (ulong)request.RewardableBytes,
            RouterPubKey = ByteString.CopyFrom(request.RouterKey.AsSpan()),
            CarrierId = request.CarrierId,
            Sampling = request.Sampling,
            RewardCancelled = request.RewardCancelled,
            RouterSignature = ByteString.CopyFrom(request.Signature.Span),
        };
    }

    /// <summary>
    /// Identity of a record's content for retry detection: SHA-256 of the router-independent canonical encoding
    /// (event with its hotspot signature, rewardable bytes, flags), so a router re-signing a retry with a randomized
    /// ECDSA signature still presents the same record.
    /// </summary>
    public static string Fingerprint(DataTransferSessionRequest request)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(CanonicalRecordEncoding.EncodeSessionRequest(request), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    // uint64 counters above long.MaxValue become long.MaxValue, which the core rejects as too large.
    private static long Clamp(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;
}

/// <summary>Verifies a Helium envelope's signatures over its protobuf bytes when the core asks, in the core's order.</summary>
internal sealed class HeliumEnvelopeSignatures(data_transfer_session_req_v1 wire) : IRecordSignatureVerifier
{
    public bool VerifyEvent(DataTransferEvent transferEvent) => OffloadWire.VerifyEvent(wire.DataTransferUsage, transferEvent.HotspotKey);

    public bool VerifySessionRequest(DataTransferSessionRequest request) => OffloadWire.VerifyEnvelope(wire, request.RouterKey);
}

/// <summary>
/// Stand-ins for the core's stateful steps while it runs the stateless checks: the store then claims the event_id
/// and advances the session atomically with storing the record (<see cref="IOffloadStore.CommitAsync"/>), so a
/// crash can never leave an id claimed for a record that was not kept.
/// </summary>
internal sealed class DeferredStatefulSteps : IEventDeduplicationIndex, IAccountingSessionStore
{
    public static DeferredStatefulSteps Instance { get; } = new();

    public bool TryClaim(string carrierId, string eventId, DateTimeOffset recordTime, DateTimeOffset now) => true;

    public AccountingAdvance Advance(string carrierId, string sessionId, AccountingRecordKind kind, TransferCounters cumulative) =>
        new(AccountingAdvanceOutcome.Advanced, cumulative, TransferCounters.Zero);
}
