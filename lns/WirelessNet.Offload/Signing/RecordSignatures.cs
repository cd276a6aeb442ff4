using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Records;

namespace WirelessNet.Offload.Signing;

/// <summary>Checks the signatures on offload records. Behind an interface so ingest can batch or offload the work.</summary>
public interface IRecordSignatureVerifier
{
    /// <summary>True when the event is signed by its own hotspot key.</summary>
    bool VerifyEvent(DataTransferEvent transferEvent);

    /// <summary>True when the envelope is signed by its router key (the embedded event is checked separately).</summary>
    bool VerifySessionRequest(DataTransferSessionRequest request);
}

/// <summary>Verifies with Helium keys (ed25519 or ecc_compact) over <see cref="CanonicalRecordEncoding"/>.</summary>
public sealed class HeliumRecordSignatureVerifier : IRecordSignatureVerifier
{
    /// <inheritdoc />
    public bool VerifyEvent(DataTransferEvent transferEvent)
    {
        ArgumentNullException.ThrowIfNull(transferEvent);
        return transferEvent.HotspotKey.Verify(CanonicalRecordEncoding.EncodeEvent(transferEvent), transferEvent.Signature.Span);
    }

    /// <inheritdoc />
    public bool VerifySessionRequest(DataTransferSessionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.RouterKey.Verify(CanonicalRecordEncoding.EncodeSessionRequest(request), request.Signature.Span);
    }
}

/// <summary>Signs records the way hotspots and routers must; used by simulators and tests.</summary>
public static class RecordSigner
{
    /// <summary>The event with its signature set by <paramref name="hotspotKey"/>.</summary>
    public static DataTransferEvent SignEvent(DataTransferEvent transferEvent, HeliumKeyPair hotspotKey)
    {
        ArgumentNullException.ThrowIfNull(transferEvent);
        ArgumentNullException.ThrowIfNull(hotspotKey);
        return transferEvent with { Signature = hotspotKey.Sign(CanonicalRecordEncoding.EncodeEvent(transferEvent)) };
    }

    /// <summary>The envelope with its signature set by <paramref name="routerKey"/>.</summary>
    public static DataTransferSessionRequest SignSessionRequest(DataTransferSessionRequest request, HeliumKeyPair routerKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(routerKey);
        return request with { Signature = routerKey.Sign(CanonicalRecordEncoding.EncodeSessionRequest(request)) };
    }
}
