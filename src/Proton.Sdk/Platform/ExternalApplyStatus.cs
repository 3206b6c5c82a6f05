namespace Proton.Sdk.Platform;

/// <summary>What an external apply reports about a deployment that waits for it (Proton's <c>NotifyResourceDeploymentStatusChange</c> statuses).</summary>
public enum ExternalApplyStatus
{
    /// <summary>IN_PROGRESS: the apply is running; the deployment keeps waiting and records the status message.</summary>
    InProgress,

    /// <summary>SUCCEEDED: the apply finished; the outputs go on the resource.</summary>
    Succeeded,

    /// <summary>FAILED: the apply failed; the resource keeps its previous state.</summary>
    Failed,
}
