namespace Proton.Sdk.Aws;

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
