using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>A service instance.</summary>
public sealed record ServiceInstanceRecord : DeployableRecord
{
    /// <summary>The service.</summary>
    public required string ServiceName { get; init; }

    /// <summary>The instance's name.</summary>
    public required string Name { get; init; }

    /// <summary>The environment it runs in.</summary>
    public required string EnvironmentName { get; init; }

    /// <summary>The environment deployment whose outputs the last successful deployment used.</summary>
    public string? EnvironmentDeploymentId { get; init; }
}
