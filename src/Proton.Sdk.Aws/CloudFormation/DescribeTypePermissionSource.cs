using Proton.Sdk.Policies;

namespace Proton.Sdk.Aws.CloudFormation;

/// <summary>
/// Resource-type permissions from CloudFormation's DescribeType (<c>Type=RESOURCE</c>): the current lists for the region.
/// Wrap it in a <see cref="CachingPermissionSource"/> so that each type costs one call per process.
/// </summary>
public sealed class DescribeTypePermissionSource : IResourcePermissionSource, IDisposable
{
    private readonly CloudFormationClient _client;
    private readonly HttpClient? _ownedHttp;

    /// <summary>Creates the source with the SDK's credential and region chains.</summary>
    /// <param name="options">Region, profile, endpoint.</param>
    public DescribeTypePermissionSource(AwsConnectionOptions? options = null)
    {
        options ??= new AwsConnectionOptions();
        var region = AwsConnection.ResolveRegion(options);
        _ownedHttp = AwsConnection.SignedClient(AwsConnection.ResolveCredentials(options), region, "cloudformation");
        _client = new CloudFormationClient(_ownedHttp, AwsConnection.ResolveEndpoint(options, "CLOUDFORMATION", "cloudformation", region), TimeProvider.System, Random.Shared.NextDouble, options.MaxAttempts);
    }

    internal DescribeTypePermissionSource(CloudFormationClient client) => _client = client;

    /// <inheritdoc />
    public void Dispose() => _ownedHttp?.Dispose();

    /// <inheritdoc />
    public async ValueTask<ResourceTypePermissions?> GetAsync(string typeName, CancellationToken cancellationToken = default)
    {
        try
        {
            var schema = await _client.DescribeTypeSchemaAsync(typeName, cancellationToken).ConfigureAwait(false);
            return schema is null ? null : ResourceTypePermissions.FromProviderSchema(typeName, schema);
        }
        catch (AwsServiceException ex) when (ex.AwsErrorCode is "TypeNotFoundException" or "TypeNotFound" || (ex.Kind == AwsErrorKind.Validation && ex.ServiceMessage.Contains("not found", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
    }
}
