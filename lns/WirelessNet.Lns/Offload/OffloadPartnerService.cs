using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Heartbeats;
using WirelessNet.Offload.Metering;
using WirelessNet.Proto.Offload;

namespace WirelessNet.Lns.Offload;

/// <summary><c>wirelessnet.offload.offload_partner</c>: the partner API over gRPC, scoped like the HTTP one.</summary>
internal sealed class OffloadPartnerService(IServiceProvider services, IOffloadStore store, OffloadDirectory directory, OffloadSettlement settlement, TimeProvider time, IOptions<OffloadOptions> options)
    : offload_partner.offload_partnerBase
{
    private const int RecordsPage = 1_000;
    private const uint MaxRecordsPerCall = 100_000;

    public override async Task<list_statements_resp> list_statements(carrier_req request, ServerCallContext context)
    {
        var carrierId = await ScopeAsync(request.CarrierId, context).ConfigureAwait(false);
        var response = new list_statements_resp();
        response.Statements.AddRange((await store.GetStatementsAsync(carrierId, context.CancellationToken).ConfigureAwait(false)).Select(ToWire));
        return response;
    }

    public override async Task stream_statements(statements_req request, IServerStreamWriter<signed_statement> responseStream, ServerCallContext context)
    {
        var carrierId = await ScopeAsync(request.CarrierId, context).ConfigureAwait(false);
        const int page = 16;
        var next = Math.Max(1, request.FromSequence);
        var left = request.Limit == 0 ? 100 : Math.Min(request.Limit, 10_000);
        while (left > 0)
        {
            var statements = await store.GetStatementsAsync(carrierId, next, (int)Math.Min(page, left), context.CancellationToken).ConfigureAwait(false);
            foreach (var statement in statements)
            {
                await responseStream.WriteAsync(ToWire(statement), context.CancellationToken).ConfigureAwait(false);
            }

            if (statements.Count < Math.Min(page, left))
            {
                break;
            }

            next += statements.Count;
            left -= (uint)statements.Count;
        }
    }

    public override async Task<signed_statement> get_statement(get_statement_req request, ServerCallContext context)
    {
        var carrierId = await ScopeAsync(request.CarrierId, context).ConfigureAwait(false);
        var stored = await store.GetStatementAsync(carrierId, request.Sequence, context.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, "statement not found"));
        return ToWire(stored);
    }

    public override async Task<list_rejections_resp> list_rejections(list_rejections_req request, ServerCallContext context)
    {
        var carrierId = await ScopeAsync(request.CarrierId, context).ConfigureAwait(false);
        var limit = request.Limit == 0 ? 100 : (int)Math.Min(request.Limit, 1000);
        var response = new list_rejections_resp();
        foreach (var r in await store.GetRejectionsAsync(carrierId, (int)Math.Min(request.Offset, int.MaxValue), limit, context.CancellationToken).ConfigureAwait(false))
        {
            response.Rejections.Add(new rejection
            {
                ReceivedAt = r.ReceivedAt.ToUnixTimeMilliseconds(),
                Kind = r.Kind,
                EventId = r.EventId,
                Hotspot = r.Hotspot ?? string.Empty,
                Reason = r.Reason,
                Message = r.Message,
            });
        }

        return response;
    }

    public override async Task<dispute_resp> dispute(dispute_req request, ServerCallContext context)
    {
        var carrierId = await ScopeAsync(request.CarrierId, context).ConfigureAwait(false);
        if (request.EventIds.Count is 0 or > 10_000)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "event_ids must list 1-10000 ids"));
        }

        try
        {
            var result = await settlement.DisputeAsync(carrierId, request.EventIds, time.GetUtcNow(), context.CancellationToken).ConfigureAwait(false);
            return new dispute_resp { Credited = { result.Credited }, NotSettled = { result.NotSettled }, AlreadyDisputed = { result.AlreadyDisputed } };
        }
        catch (SettlementRefusedException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
    }

    public override async Task stream_usage(usage_req request, IServerStreamWriter<usage_bucket> responseStream, ServerCallContext context)
    {
        var carrierId = await ScopeAsync(request.CarrierId, context).ConfigureAwait(false);
        var granularity = request.Granularity == usage_granularity.Hour ? MeterGranularity.Hour : MeterGranularity.Day;
        var scope = request.Scope switch
        {
            usage_scope.Carrier => UsageScope.Carrier,
            usage_scope.Hotspot => UsageScope.Hotspot,
            usage_scope.Hex => UsageScope.Hex,
            usage_scope.Payer => UsageScope.HotspotPayer,
            _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "scope is carrier, hotspot, hex or payer")),
        };
        if (request.Period is < 0 or > 253_402_300_799)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "period must be a Unix time in seconds"));
        }

        var start = UsageMeter.PeriodStart(granularity, DateTimeOffset.FromUnixTimeSeconds(request.Period));
        var bytesPerDc = options.Value.BytesPerDataCredit;
        foreach (var (key, counters) in await store.ReadUsageAsync(granularity, start, carrierId, scope, context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(
                new usage_bucket
                {
                    PeriodStart = start.ToUnixTimeSeconds(),
                    Granularity = request.Granularity,
                    Hotspot = key.Hotspot?.ToAddress() ?? string.Empty,
                    Payer = key.Payer?.ToAddress() ?? string.Empty,
                    Hex = key.Hex.IsNull ? string.Empty : key.Hex.ToString(),
                    Records = (ulong)counters.Records,
                    Sessions = (ulong)counters.Sessions,
                    UploadBytes = (ulong)counters.UploadBytes,
                    DownloadBytes = (ulong)counters.DownloadBytes,
                    RewardableBytes = (ulong)counters.RewardableBytes,
                    DataCredits = scope == UsageScope.HotspotPayer ? (ulong)DataCredits.ForBucket(counters.BilledRecords, counters.RewardableBytes, bytesPerDc) : 0,
                },
                context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task stream_records(records_req request, IServerStreamWriter<usage_record> responseStream, ServerCallContext context)
    {
        var carrierId = await ScopeAsync(request.CarrierId, context).ConfigureAwait(false);
        if (request.Limit > MaxRecordsPerCall || request.Offset > long.MaxValue)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"limit is at most {MaxRecordsPerCall}"));
        }

        var position = (long)request.Offset;
        var end = position + (request.Limit == 0 ? 10_000 : request.Limit);
        while (position < end)
        {
            var page = await store.ReadRecordsAsync(carrierId, position, (int)Math.Min(RecordsPage, end - position), context.CancellationToken).ConfigureAwait(false);
            foreach (var r in page)
            {
                await responseStream.WriteAsync(
                    new usage_record
                    {
                        Position = (ulong)position++,
                        EventId = r.EventId,
                        Hotspot = r.HotspotKey.ToAddress(),
                        Payer = r.Payer.ToAddress(),
                        Hex = r.Hex.ToString(),
                        Timestamp = r.Timestamp.ToUnixTimeSeconds(),
                        RadioAccessTechnology = r.RadioAccessTechnology.ToString(),
                        UploadBytes = (ulong)r.UploadBytes,
                        DownloadBytes = (ulong)r.DownloadBytes,
                        RewardableBytes = (ulong)r.RewardableBytes,
                        Sampling = r.Sampling,
                        RewardCancelled = r.RewardCancelled,
                        AccountingSessionId = r.AccountingSessionId ?? string.Empty,
                    },
                    context.CancellationToken).ConfigureAwait(false);
            }

            if (page.Count < RecordsPage)
            {
                break;
            }
        }
    }

    public override Task<statement_key_resp> get_statement_key(statement_key_req request, ServerCallContext context) =>
        Task.FromResult(new statement_key_resp { Address = settlement.ServerKey.ToAddress(), PublicKey = ByteString.CopyFrom(settlement.ServerKey.AsSpan()) });

    public override async Task<verify_statement_resp> verify_statement(verify_statement_req request, ServerCallContext context)
    {
        var carrierId = await ScopeAsync(request.CarrierId, context).ConfigureAwait(false);
        var check = await settlement.VerifyAsync(carrierId, request.Sequence, request.CanonicalBytes.Memory, request.Signature.Memory, context.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, "statement not found"));
        return new verify_statement_resp { Valid = check.Valid, SignatureValid = check.SignatureValid, MatchesIssued = check.MatchesIssued };
    }

    public override async Task<list_speedtests_resp> list_speedtests(list_speedtests_req request, ServerCallContext context)
    {
        var carrierId = await ScopeAsync(request.CarrierId, context).ConfigureAwait(false);
        // A hotspot that never carried this carrier's traffic answers as an unknown one.
        if (!HeliumPublicKey.TryParseAddress(request.Hotspot, out var hotspot, out _)
            || !await store.CarrierUsedHotspotAsync(carrierId, hotspot, context.CancellationToken).ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "hotspot not found"));
        }

        var tests = await store.GetSpeedtestsAsync(hotspot, DateTimeOffset.MaxValue, request.Limit == 0 ? 100 : (int)Math.Min(request.Limit, 1000), context.CancellationToken).ConfigureAwait(false);
        var response = new list_speedtests_resp { Multiplier = SpeedtestTiers.Multiplier(tests).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        response.Speedtests.AddRange(tests.Select(t => new speedtest
        {
            Timestamp = t.TimestampUnixSeconds,
            UploadSpeed = (ulong)t.UploadBytesPerSecond,
            DownloadSpeed = (ulong)t.DownloadBytesPerSecond,
            Latency = (uint)t.LatencyMs,
        }));
        return response;
    }

    private async Task<string> ScopeAsync(string carrierId, ServerCallContext context)
    {
        var caller = await OffloadCaller.AuthenticateAsync(context.RequestHeaders.GetValue("authorization"), services, context.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "missing or invalid API key"));

        // Another carrier's id answers exactly as an unknown one does.
        if (!caller.MaySee(carrierId) || !directory.TryGetCarrier(carrierId, out _))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "carrier not found"));
        }

        return carrierId;
    }

    private static signed_statement ToWire(StoredStatement stored) => new()
    {
        Sequence = stored.Sequence,
        Json = stored.Json,
        CanonicalBytes = ByteString.CopyFrom(stored.CanonicalBytes),
        Signature = ByteString.CopyFrom(stored.Signature),
        SignerKey = stored.SignerKey,
    };
}
