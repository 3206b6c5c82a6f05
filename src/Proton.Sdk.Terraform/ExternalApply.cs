using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Terraform;

/// <summary>
/// Marks results of Proton's "pull request" mode (<see cref="TerraformOptions.RepositoryPath"/>): the files are written
/// and the deployment waits for the team's own CI to apply them and report back.
/// </summary>
public static class ExternalApply
{
    /// <summary>The <see cref="ProvisionResult.EngineStatus"/> of a deployment that waits for an external apply.</summary>
    public const string EngineStatus = "AWAITING_EXTERNAL_APPLY";

    /// <summary>The <see cref="ProvisionResult.EngineStatus"/> of a destroy that waits for an external <c>terraform destroy</c>.</summary>
    public const string DestroyEngineStatus = "AWAITING_EXTERNAL_DESTROY";

    /// <summary>The file written beside the Terraform files when they are marked for deletion.</summary>
    public const string DeleteMarkerFile = "proton.delete";

    /// <summary>True when <paramref name="result"/> says the deployment (or destroy) waits for an external apply.</summary>
    /// <param name="result">A result of <see cref="TerraformProvisioner"/>.</param>
    /// <returns>True when waiting.</returns>
    public static bool IsAwaiting(ProvisionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status == ProvisionStatus.AwaitingExternalApply || result.EngineStatus is EngineStatus or DestroyEngineStatus;
    }
}
