using System.Net;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Aws.CloudFormation;

/// <summary>What kind of error an AWS service returned.</summary>
public enum AwsErrorKind
{
    /// <summary>Any other error.</summary>
    Other,

    /// <summary><c>ValidationError</c>: the request or template is invalid, or the stack does not exist.</summary>
    Validation,

    /// <summary><c>AlreadyExistsException</c>.</summary>
    AlreadyExists,

    /// <summary><c>InsufficientCapabilitiesException</c>: the template needs a capability that was not acknowledged.</summary>
    InsufficientCapabilities,

    /// <summary><c>TokenAlreadyExistsException</c>: the client request token was used already.</summary>
    TokenAlreadyExists,

    /// <summary><c>ChangeSetNotFound</c>.</summary>
    ChangeSetNotFound,

    /// <summary><c>Throttling</c>: retried with backoff; raised when the retries run out.</summary>
    Throttling,

    /// <summary>The service failed (5xx); retried with backoff; raised when the retries run out.</summary>
    ServiceUnavailable,
}

/// <summary>An error returned by an AWS service (CloudFormation, CodePipeline), with the service's code and request id.</summary>
public sealed class AwsServiceException : ProvisioningException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="awsErrorCode">The service's error code (<c>ValidationError</c>, ...).</param>
    /// <param name="message">The service's message.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="requestId">The request id, for AWS support.</param>
    /// <param name="action">The API action called.</param>
    public AwsServiceException(AwsErrorKind kind, string awsErrorCode, string message, HttpStatusCode statusCode, string? requestId, string action)
        : base("aws." + Code(kind), $"{action}: {awsErrorCode}: {message}")
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
