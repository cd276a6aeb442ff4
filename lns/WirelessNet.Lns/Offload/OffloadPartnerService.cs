using Google.Protobuf;
using Grpc.Core;
using WirelessNet.Proto.Offload;

namespace WirelessNet.Lns.Offload;

/// <summary><c>wirelessnet.offload.offload_partner</c>: the partner API over gRPC, scoped like the HTTP one.</summary>
internal sealed class OffloadPartnerService(IServiceProvider services, IOffloadStore store, OffloadDirectory directory, OffloadSettlement settlement, TimeProvider time)
    : offload_partner.offload_partnerBase
{
    public override async Task<list_statements_resp> list_statements(carrier_req request, ServerCallContext context)
    {
        var carrierId = await ScopeAsync(request.CarrierId, context).ConfigureAwait(false);
        var response = new list_statements_resp();
        response.Statements.AddRange((await store.GetStatementsAsync(carrierId, context.CancellationToken).ConfigureAwait(false)).Select(ToWire));
        return response;
    }

    public override async Task<signed_statement> get_statement(get_statement_req request, ServerCallContext context)
    {
        var carrierId = await ScopeAsync(request.CarrierId, context).ConfigureAwait(false);
        var stored = (await store.GetStatementsAsync(carrierId, context.CancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Sequence == request.Sequence)
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
