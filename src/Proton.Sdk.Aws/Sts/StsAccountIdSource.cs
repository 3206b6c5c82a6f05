using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Proton.Sdk.Platform;
using Proton.Sdk.Aws.CloudFormation;

namespace Proton.Sdk.Aws.Sts;

/// <summary>
/// The account environments run in (<c>environment.account_id</c>) from STS GetCallerIdentity: the account of the
/// credentials the connection uses. Asked once per instance (one instance per connection); a failed call is not
/// cached, and when STS cannot be reached (no credentials, offline) the account is unknown (null), as
/// <see cref="IAccountIdSource"/> allows.
/// </summary>
public sealed class StsAccountIdSource : IAccountIdSource, IDisposable
{
    private readonly IAmazonSecurityTokenService _sts;
    private readonly bool _ownsClient;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _accountId;

    /// <summary>Creates the source with its own STS client (disposed with the source).</summary>
    /// <param name="connection">Region, profile, credentials, endpoint (<c>AWS_ENDPOINT_URL_STS</c> is honoured); the SDK's chains when null.</param>
    /// <param name="transport">The HTTP handler the STS client sends through (not disposed by the source); the SDK's own when null.</param>
    /// <exception cref="ProtonException"><c>aws.no-region</c> or <c>aws.no-credentials</c>.</exception>
    public StsAccountIdSource(AwsConnectionOptions? connection = null, HttpMessageHandler? transport = null)
    {
        connection ??= new AwsConnectionOptions();
        var region = AwsConnection.ResolveRegion(connection);
        var config = new AmazonSecurityTokenServiceConfig();
        AwsConnection.Configure(config, connection, "STS", region, transport);

        _sts = new AmazonSecurityTokenServiceClient(AwsConnection.ResolveCredentials(connection), config);
        _ownsClient = true;
    }

    /// <summary>Creates the source over an STS client the caller made; the source does not dispose it.</summary>
    /// <param name="sts">The client.</param>
    public StsAccountIdSource(IAmazonSecurityTokenService sts)
    {
        _sts = sts ?? throw new ArgumentNullException(nameof(sts));
    }

    /// <inheritdoc />
    public async ValueTask<string?> GetAccountIdAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _accountId) is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_accountId is null)
            {
                var identity = await _sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _accountId, string.IsNullOrEmpty(identity.Account) ? null : identity.Account);
            }

            return _accountId;
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            // No credentials, denied, unreachable: unknown, and not cached, so the next call asks again.
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Disposes the STS client if the source created it.</summary>
    public void Dispose()
    {
        if (_ownsClient)
        {
            _sts.Dispose();
        }

        _gate.Dispose();
    }
}
