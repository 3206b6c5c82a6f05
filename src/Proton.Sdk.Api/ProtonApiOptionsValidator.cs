using Microsoft.Extensions.Options;

namespace Proton.Sdk.Api;

/// <summary>Checks <see cref="ProtonApiOptions"/> on start.</summary>
internal sealed class ProtonApiOptionsValidator : IValidateOptions<ProtonApiOptions>
{
    private static readonly TimeSpan MaxSkew = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, ProtonApiOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Region))
        {
            failures.Add("ProtonApi:Region must not be empty.");
        }

        if (options.AccountId is not { Length: 12 } account || !account.All(char.IsAsciiDigit))
        {
            failures.Add("ProtonApi:AccountId must be 12 digits.");
        }

        if (options.MaxRequestBytes <= 0)
        {
            failures.Add("ProtonApi:MaxRequestBytes must be positive.");
        }

        if (options.MaxClockSkew <= TimeSpan.Zero || options.MaxClockSkew > MaxSkew)
        {
            failures.Add($"ProtonApi:MaxClockSkew must be positive and at most {MaxSkew}; it is {options.MaxClockSkew}.");
        }

        if (options.DefaultPageSize is < 1 or > 100)
        {
            failures.Add($"ProtonApi:DefaultPageSize must be between 1 and 100; it is {options.DefaultPageSize}.");
        }

        if (options.Credentials.Count == 0 && !options.AllowNoCredentials)
        {
            failures.Add("ProtonApi:Credentials has no access key (ProtonApi:Credentials:<AccessKeyId>=<secret>); set ProtonApi:AllowNoCredentials=true to start a host that refuses every request.");
        }

        foreach (var (key, secret) in options.Credentials)
        {
            if (string.IsNullOrWhiteSpace(key) || string.IsNullOrEmpty(secret))
            {
                failures.Add($"ProtonApi:Credentials:{key} needs a non-empty access key id and secret.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
