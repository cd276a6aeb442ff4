using Grpc.Core;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Proto.Tests;

/// <summary>The Helium `packet.route` RPC must keep its exact HTTP/2 path and streaming shape.</summary>
public sealed class GrpcContractTests
{
    [Fact]
    public void Route_method_path_from_the_service_descriptor()
    {
        var service = packet.Descriptor;
        var route = Assert.Single(service.Methods);

        Assert.Equal("helium.packet_router.packet", service.FullName);
        Assert.Equal("route", route.Name);
        Assert.Equal("/helium.packet_router.packet/route", $"/{service.FullName}/{route.Name}");
        Assert.True(route.IsClientStreaming);
        Assert.True(route.IsServerStreaming);
        Assert.Equal(envelope_up_v1.Descriptor, route.InputType);
        Assert.Equal(envelope_down_v1.Descriptor, route.OutputType);
    }

    [Fact]
    public void Generated_server_binding_registers_a_duplex_method_at_the_route_path()
    {
        var binder = new RecordingBinder();

        packet.BindService(binder, new RouteService());

        var method = Assert.Single(binder.Methods);
        Assert.Equal("/helium.packet_router.packet/route", method.FullName);
        Assert.Equal("helium.packet_router.packet", method.ServiceName);
        Assert.Equal(MethodType.DuplexStreaming, method.Type);
    }

    [Fact]
    public void Generated_client_uses_the_route_path()
    {
        var invoker = new RecordingInvoker();
        var client = new packet.packetClient(invoker);

        using var call = client.route();

        Assert.Equal("/helium.packet_router.packet/route", invoker.LastMethod?.FullName);
    }

    private sealed class RouteService : packet.packetBase;

    private sealed class RecordingBinder : ServiceBinderBase
    {
        public List<IMethod> Methods { get; } = [];

        public override void AddMethod<TRequest, TResponse>(
            Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            Methods.Add(method);
    }

    private sealed class RecordingInvoker : CallInvoker
    {
        public IMethod? LastMethod { get; private set; }

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options)
        {
            LastMethod = method;
            return new AsyncDuplexStreamingCall<TRequest, TResponse>(
                null!, null!, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
            Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new NotSupportedException();
    }
}
