using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>The outcome of service work: the deployments it ran, in order.</summary>
/// <param name="Service">The service as it is now (null once deleted).</param>
/// <param name="Deployments">The deployments, in the order they ran.</param>
public sealed record ServiceOperationResult(ServiceRecord? Service, IReadOnlyList<DeploymentRecord> Deployments)
{
    /// <summary>True when every deployment succeeded.</summary>
    public bool Succeeded => Deployments.All(d => d.Status is DeploymentStatus.Succeeded or DeploymentStatus.DeleteComplete);
}
