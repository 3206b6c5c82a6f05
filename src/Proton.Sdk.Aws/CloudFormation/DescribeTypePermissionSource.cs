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

    /// <summary>Creates the source; region and credentials from <paramref name="connection"/>, else the SDK's chains.</summary>
    /// <param name="connection">Region, profile, credentials, endpoint, retries.</param>
    /// <param name="transport">The handler that sends the signed requests (never disposed by the source); its own sockets handler when null.</param>
    /// <param name="timeProvider">The clock of the backoff; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="random">The jitter of the backoff; <see cref="Random.Shared"/> when null.</param>
    /// <exception cref="ProtonException"><c>aws.no-region</c> or <c>aws.no-credentials</c>.</exception>
    public DescribeTypePermissionSource(AwsConnectionOptions? connection = null, HttpMessageHandler? transport = null, TimeProvider? timeProvider = null, Random? random = null)
    {
        connection ??= new AwsConnectionOptions();
        var region = AwsConnection.ResolveRegion(connection);
        _ownedHttp = AwsConnection.SignedClient(AwsConnection.ResolveCredentials(connection), region, "cloudformation", transport);
        _client = new CloudFormationClient(_ownedHttp, AwsConnection.ResolveEndpoint(connection, "CLOUDFORMATION", "cloudformation", region), timeProvider ?? TimeProvider.System, (random ?? Random.Shared).NextDouble, connection.MaxAttempts);
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
