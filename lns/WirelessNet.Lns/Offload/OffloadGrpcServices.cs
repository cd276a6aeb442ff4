using Grpc.Core;
using WirelessNet.Proto.Helium.PocMobile;
using WirelessNet.Proto.Offload;

namespace WirelessNet.Lns.Offload;

/// <summary>
/// <c>helium.poc_mobile.poc_mobile</c>: Helium's unary submissions. Authentication is the signatures themselves
/// (a registered router key for sessions, a known hotspot key for heartbeats). A rejected record answers
/// INVALID_ARGUMENT with "reason: detail"; a retry of an accepted one answers the same id again.
/// </summary>
internal sealed class PocMobileService(OffloadIngest ingest) : poc_mobile.poc_mobileBase
{
    public override async Task<data_transfer_session_resp_v1> submit_data_transfer_session(data_transfer_session_req_v1 request, ServerCallContext context)
    {
        var batch = new data_transfer_batch_req_v1();
        batch.Sessions.Add(request);
        var result = (await Run(() => ingest.SubmitSessionsAsync(batch, null, "grpc", context.CancellationToken)).ConfigureAwait(false)).Results[0];
        return new data_transfer_session_resp_v1 { Id = Answer(result) };
    }

    public override async Task<cell_heartbeat_resp_v1> submit_cell_heartbeat(cell_heartbeat_req_v1 request, ServerCallContext context)
    {
        var batch = new heartbeat_batch_req_v1();
        batch.CellHeartbeats.Add(request);
        var result = (await Run(() => ingest.SubmitHeartbeatsAsync(batch, null, context.CancellationToken)).ConfigureAwait(false)).Results[0];
        return new cell_heartbeat_resp_v1 { Id = Answer(result) };
    }

    public override async Task<wifi_heartbeat_resp_v1> submit_wifi_heartbeat(wifi_heartbeat_req_v1 request, ServerCallContext context)
    {
        var batch = new heartbeat_batch_req_v1();
        batch.WifiHeartbeats.Add(request);
        var result = (await Run(() => ingest.SubmitHeartbeatsAsync(batch, null, context.CancellationToken)).ConfigureAwait(false)).Results[0];
        return new wifi_heartbeat_resp_v1 { Id = Answer(result) };
    }

    public override async Task<speedtest_resp_v1> submit_speedtest(speedtest_req_v1 request, ServerCallContext context)
    {
        var batch = new heartbeat_batch_req_v1();
        batch.Speedtests.Add(request);
        var result = (await Run(() => ingest.SubmitHeartbeatsAsync(batch, null, context.CancellationToken)).ConfigureAwait(false)).Results[0];
        return new speedtest_resp_v1 { Id = Answer(result) };
    }

    private static string Answer(record_result result) => result.Status == record_status.Rejected
        ? throw new RpcException(new Status(StatusCode.InvalidArgument, $"{result.Reason}: {result.Message}"))
        : result.EventId.Length > 0 ? result.EventId : result.Status.ToString();

    internal static async Task<T> Run<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (OffloadRequestException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        catch (Exception e) when (e is not RpcException and not OperationCanceledException)
        {
            // The store failed: nothing was acknowledged, the sender should retry.
            throw new RpcException(new Status(StatusCode.Unavailable, "offload store unavailable; retry"));
        }
    }
}

/// <summary><c>wirelessnet.offload.offload_ingest</c>: batches and a stream of batches for high-volume routers.</summary>
internal sealed class OffloadIngestService(OffloadIngest ingest) : offload_ingest.offload_ingestBase
{
    public override Task<data_transfer_batch_resp_v1> submit_data_transfer_batch(data_transfer_batch_req_v1 request, ServerCallContext context) =>
        PocMobileService.Run(() => ingest.SubmitSessionsAsync(request, null, "grpc", context.CancellationToken));

    public override async Task stream_data_transfer_batches(IAsyncStreamReader<data_transfer_batch_req_v1> requestStream, IServerStreamWriter<data_transfer_batch_resp_v1> responseStream, ServerCallContext context)
    {
        await foreach (var batch in requestStream.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            var response = await PocMobileService.Run(() => ingest.SubmitSessionsAsync(batch, null, "grpc-stream", context.CancellationToken)).ConfigureAwait(false);
            await responseStream.WriteAsync(response, context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override Task<heartbeat_batch_resp_v1> submit_heartbeat_batch(heartbeat_batch_req_v1 request, ServerCallContext context) =>
        PocMobileService.Run(() => ingest.SubmitHeartbeatsAsync(request, null, context.CancellationToken));
}
