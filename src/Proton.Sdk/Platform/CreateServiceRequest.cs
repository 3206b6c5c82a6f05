using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>Creates a service with its instances and pipeline.</summary>
public sealed record CreateServiceRequest
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The service template.</summary>
    public required string TemplateName { get; init; }

    /// <summary>A version or constraint; the recommended version when null.</summary>
    public string? TemplateVersion { get; init; }

    /// <summary>The spec: at least one instance, and the pipeline's inputs when the template has a pipeline.</summary>
    public required Templates.ServiceSpec Spec { get; init; }

    /// <summary>The source repository (<c>owner/name</c>).</summary>
    public string? RepositoryId { get; init; }

    /// <summary>The source branch.</summary>
    public string? BranchName { get; init; }

    /// <summary>The repository connection ARN.</summary>
    public string? RepositoryConnectionArn { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }
}
