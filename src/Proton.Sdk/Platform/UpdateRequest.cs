using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>Updates an environment, an instance or a pipeline with one of Proton's deployment types.</summary>
public sealed record UpdateRequest
{
    /// <summary>The deployment type.</summary>
    public required DeploymentUpdateType UpdateType { get; init; }

    /// <summary>For minor and major updates: a version or constraint; the recommended one when null.</summary>
    public string? TemplateVersion { get; init; }

    /// <summary>New inputs (values may be <c>${Proton::CURRENT_VAL}</c>); the current inputs when null.</summary>
    public IReadOnlyDictionary<string, object?>? Inputs { get; init; }

    /// <summary>A new description (the only change <see cref="DeploymentUpdateType.None"/> makes).</summary>
    public string? Description { get; init; }

    /// <summary>
    /// For environments: a new account id (<c>environment.account_id</c>). With <see cref="DeploymentUpdateType.None"/> it
    /// is recorded without a deployment; with the other types the deployment renders with it. Refused for instances and
    /// pipelines, which take the account of their environment.
    /// </summary>
    public string? AccountId { get; init; }
}
