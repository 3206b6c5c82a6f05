using Microsoft.Extensions.Options;
using Proton.Sdk.Platform;

namespace Proton.Sdk.Hosting;

/// <summary>Validates <see cref="ProtonSdkOptions"/> and <see cref="ProtonPlatformOptions"/> on start, naming each setting that is wrong.</summary>
internal sealed class ProtonSdkOptionsValidator : IValidateOptions<ProtonSdkOptions>, IValidateOptions<ProtonPlatformOptions>
{
    public ValidateOptionsResult Validate(string? name, ProtonSdkOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.StoreDirectory))
        {
            failures.Add("Proton:StoreDirectory must be set.");
        }

        if (string.IsNullOrWhiteSpace(options.Store))
        {
            failures.Add("Proton:Store must name a store (filesystem, s3).");
        }

        if (string.IsNullOrWhiteSpace(options.Provisioner))
        {
            failures.Add("Proton:Provisioner must name a provisioner (local, cloudformation).");
        }

        if (options.RolePolicyFile is not null && string.IsNullOrWhiteSpace(options.ProviderSchemasDirectory))
        {
            failures.Add("Proton:ProviderSchemasDirectory must be set when Proton:RolePolicyFile is.");
        }

        if (options.RolePolicyFile is { } policy && !File.Exists(policy))
        {
            failures.Add($"Proton:RolePolicyFile '{policy}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, ProtonPlatformOptions options)
    {
        var failures = new List<string>();
        var prefix = options.StackNamePrefix;
        if (prefix is not { Length: > 0 and <= 32 } || !char.IsAsciiLetter(prefix[0]) || !prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            failures.Add("Proton:Platform:StackNamePrefix is a letter followed by letters, digits and '-', at most 32 characters.");
        }

        if (options.DefaultAccountId is { } account && (account.Length != 12 || !account.All(char.IsAsciiDigit)))
        {
            failures.Add("Proton:Platform:DefaultAccountId is an AWS account id (12 digits).");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(1))
        {
            failures.Add("Proton:Platform:LeaseDuration is at least 00:00:01.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
