using System.Collections.Concurrent;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PocLora;

namespace WirelessNet.Lns.Poc;

/// <summary>A report refused at ingest: the Helium reason name and the gRPC status it is answered with.</summary>
public sealed class PocReportRejectedException : Exception
{
    public PocReportRejectedException()
    {
        Reason = "unknown_error";
    }

    public PocReportRejectedException(string message)
        : base(message)
    {
        Reason = "unknown_error";
    }

    public PocReportRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = "unknown_error";
    }

    public PocReportRejectedException(string reason, StatusCode status, string message)
        : base(message)
    {
        Reason = reason;
        Status = status;
    }

    public string Reason { get; }

    public StatusCode Status { get; } = StatusCode.InvalidArgument;
}

/// <summary>
/// Takes reports in: checks what can be checked on one report alone (a Helium key, its signature, sane sizes, a
/// provisioned and allowed gateway), stamps the server's receive time, and files the report under its round (the
/// SHA-256 of the beacon payload) for the verifier. Idempotent: a report resubmitted (same signed bytes) keeps its
/// first receive time and id. The rules that need the whole round run later, in <see cref="PocRoundProcessor"/>.
/// </summary>
public sealed class PocReportIngest(IPocStore store, PocHotspotDirectory directory, PocKeyCache keys, PocMetrics metrics, TimeProvider time, ILogger<PocReportIngest> logger)
{
    public const string BeaconKind = "beacon";
    public const string WitnessKind = "witness";
    private const int MaxDataLength = 255;
    private const int MaxEntropyLength = 64;
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _touched = new(StringComparer.Ordinal);

    /// <summary>The round a payload belongs to: hex of the first 16 bytes of its SHA-256.</summary>
    public static string RoundId(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <param name="signer">The stream's session key when the report came over a session; else the report's own key signs.</param>
    public async ValueTask<string> SubmitBeaconAsync(lora_beacon_report_req_v1 report, HeliumPublicKey? signer, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var key = Authenticate(BeaconKind, report.PubKey, signer, k => SignedMessages.Verify(report, k, m => m.Signature, (m, s) => m.Signature = s));
        if (report.Data.Length > MaxDataLength || report.LocalEntropy.Length > MaxEntropyLength || report.RemoteEntropy.Length > MaxEntropyLength)
        {
            throw Reject(BeaconKind, "invalid_packet", StatusCode.InvalidArgument, "data or entropy too long");
        }

        var gatewayId = await RequireGatewayAsync(BeaconKind, key, cancellationToken).ConfigureAwait(false);
        var receivedAt = time.GetUtcNow();
        var ingest = new lora_beacon_ingest_report_v1 { ReceivedTimestamp = (ulong)receivedAt.ToUnixTimeMilliseconds(), Report = report };
        var id = await FileAsync(BeaconKind, report.Data, report.ToByteArray(), ingest.ToByteArray(), receivedAt, source, cancellationToken).ConfigureAwait(false);
        await TouchAsync(key, gatewayId, GatewayTransport.HeliumGrpc, receivedAt, cancellationToken).ConfigureAwait(false);
        return id;
    }

    public async ValueTask<string> SubmitWitnessAsync(lora_witness_report_req_v1 report, HeliumPublicKey? signer, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var key = Authenticate(WitnessKind, report.PubKey, signer, k => SignedMessages.Verify(report, k, m => m.Signature, (m, s) => m.Signature = s));
        if (report.Data.Length > MaxDataLength)
        {
            throw Reject(WitnessKind, "invalid_packet", StatusCode.InvalidArgument, "data too long");
        }

        var gatewayId = await RequireGatewayAsync(WitnessKind, key, cancellationToken).ConfigureAwait(false);
        var receivedAt = time.GetUtcNow();
        var ingest = new lora_witness_ingest_report_v1 { ReceivedTimestamp = (ulong)receivedAt.ToUnixTimeMilliseconds(), Report = report };
        var id = await FileAsync(WitnessKind, report.Data, report.ToByteArray(), ingest.ToByteArray(), receivedAt, source, cancellationToken).ConfigureAwait(false);
        await TouchAsync(key, gatewayId, GatewayTransport.HeliumGrpc, receivedAt, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>
    /// Files a beacon this server built and sent on a gateway's behalf (the gateway cannot report it: it was never told
    /// the local entropy). Trusted as the server's own statement, so unsigned; received at the moment it was sent.
    /// </summary>
    internal async ValueTask<string> FileServerBeaconAsync(lora_beacon_report_req_v1 report, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        var ingest = new lora_beacon_ingest_report_v1 { ReceivedTimestamp = (ulong)sentAt.ToUnixTimeMilliseconds(), Report = report };
        return await FileAsync(BeaconKind, report.Data, report.ToByteArray(), ingest.ToByteArray(), sentAt, "server", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Files a witness heard by a gateway without a key of its own (an MQTT gateway forwarding a beacon frame).</summary>
    internal async ValueTask<string> FileGatewayWitnessAsync(lora_witness_report_req_v1 report, Eui64 gatewayId, GatewayTransport transport, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var ingest = new lora_witness_ingest_report_v1 { ReceivedTimestamp = (ulong)receivedAt.ToUnixTimeMilliseconds(), Report = report };
        var id = await FileAsync(WitnessKind, report.Data, report.ToByteArray(), ingest.ToByteArray(), receivedAt, "mqtt", cancellationToken).ConfigureAwait(false);
        await TouchAsync(HeliumPublicKey.Parse(report.PubKey.Span), gatewayId, transport, receivedAt, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Marks a hotspot active (for transmit scales and challenges), at most once a minute per hotspot and instance.</summary>
    internal async ValueTask TouchAsync(HeliumPublicKey key, Eui64 gatewayId, GatewayTransport transport, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var address = key.ToAddress();
        if (_touched.TryGetValue(address, out var last) && at - last < TouchInterval)
        {
            return;
        }

        _touched[address] = at;
        await store.TouchParticipantAsync(new PocParticipant(address, gatewayId, transport, at), cancellationToken).ConfigureAwait(false);
        directory.Invalidate();
    }

    private HeliumPublicKey Authenticate(string kind, ByteString pubKey, HeliumPublicKey? signer, Func<HeliumPublicKey, bool> verify)
    {
        if (!keys.TryParse(pubKey, out var key, out var error))
        {
            throw Reject(kind, "invalid_pubkey", StatusCode.InvalidArgument, $"pub_key is not a Helium public key ({error})");
        }

        if (!verify(signer ?? key))
        {
            throw Reject(kind, "bad_signature", StatusCode.PermissionDenied, signer is null ? "not signed by pub_key" : "not signed by the stream's session key");
        }

        return key;
    }

    private async ValueTask<Eui64> RequireGatewayAsync(string kind, HeliumPublicKey key, CancellationToken cancellationToken)
    {
        var hotspot = await directory.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (hotspot is null)
        {
            throw Reject(kind, "gateway_not_found", StatusCode.NotFound, $"hotspot {key.ToAddress()} is not provisioned");
        }

        if (hotspot.Gateway.Denied)
        {
            throw Reject(kind, "denied", StatusCode.PermissionDenied, $"hotspot {key.ToAddress()} is denied");
        }

        return hotspot.Gateway.GatewayId;
    }

    private async ValueTask<string> FileAsync(string kind, ByteString data, byte[] signedReport, byte[] ingest, DateTimeOffset receivedAt, string source, CancellationToken cancellationToken)
    {
        var roundId = RoundId(data.Span);
        var reportId = Convert.ToHexStringLower(SHA256.HashData(signedReport).AsSpan(0, 16));
        var added = await store.AddReportAsync(roundId, kind == BeaconKind, reportId, ingest, receivedAt, cancellationToken).ConfigureAwait(false);
        metrics.Accepted(kind, added ? source : source + "_resubmitted");
        PocLog.Filed(logger, kind, reportId, roundId, added);
        return reportId;
    }

    private PocReportRejectedException Reject(string kind, string reason, StatusCode status, string detail)
    {
        metrics.Rejected(kind, reason);
        PocLog.Rejected(logger, kind, reason, detail);
        return new PocReportRejectedException(reason, status, $"{reason}: {detail}");
    }
}
