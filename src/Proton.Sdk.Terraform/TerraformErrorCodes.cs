namespace Proton.Sdk.Terraform;

/// <summary>The stable error codes of the Terraform provisioner (<see cref="ProtonException.ErrorCode"/>).</summary>
public static class TerraformErrorCodes
{
    /// <summary><c>terraform.not-found</c>: no <c>terraform</c> or <c>tofu</c> executable was found.</summary>
    public const string ExecutableNotFound = "terraform.not-found";

    /// <summary><c>terraform.no-part</c>: the request carries no Terraform bundle part (<c>rendering_engine: hcl</c>).</summary>
    public const string NoTerraformPart = "terraform.no-part";

    /// <summary><c>terraform.invalid-stack-name</c>: the stack name cannot name a folder.</summary>
    public const string InvalidStackName = "terraform.invalid-stack-name";

    /// <summary><c>terraform.invalid-path</c>: a bundle file would land outside the working directory.</summary>
    public const string InvalidPath = "terraform.invalid-path";

    /// <summary><c>terraform.no-environment</c>: the variables name no environment, so the repository folder is unknown.</summary>
    public const string NoEnvironment = "terraform.no-environment";

    /// <summary><c>terraform.start-failed</c>: the terraform process could not be started.</summary>
    public const string StartFailed = "terraform.start-failed";

    /// <summary><c>terraform.unreadable-output</c>: terraform's JSON output could not be read.</summary>
    public const string UnreadableOutput = "terraform.unreadable-output";
}
