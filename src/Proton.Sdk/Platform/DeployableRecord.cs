using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>The fields every deployable resource carries (Proton's <c>lastDeployment*</c>).</summary>
public abstract record DeployableRecord
{
    /// <summary>The template.</summary>
    public required string TemplateName { get; init; }

    /// <summary>The version the last successful deployment put in place (or the version being created).</summary>
    public required string TemplateVersion { get; init; }

    /// <summary>The inputs of that deployment; secret inputs hold <see cref="Schema.InputValues.Mask"/>.</summary>
    public IReadOnlyDictionary<string, object?> Inputs { get; init; } = new Dictionary<string, object?>();

    /// <summary>The outputs of the last successful deployment.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

    /// <summary>The stack, when the platform provisions one.</summary>
    public string? StackName { get; init; }

    /// <summary>The status of the last deployment attempt.</summary>
    public DeploymentStatus DeploymentStatus { get; init; }

    /// <summary>Why the last attempt failed, when it did.</summary>
    public string? DeploymentStatusMessage { get; init; }

    /// <summary>The last attempted deployment; while it runs, it is the lock on this target.</summary>
    public string? LastAttemptedDeploymentId { get; init; }

    /// <summary>The last successful deployment.</summary>
    public string? LastSucceededDeploymentId { get; init; }

    /// <summary>When the last deployment was attempted.</summary>
    public DateTimeOffset? LastDeploymentAttemptedAt { get; init; }

    /// <summary>When the last deployment succeeded.</summary>
    public DateTimeOffset? LastDeploymentSucceededAt { get; init; }

    /// <summary>When the resource was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>True while a deployment of this target runs.</summary>
    [JsonIgnore]
    public bool IsBusy => DeploymentStatus is DeploymentStatus.InProgress or DeploymentStatus.Cancelling or DeploymentStatus.DeleteInProgress or DeploymentStatus.AwaitingExternalApply;
}
