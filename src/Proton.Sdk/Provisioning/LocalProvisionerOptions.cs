namespace Proton.Sdk.Provisioning;

/// <summary>Options of the <see cref="LocalProvisioner"/>.</summary>
public sealed class LocalProvisionerOptions
{
    /// <summary>The folder that holds one sub-folder per stack. Default: <c>./.proton/stacks</c>.</summary>
    public string RootDirectory { get; set; } = Path.Combine(".proton", "stacks");

    /// <summary>The region that <c>AWS::Region</c> resolves to.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The account that <c>AWS::AccountId</c> resolves to.</summary>
    public string AccountId { get; set; } = "123456789012";
}
