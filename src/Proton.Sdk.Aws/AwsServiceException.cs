using System.Net;

namespace Proton.Sdk.Aws;

/// <summary>
/// An error returned by an AWS service (CloudFormation, CodePipeline), with the service's code and request id. It is a
/// <see cref="ProtonException"/> of its own (not a provisioning error: the CodePipeline client raises it too), with the
/// stable code <c>aws.&lt;kind&gt;</c> (<c>aws.throttling</c>, <c>aws.validation-error</c>, ...).
/// </summary>
public sealed class AwsServiceException : ProtonException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="awsErrorCode">The service's error code (<c>ValidationError</c>, ...).</param>
    /// <param name="message">The service's message.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="requestId">The request id, for AWS support.</param>
    /// <param name="action">The API action called.</param>
    public AwsServiceException(AwsErrorKind kind, string awsErrorCode, string message, HttpStatusCode statusCode, string? requestId, string action)
        : base("aws." + Code(kind), $"{action}: {awsErrorCode}: {message}{(requestId is null ? string.Empty : $" (request id {requestId})")}")
    {
        Kind = kind;
        AwsErrorCode = awsErrorCode;
        StatusCode = statusCode;
        RequestId = requestId;
        Action = action;
        ServiceMessage = message;
    }

    /// <summary>The kind.</summary>
    public AwsErrorKind Kind { get; }

    /// <summary>The service's error code.</summary>
    public string AwsErrorCode { get; }

    /// <summary>The service's message.</summary>
    public string ServiceMessage { get; }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The request id.</summary>
    public string? RequestId { get; }

    /// <summary>The API action.</summary>
    public string Action { get; }

    private static string Code(AwsErrorKind kind) => kind switch
    {
        AwsErrorKind.Validation => "validation-error",
        AwsErrorKind.AlreadyExists => "already-exists",
        AwsErrorKind.InsufficientCapabilities => "insufficient-capabilities",
        AwsErrorKind.TokenAlreadyExists => "token-already-exists",
        AwsErrorKind.ChangeSetNotFound => "change-set-not-found",
        AwsErrorKind.Throttling => "throttling",
        AwsErrorKind.ServiceUnavailable => "service-unavailable",
        _ => "error",
    };
}
