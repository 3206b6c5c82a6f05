using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>An environment.</summary>
public sealed record EnvironmentRecord : DeployableRecord
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The AWS account it runs in, when known (<c>environment.account_id</c>).</summary>
    public string? AccountId { get; init; }

    /// <summary>How its infrastructure is managed.</summary>
    public EnvironmentProvisioning Provisioning { get; init; }

    /// <summary>The deployment whose outputs are current; instances deployed with older outputs need a redeploy.</summary>
    public string? OutputsDeploymentId { get; init; }
}
