using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using WirelessNet.Helium.Crypto;
using WirelessNet.Proto.Helium.PocLora;

namespace WirelessNet.Lns.Poc;

/// <summary>
/// The report door (<c>helium.poc_lora.poc_lora</c>): signed beacon and witness reports one per call, or over
/// <c>stream_requests</c>, where the server offers a nonce and the hotspot may answer with an ed25519 session key
/// signed by its own key; reports on the stream are then signed by the session key (cheaper for small hotspots).
/// </summary>
/// <remarks>
/// Unary calls answer a refused report with a gRPC status carrying the Helium reason (e.g. <c>bad_signature</c>). On a
/// stream nothing can be answered per report (<c>lora_stream_response_v1</c> carries offers only): a refused report is
/// counted and logged and the stream goes on; only a forged or broken session init ends it.
/// </remarks>
public sealed class PocLoraService(PocReportIngest ingest, PocMetrics metrics, ILogger<PocLoraService> logger) : poc_lora.poc_loraBase
{
    private const int NonceLength = 32;

    public override async Task<lora_beacon_report_resp_v1> submit_lora_beacon(lora_beacon_report_req_v1 request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return new lora_beacon_report_resp_v1 { Id = await ingest.SubmitBeaconAsync(request, null, "grpc", context.CancellationToken).ConfigureAwait(false) };
        }
        catch (PocReportRejectedException e)
        {
            throw new RpcException(new Status(e.Status, e.Message));
        }
    }

    public override async Task<lora_witness_report_resp_v1> submit_lora_witness(lora_witness_report_req_v1 request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return new lora_witness_report_resp_v1 { Id = await ingest.SubmitWitnessAsync(request, null, "grpc", context.CancellationToken).ConfigureAwait(false) };
        }
        catch (PocReportRejectedException e)
        {
            throw new RpcException(new Status(e.Status, e.Message));
        }
    }

    public override async Task stream_requests(IAsyncStreamReader<lora_stream_request_v1> requestStream, IServerStreamWriter<lora_stream_response_v1> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var aborted = context.CancellationToken;
        var nonce = RandomNumberGenerator.GetBytes(NonceLength);
        await responseStream.WriteAsync(new lora_stream_response_v1 { Offer = new lora_stream_session_offer_v1 { Nonce = ByteString.CopyFrom(nonce) } }, aborted).ConfigureAwait(false);

        HeliumPublicKey? owner = null;
        HeliumPublicKey? session = null;
        try
        {
            while (await requestStream.MoveNext(aborted).ConfigureAwait(false))
            {
                var request = requestStream.Current;
                switch (request.RequestCase)
                {
                    case lora_stream_request_v1.RequestOneofCase.SessionInit:
                        (owner, session) = AcceptSession(request.SessionInit, nonce, session);
                        break;
                    case lora_stream_request_v1.RequestOneofCase.BeaconReport:
                        await TryAsync(PocReportIngest.BeaconKind, () => ingest.SubmitBeaconAsync(request.BeaconReport, SignerFor(request.BeaconReport.PubKey, owner, session, "beacon"), "grpc_stream", aborted)).ConfigureAwait(false);
                        break;
                    case lora_stream_request_v1.RequestOneofCase.WitnessReport:
                        await TryAsync(PocReportIngest.WitnessKind, () => ingest.SubmitWitnessAsync(request.WitnessReport, SignerFor(request.WitnessReport.PubKey, owner, session, "witness"), "grpc_stream", aborted)).ConfigureAwait(false);
                        break;
                    default:
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The hotspot went away.
        }
        catch (IOException) when (aborted.IsCancellationRequested)
        {
        }
    }

    private (HeliumPublicKey Owner, HeliumPublicKey Session) AcceptSession(lora_stream_session_init_v1 init, byte[] nonce, HeliumPublicKey? existing)
    {
        if (existing is not null)
        {
            throw Refuse("second_session_init", "a stream has one session");
        }

        if (!HeliumPublicKey.TryParse(init.PubKey.Span, out var owner))
        {
            throw Refuse("invalid_pubkey", "session_init.pub_key is not a Helium public key");
        }

        if (!CryptographicOperations.FixedTimeEquals(init.Nonce.Span, nonce))
        {
            throw Refuse("session_nonce_mismatch", "session_init does not carry the offered nonce");
        }

        if (!HeliumPublicKey.TryParse(init.SessionKey.Span, out var session) || session.KeyType != HeliumKeyType.Ed25519)
        {
            throw Refuse("invalid_session_key", "the session key is not an ed25519 Helium key");
        }

        if (!SignedMessages.Verify(init, owner, m => m.Signature, (m, s) => m.Signature = s))
        {
            throw Refuse("bad_signature", "session_init is not signed by pub_key");
        }

        return (owner, session);
    }

    // Once a session exists every report must be the session owner's and be signed by the session key.
    private static HeliumPublicKey? SignerFor(ByteString pubKey, HeliumPublicKey? owner, HeliumPublicKey? session, string kind)
    {
        if (owner is null || session is null)
        {
            return null;
        }

        if (!pubKey.Span.SequenceEqual(owner.AsSpan()))
        {
            throw new PocReportRejectedException("session_key_owner", StatusCode.PermissionDenied, $"{kind} report of another hotspot on a session stream");
        }

        return session;
    }

    private async Task TryAsync(string kind, Func<ValueTask<string>> submit)
    {
        try
        {
            await submit().ConfigureAwait(false);
        }
        catch (PocReportRejectedException e) when (e.Reason == "session_key_owner")
        {
            // Refused before it reached the ingest: count it here. The stream goes on.
            metrics.Rejected(kind, "bad_signature");
            PocLog.Rejected(logger, kind, "bad_signature", e.Message);
        }
        catch (PocReportRejectedException)
        {
            // Counted and logged by the ingest; the stream goes on.
        }
    }

    private RpcException Refuse(string reason, string detail)
    {
        PocLog.StreamRefused(logger, "(stream)", reason);
        return new RpcException(new Status(StatusCode.PermissionDenied, $"{reason}: {detail}"));
    }
}
