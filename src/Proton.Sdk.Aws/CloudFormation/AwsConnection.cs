using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Aws.CloudFormation;

/// <summary>How to reach AWS: the parts every narrow client shares.</summary>
public sealed class AwsConnectionOptions
{
    /// <summary>The region; the SDK's default chain (AWS_REGION, profile) when null.</summary>
    public string? Region { get; set; }

    /// <summary>A shared-config profile; the SDK's default credential chain when null.</summary>
    public string? Profile { get; set; }

    /// <summary>An endpoint for every service (moto, LocalStack); else <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, <c>AWS_ENDPOINT_URL</c>, then the region's endpoint.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>How many times a throttled or failed (5xx, network) call is tried in all. Default 6.</summary>
    public int MaxAttempts { get; set; } = 6;
}

/// <summary>Resolves region, credentials and endpoints like the AWS SDK does, and builds signed HTTP clients.</summary>
internal static class AwsConnection
{
    public static string ResolveRegion(AwsConnectionOptions options)
    {
        if (!string.IsNullOrEmpty(options.Region))
        {
            return options.Region;
        }

        try
        {
            return FallbackRegionFactory.GetRegionEndpoint()?.SystemName
                ?? throw new ProvisioningException(AwsErrorCodes.NoRegion, "No AWS region: set Region, AWS_REGION, or a region in the profile.");
        }
        catch (AmazonClientException ex)
        {
            throw new ProvisioningException(AwsErrorCodes.NoRegion, $"No AWS region: set Region, AWS_REGION, or a region in the profile ({ex.Message}).", ex);
        }
    }

    public static AWSCredentials ResolveCredentials(AwsConnectionOptions options)
    {
        if (options.Profile is { } profile)
        {
            return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var credentials)
                ? credentials
                : throw new ProvisioningException(AwsErrorCodes.NoCredentials, $"AWS profile '{profile}' was not found in the shared config or credentials files.");
        }

        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException ex)
        {
            throw new ProvisioningException(AwsErrorCodes.NoCredentials, $"No AWS credentials found (environment, profiles, SSO, container or instance role): {ex.Message}", ex);
        }
    }

    /// <summary>The endpoint: option, <c>AWS_ENDPOINT_URL_{SERVICE}</c>, <c>AWS_ENDPOINT_URL</c>, then the partition's regional endpoint.</summary>
    public static Uri ResolveEndpoint(AwsConnectionOptions options, string serviceEnvName, string endpointPrefix, string region, Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var url = options.ServiceUrl ?? env("AWS_ENDPOINT_URL_" + serviceEnvName) ?? env("AWS_ENDPOINT_URL");
        if (!string.IsNullOrEmpty(url))
        {
            return new Uri(url.EndsWith('/') ? url : url + "/");
        }

        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{endpointPrefix}.{region}.{suffix}/");
    }

    public static HttpClient SignedClient(AWSCredentials credentials, string region, string service)
    {
        var transport = new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
#pragma warning disable CA2000 // The HttpClient owns and disposes the handler chain.
        var signing = new SigV4SigningHandler(credentials, RegionEndpoint.GetBySystemName(region), service, transport);
#pragma warning restore CA2000
        return new HttpClient(signing, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(60) };
    }
}
