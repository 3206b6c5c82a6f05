using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Cli;

/// <summary>Wires the CloudFormation provisioner of Proton.Sdk.Aws for the command line.</summary>
internal static class AwsCli
{
    public static IProvisioner CreateProvisioner(string? endpoint, string? region, string? profile)
        => new CloudFormationProvisioner(new CloudFormationProvisionerOptions
        {
            Connection = new AwsConnectionOptions { ServiceUrl = endpoint, Region = region, Profile = profile },
        });
}
