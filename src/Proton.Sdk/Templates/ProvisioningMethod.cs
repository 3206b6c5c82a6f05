namespace Proton.Sdk.Templates;

/// <summary>How a part is provisioned, from its manifest.</summary>
public enum ProvisioningMethod
{
    /// <summary>AWS-managed: a CloudFormation template rendered with Jinja. Proton.Sdk provisions these.</summary>
    CloudFormation,

    /// <summary>Self-managed Terraform (<c>rendering_engine: hcl</c>). Loaded and inspected, not provisioned by Proton.Sdk.</summary>
    Terraform,

    /// <summary>CodeBuild provisioning (<c>rendering_engine: codebuild</c>). Loaded and inspected, not provisioned by Proton.Sdk.</summary>
    CodeBuild,
}
