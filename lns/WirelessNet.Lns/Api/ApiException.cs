namespace WirelessNet.Lns.Api;

/// <summary>Failure classes of the management API, mapped to HTTP statuses and gRPC status codes.</summary>
public enum ApiErrorKind
{
    InvalidArgument,
    Unauthenticated,
    PermissionDenied,
    NotFound,
    AlreadyExists,
    FailedPrecondition,
}

/// <summary>
/// A request the API refuses, with a reason meant for the caller. Messages never contain keys: they name the
/// offending field, not its value, when the value could be secret.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException()
    {
    }

    public ApiException(string message)
        : base(message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ApiException(ApiErrorKind kind, string message)
        : base(message) => Kind = kind;

    public ApiErrorKind Kind { get; } = ApiErrorKind.InvalidArgument;

    public static ApiException Invalid(string message) => new(ApiErrorKind.InvalidArgument, message);

    public static ApiException NotFound(string what) => new(ApiErrorKind.NotFound, what + " not found");

    public int HttpStatus => Kind switch
    {
        ApiErrorKind.InvalidArgument => StatusCodes.Status400BadRequest,
        ApiErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        ApiErrorKind.PermissionDenied => StatusCodes.Status403Forbidden,
        ApiErrorKind.NotFound => StatusCodes.Status404NotFound,
        ApiErrorKind.AlreadyExists => StatusCodes.Status409Conflict,
        ApiErrorKind.FailedPrecondition => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status500InternalServerError,
    };
}
