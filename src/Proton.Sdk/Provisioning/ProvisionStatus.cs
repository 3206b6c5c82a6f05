namespace Proton.Sdk.Provisioning;

/// <summary>How a deployment ended.</summary>
public enum ProvisionStatus
{
    /// <summary>The stack reached the target state.</summary>
    Succeeded,

    /// <summary>There was nothing to change; the outputs are the current ones.</summary>
    NoChanges,

    /// <summary>The stack did not reach the target state; <see cref="ProvisionResult.Failures"/> says why.</summary>
    Failed,

    /// <summary>The caller cancelled and the provisioner stopped the operation.</summary>
    Cancelled,

    /// <summary>
    /// The provisioner handed the work to someone else (Proton's "pull request" mode: the files are in a repository and the
    /// team's CI applies them); the deployment waits until the outcome is reported (<c>ProtonPlatform.NotifyDeploymentAsync</c>).
    /// </summary>
    AwaitingExternalApply,
}
