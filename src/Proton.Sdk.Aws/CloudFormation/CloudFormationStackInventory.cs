using Proton.Sdk.Migration;

namespace Proton.Sdk.Aws.CloudFormation;

/// <summary>
/// The account's stacks as <see cref="IStackInventory"/> over CloudFormation: DescribeStacks (every page: tags, outputs,
/// parameters, role, times) and GetTemplate (the original template). Read only.
/// </summary>
public sealed class CloudFormationStackInventory : IStackInventory, IDisposable
{
    /// <summary>At most this many pages are read (100 stacks each on AWS): a guard against an endless token loop.</summary>
    public const int MaxPages = 10_000;

    private readonly CloudFormationClient _cfn;
    private readonly HttpClient? _ownedHttp;

    /// <summary>Creates the inventory.</summary>
    /// <param name="connection">How to reach AWS (region, credentials, endpoint); the default chains when null.</param>
    /// <param name="transport">An HTTP handler (tests); the default when null.</param>
    /// <param name="timeProvider">The clock for retries; system time when null.</param>
    public CloudFormationStackInventory(AwsConnectionOptions? connection = null, HttpMessageHandler? transport = null, TimeProvider? timeProvider = null)
    {
        connection ??= new AwsConnectionOptions();
        var region = AwsConnection.ResolveRegion(connection);
        var credentials = AwsConnection.ResolveCredentials(connection);
        _ownedHttp = AwsConnection.SignedClient(credentials, region, "cloudformation", transport);
        _cfn = new CloudFormationClient(_ownedHttp, AwsConnection.ResolveEndpoint(connection, "CLOUDFORMATION", "cloudformation", region), timeProvider ?? TimeProvider.System, Random.Shared.NextDouble, connection.MaxAttempts);
    }

    internal CloudFormationStackInventory(CloudFormationClient client)
    {
        _cfn = client;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DiscoveredStack>> ListStacksAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<DiscoveredStack>();
        string? token = null;
        var pages = 0;
        do
        {
            if (++pages > MaxPages)
            {
                throw new AwsServiceException(AwsErrorKind.Other, "TooManyPages", $"DescribeStacks returned more than {MaxPages} pages.", System.Net.HttpStatusCode.OK, null, "DescribeStacks");
            }

            var (stacks, next) = await _cfn.DescribeAllStacksAsync(token, cancellationToken).ConfigureAwait(false);
            all.AddRange(stacks.Where(s => s.Status != "DELETE_COMPLETE"));
            token = next;
        }
        while (token is not null);

        return all;
    }

    /// <inheritdoc />
    public Task<string> GetTemplateBodyAsync(string stackName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stackName);
        return _cfn.GetTemplateAsync(stackName, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _ownedHttp?.Dispose();
}
