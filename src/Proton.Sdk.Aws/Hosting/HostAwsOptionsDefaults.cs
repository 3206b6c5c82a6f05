using Amazon.Extensions.NETCore.Setup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Proton.Sdk.Aws.CloudFormation;

namespace Proton.Sdk.Aws.Hosting;

/// <summary>
/// Fills what <see cref="AwsConnectionOptions"/> leaves unset from a host's <see cref="AWSOptions"/> (the standard AWS
/// configuration of AWSSDK.Extensions.NETCore.Setup): region, profile, credentials and service URL.
/// </summary>
internal sealed class HostAwsOptionsDefaults(IServiceProvider services) : IPostConfigureOptions<AwsConnectionOptions>
{
    public void PostConfigure(string? name, AwsConnectionOptions options)
    {
        if (services.GetService<AWSOptions>() is not { } host)
        {
            return;
        }

        options.Region ??= host.Region?.SystemName;
        options.Profile ??= host.Profile;
        options.Credentials ??= host.Credentials;
        options.ServiceUrl ??= host.DefaultClientConfig?.ServiceURL;
    }
}
