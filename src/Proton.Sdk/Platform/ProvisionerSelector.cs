using Proton.Sdk.Provisioning;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Platform;

/// <summary>
/// Picks the provisioner for a bundle part from its manifest's provisioning method: the host's entry in
/// <see cref="ProtonPlatformOptions.Provisioners"/> first, else the platform's default provisioner for CloudFormation
/// parts; a method no provisioner is configured for is refused before anything is recorded.
/// </summary>
internal sealed class ProvisionerSelector(IProvisioner defaultProvisioner, ProtonPlatformOptions options)
{
    public IProvisioner Default { get; } = defaultProvisioner;

    public IProvisioner For(InfrastructurePart? part, string what)
    {
        var method = part?.ProvisioningMethod ?? ProvisioningMethod.CloudFormation;
        if (options.Provisioners.TryGetValue(method, out var configured))
        {
            return configured;
        }

        return method == ProvisioningMethod.CloudFormation
            ? Default
            : throw new PlatformException(PlatformErrorCodes.UnsupportedProvisioning, $"{what}: {part!.Folder} is provisioned with {method}, and no {method} provisioner is configured (ProtonPlatformOptions.Provisioners); add one, for example from Proton.Sdk.Terraform.");
    }

    /// <summary>The provisioner that knows a stack by the name a deployment recorded, else the default one.</summary>
    public IProvisioner ByName(string? name)
        => name is null || name == Default.Name ? Default : options.Provisioners.Values.FirstOrDefault(p => p.Name == name) ?? Default;
}
