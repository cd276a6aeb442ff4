using Grpc.Core;
using Grpc.Core.Interceptors;

namespace WirelessNet.Lns.Api.Grpc;

/// <summary>
/// Authenticates every call of the management services from the <c>authorization</c> metadata and maps
/// <see cref="ApiException"/> to gRPC status codes. Registered per service (not globally), so other gRPC services in
/// the host keep their own rules.
/// </summary>
public sealed class ManagementGrpcInterceptor(ApiKeyAuthenticator authenticator) : Interceptor
{
    private static readonly object CallerKey = new();

    /// <summary>The caller authenticated for this call.</summary>
    public static ApiCaller Caller(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserState.TryGetValue(CallerKey, out var c) && c is ApiCaller caller
            ? caller
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "missing or invalid API key"));
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var caller = await authenticator.AuthenticateAsync(context.RequestHeaders.GetValue("authorization"), context.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "missing or invalid API key"));
        context.UserState[CallerKey] = caller;
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            throw new RpcException(new Status(ToStatusCode(e.Kind), e.Message));
        }
    }

    public static StatusCode ToStatusCode(ApiErrorKind kind) => kind switch
    {
        ApiErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        ApiErrorKind.Unauthenticated => StatusCode.Unauthenticated,
        ApiErrorKind.PermissionDenied => StatusCode.PermissionDenied,
        ApiErrorKind.NotFound => StatusCode.NotFound,
        ApiErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        ApiErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        _ => StatusCode.Internal,
    };
}
