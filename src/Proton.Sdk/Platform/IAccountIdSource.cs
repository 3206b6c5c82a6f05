namespace Proton.Sdk.Platform;

/// <summary>
/// Tells the platform which account environments run in when neither the request nor
/// <see cref="ProtonPlatformOptions.DefaultAccountId"/> says (<c>environment.account_id</c>). Proton.Sdk.Aws implements
/// it with STS GetCallerIdentity.
/// </summary>
public interface IAccountIdSource
{
    /// <summary>The account id, or null when it cannot be known.</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The 12-digit account id, or null.</returns>
    ValueTask<string?> GetAccountIdAsync(CancellationToken cancellationToken = default);
}
