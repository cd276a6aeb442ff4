using WirelessNet.Offload.Records;

namespace WirelessNet.Offload.Signing;

/// <summary>
/// The bytes that hotspots and carrier routers sign (see docs/offload.md, "Canonical encoding"). Each encoding starts
/// with a domain tag naming the record type and version, so a signature over one type can never be replayed as
/// another. The signature field is encoded as a zero-length byte string when signing or verifying.
/// </summary>
public static class CanonicalRecordEncoding
{
    /// <summary>Domain tag of <see cref="DataTransferEvent"/> encodings.</summary>
    public const string EventTag = "wirelessnet.offload.data_transfer_event.v1";

    /// <summary>Domain tag of <see cref="DataTransferSessionRequest"/> encodings.</summary>
    public const string SessionRequestTag = "wirelessnet.offload.data_transfer_session_req.v1";

    /// <summary>The event's signing bytes: every field in declaration order, signature empty.</summary>
    public static byte[] EncodeEvent(DataTransferEvent transferEvent)
    {
        ArgumentNullException.ThrowIfNull(transferEvent);
        var writer = new CanonicalWriter();
        WriteEvent(writer, transferEvent, includeSignature: false);
        return writer.ToArray();
    }

    /// <summary>
    /// The envelope's signing bytes: tag, the embedded event encoded with its hotspot signature (so the router's
    /// signature covers it), then the envelope fields, signature empty.
    /// </summary>
    public static byte[] EncodeSessionRequest(DataTransferSessionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var eventWriter = new CanonicalWriter();
        WriteEvent(eventWriter, request.Event, includeSignature: true);

        var writer = new CanonicalWriter();
        writer.WriteString(SessionRequestTag);
        writer.WriteBytes(eventWriter.ToArray());
        writer.WriteInt64(request.RewardableBytes);
        writer.WriteBytes(request.RouterKey.AsSpan());
        writer.WriteString(request.CarrierId);
        writer.WriteBool(request.Sampling);
        writer.WriteBool(request.RewardCancelled);
        writer.WriteBytes([]);
        return writer.ToArray();
    }

    private static void WriteEvent(CanonicalWriter writer, DataTransferEvent transferEvent, bool includeSignature)
    {
        writer.WriteString(EventTag);
        writer.WriteBytes(transferEvent.HotspotKey.AsSpan());
        writer.WriteInt64(transferEvent.UploadBytes);
        writer.WriteInt64(transferEvent.DownloadBytes);
        writer.WriteInt32((int)transferEvent.RadioAccessTechnology);
        writer.WriteString(transferEvent.EventId);
        writer.WriteBytes(transferEvent.Payer.AsSpan());
        writer.WriteInt64(transferEvent.TimestampUnixSeconds);
        writer.WriteByte((byte)transferEvent.AccountingKind);
        writer.WriteOptionalString(transferEvent.AccountingSessionId);
        writer.WriteBytes(includeSignature ? transferEvent.Signature.Span : []);
    }
}
