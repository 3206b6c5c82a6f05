namespace Proton.Sdk.Api;

/// <summary>An error the API answers with: Proton's error type (<c>ValidationException</c>, ...), the HTTP status and a message.</summary>
internal sealed class ProtonApiException(string errorType, int statusCode, string message) : Exception(message)
{
    public string ErrorType { get; } = errorType;

    public int StatusCode { get; } = statusCode;

    public static ProtonApiException Validation(string message) => new(ProtonApiErrors.Validation, 400, message);

    public static ProtonApiException NotFound(string message) => new(ProtonApiErrors.ResourceNotFound, 404, message);

    public static ProtonApiException Conflict(string message) => new(ProtonApiErrors.Conflict, 409, message);
}
