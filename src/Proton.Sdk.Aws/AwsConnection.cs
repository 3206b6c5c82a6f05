using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using Proton.Sdk.Aws.CloudFormation;

namespace Proton.Sdk.Aws;

/// <summary>Resolves region, credentials and endpoints like the AWS CLI and SDKs do, and builds signed HTTP clients.</summary>
internal static class AwsConnection
{
    private const string NoRegionHint = "set Region (Proton:Aws:Region), AWS_REGION, AWS_DEFAULT_REGION, or a region in the profile";

    /// <summary>The region: the option, <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, then the profile's (<c>Profile</c>, <c>AWS_PROFILE</c>, <c>default</c>).</summary>
    /// <param name="options">The connection.</param>
    /// <param name="env">Reads an environment variable; the process environment when null.</param>
    /// <param name="profileRegion">Reads a profile's region from the shared config files; the SDK's profile store when null.</param>
    public static string ResolveRegion(AwsConnectionOptions options, Func<string, string?>? env = null, Func<string, string?>? profileRegion = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        profileRegion ??= ProfileRegion;
        foreach (var candidate in new[] { options.Region, env("AWS_REGION"), env("AWS_DEFAULT_REGION") })
        {
            if (!string.IsNullOrWhiteSpace(candidate))
            {
                return candidate.Trim();
            }
        }

        var profile = options.Profile ?? NonEmpty(env("AWS_PROFILE")) ?? "default";
        string? fromProfile;
        try
        {
            fromProfile = profileRegion(profile);
        }
        catch (AmazonClientException ex)
        {
            throw new ProtonException(AwsErrorCodes.NoRegion, $"No AWS region: {NoRegionHint} (profile '{profile}': {ex.Message}).", ex);
        }

        return NonEmpty(fromProfile) ?? throw new ProtonException(AwsErrorCodes.NoRegion, $"No AWS region: {NoRegionHint}.");
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static string? ProfileRegion(string profile)
        => new CredentialProfileStoreChain().TryGetProfile(profile, out var p) ? p.Region?.SystemName : null;

    public static AWSCredentials ResolveCredentials(AwsConnectionOptions options)
    {
        if (options.Credentials is { } given)
        {
            return given;
        }

        if (options.Profile is { } profile)
        {
            return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var credentials)
                ? credentials
                : throw new ProtonException(AwsErrorCodes.NoCredentials, $"AWS profile '{profile}' was not found in the shared config or credentials files.");
        }

        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException ex)
        {
            throw new ProtonException(AwsErrorCodes.NoCredentials, $"No AWS credentials found (environment, profiles, SSO, container or instance role): {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Points an AWS SDK client configuration at the connection: retries, the configured endpoint (signed for the region)
    /// or the region's own, and the transport (a factory wins over a handler).
    /// </summary>
    public static void Configure(ClientConfig config, AwsConnectionOptions connection, string serviceEnvName, string region, HttpMessageHandler? transport = null, HttpClientFactory? factory = null)
    {
        config.MaxErrorRetry = Math.Max(0, connection.MaxAttempts - 1);
        if (ConfiguredEndpoint(connection, serviceEnvName) is { } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (factory is not null)
        {
            config.HttpClientFactory = factory;
        }
        else if (transport is not null)
        {
            config.HttpClientFactory = new TransportHttpClientFactory(transport);
        }
    }

    /// <summary>An endpoint given by the option, <c>AWS_ENDPOINT_URL_{SERVICE}</c> or <c>AWS_ENDPOINT_URL</c>; null for AWS's own.</summary>
    /// <exception cref="ProtonException"><c>aws.invalid-endpoint</c> when the URL given is not an absolute http(s) URL.</exception>
    public static string? ConfiguredEndpoint(AwsConnectionOptions options, string serviceEnvName, Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var url = NonEmpty(options.ServiceUrl) ?? NonEmpty(env("AWS_ENDPOINT_URL_" + serviceEnvName)) ?? NonEmpty(env("AWS_ENDPOINT_URL"));
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw new ProtonException(AwsErrorCodes.InvalidEndpoint, $"The AWS endpoint '{url}' (ServiceUrl, AWS_ENDPOINT_URL_{serviceEnvName} or AWS_ENDPOINT_URL) is not an absolute http(s) URL.");
        }

        return url;
    }

    /// <summary>The endpoint: option, <c>AWS_ENDPOINT_URL_{SERVICE}</c>, <c>AWS_ENDPOINT_URL</c>, then the partition's regional endpoint.</summary>
    public static Uri ResolveEndpoint(AwsConnectionOptions options, string serviceEnvName, string endpointPrefix, string region, Func<string, string?>? env = null)
    {
        if (ConfiguredEndpoint(options, serviceEnvName, env) is { } url)
        {
            return new Uri(url.EndsWith('/') ? url : url + "/");
        }

        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{endpointPrefix}.{region}.{suffix}/");
    }

    /// <summary>An HTTP client that signs with SigV4 and sends through <paramref name="transport"/> (not disposed with the client) or its own sockets handler.</summary>
    public static HttpClient SignedClient(AWSCredentials credentials, string region, string service, HttpMessageHandler? transport)
    {
#pragma warning disable CA2000 // The HttpClient owns and disposes the handler chain; a given transport is wrapped so that it is not disposed.
        HttpMessageHandler inner = transport is null
            ? new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }
            : new NonDisposingHandler(transport);
        var signing = new SigV4SigningHandler(credentials, RegionEndpoint.GetBySystemName(region), service, inner);
#pragma warning restore CA2000
        return new HttpClient(signing, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Passes requests to a handler the caller owns, without disposing it.</summary>
    private sealed class NonDisposingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        // The inner handler belongs to the caller: release nothing of it.
        protected override void Dispose(bool disposing) => base.Dispose(false);
    }
}
