using Microsoft.Extensions.Options;

namespace Proton.Sdk.Api;

/// <summary>Checks <see cref="ProtonApiOptions"/> on start.</summary>
internal sealed class ProtonApiOptionsValidator : IValidateOptions<ProtonApiOptions>
{
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
