using Google.Protobuf;
using Grpc.Core;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PocEntropy;

namespace WirelessNet.Lns.Poc;

/// <summary><c>helium.poc_entropy.poc_entropy/entropy</c>: the entropy value valid now, for hotspots building beacons.</summary>
public sealed class PocEntropyService(PocEntropySource source) : poc_entropy.poc_entropyBase
{
    public override async Task<entropy_report_v1> entropy(entropy_req_v1 request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await source.Ready.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        if (!source.TryGetCurrent(out var current))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "no entropy value is valid right now"));
        }

        return new entropy_report_v1 { Data = ByteString.CopyFrom(current.Data), Timestamp = (ulong)current.Timestamp, Version = current.Version };
    }
}
