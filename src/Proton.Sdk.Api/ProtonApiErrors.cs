namespace Proton.Sdk.Api;

/// <summary>The error types (<c>__type</c>) the API answers with: Proton's own, and AWS's authentication errors.</summary>
internal static class ProtonApiErrors
{
    public const string Validation = "ValidationException";
    public const string ResourceNotFound = "ResourceNotFoundException";
    public const string Conflict = "ConflictException";
    public const string ServiceQuotaExceeded = "ServiceQuotaExceededException";
    public const string InternalServer = "InternalServerException";
    public const string MissingAuthenticationToken = "MissingAuthenticationTokenException";
    public const string IncompleteSignature = "IncompleteSignatureException";
    public const string UnrecognizedClient = "UnrecognizedClientException";
    public const string InvalidSignature = "InvalidSignatureException";
}
