using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>A deployment's or a resource's deployment status (Proton's <c>DeploymentStatus</c>).</summary>
public enum DeploymentStatus
{
    /// <summary>Running.</summary>
    InProgress,

    /// <summary>Reached its target state.</summary>
    Succeeded,

    /// <summary>Did not reach its target state; the resource keeps its previous version and inputs.</summary>
    Failed,

    /// <summary>A cancel was asked for and is under way.</summary>
    Cancelling,

    /// <summary>Cancelled; the resource keeps its previous version and inputs.</summary>
    Cancelled,

    /// <summary>Being deleted.</summary>
    DeleteInProgress,

    /// <summary>Deleted.</summary>
    DeleteComplete,

    /// <summary>The delete failed; the resource is still there.</summary>
    DeleteFailed,

    /// <summary>
    /// Handed to an external apply (the provisioner returned <see cref="ProvisionStatus.AwaitingExternalApply"/>); waits,
    /// holding its target, until the outcome is reported with <c>ProtonPlatform.NotifyDeploymentAsync</c> (Proton showed
    /// <c>IN_PROGRESS</c> until <c>NotifyResourceDeploymentStatusChange</c>). It holds no lease: reconcile leaves it alone.
    /// </summary>
    AwaitingExternalApply,
}
