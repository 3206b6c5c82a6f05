using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Cli;

/// <summary>Wires the CloudFormation provisioner of Proton.Sdk.Aws for the command line.</summary>
internal static class AwsCli
{
    public static IProvisioner CreateProvisioner(string? endpoint, string? region, string? profile)
        => throw new UsageException("--provisioner cloudformation is not available in this build");
}
