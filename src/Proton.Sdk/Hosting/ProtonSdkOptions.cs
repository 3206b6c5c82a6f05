using Proton.Sdk.Platform;

namespace Proton.Sdk.Hosting;

/// <summary>
/// Options of <c>AddProtonSdk</c>, bound from a configuration section such as <c>Proton</c>. The platform's own options
/// (<see cref="ProtonPlatformOptions"/>) bind from its <c>Platform</c> subsection.
/// </summary>
public sealed class ProtonSdkOptions
{
    /// <summary>Which store: <c>filesystem</c> (default) or a store another package registers (<c>s3</c> with AddProtonAws).</summary>
    public string Store { get; set; } = "filesystem";

    /// <summary>The file-system store's folder. Default <c>.proton</c>.</summary>
    public string StoreDirectory { get; set; } = ".proton";

    /// <summary>Which provisioner deploys CloudFormation bundles: <c>local</c> (default) or one another package registers (<c>cloudformation</c> with AddProtonAws).</summary>
    public string Provisioner { get; set; } = "local";

    /// <summary>The local provisioner's folder; <c>{StoreDirectory}/stacks</c> when null.</summary>
    public string? StacksDirectory { get; set; }

    /// <summary>
    /// When set, deployments are checked against this IAM policy document (a JSON file) before they start
    /// (<see cref="ProtonPlatformOptions.PermissionCheck"/>), with handler permissions read from
    /// <see cref="ProviderSchemasDirectory"/>. Default null: no check.
    /// </summary>
    public string? RolePolicyFile { get; set; }

    /// <summary>The folder of CloudFormation provider schemas for <see cref="RolePolicyFile"/>'s check. Required with it.</summary>
    public string? ProviderSchemasDirectory { get; set; }
}
