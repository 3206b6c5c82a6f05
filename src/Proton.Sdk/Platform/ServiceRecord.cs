namespace Proton.Sdk.Platform;

/// <summary>A service: its instances are separate records; its pipeline lives here.</summary>
public sealed record ServiceRecord
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The service template.</summary>
    public required string TemplateName { get; init; }

    /// <summary>The status.</summary>
    public ServiceStatus Status { get; init; }

    /// <summary>Why the last operation failed, when it did.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>The pipeline, when the template has one.</summary>
    public PipelineRecord? Pipeline { get; init; }

    /// <summary>The source repository (<c>owner/name</c>) for the pipeline.</summary>
    public string? RepositoryId { get; init; }

    /// <summary>The source branch for the pipeline.</summary>
    public string? BranchName { get; init; }

    /// <summary>The CodeStar connection of the repository.</summary>
    public string? RepositoryConnectionArn { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>The host and process running a create, update or delete of the service, while one runs.</summary>
    public string? Owner { get; init; }

    /// <summary>Until when that operation's lease holds (renewed at each of its steps); once passed with no deployment of the service running, reconcile marks the operation failed.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The pipeline inputs of a create whose instances were handed to an external apply (secret values masked): the pipeline
    /// waits on its instances, so it is created from these once the last of them is notified succeeded. Null otherwise.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? PendingPipelineInputs { get; init; }

    /// <summary>
    /// A spec update whose new instances wait for an external apply: what remains to do once the last of them is notified
    /// (<c>ProtonPlatform.NotifyDeploymentStatusAsync</c>). Null otherwise.
    /// </summary>
    public PendingServiceUpdate? PendingUpdate { get; init; }
}
