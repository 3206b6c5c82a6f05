using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>What a deployment targets.</summary>
public enum DeploymentTargetType
{
    /// <summary>An environment.</summary>
    Environment,

    /// <summary>A service instance.</summary>
    ServiceInstance,

    /// <summary>A service pipeline.</summary>
    ServicePipeline,
}
