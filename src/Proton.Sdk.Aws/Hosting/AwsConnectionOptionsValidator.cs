using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Proton.Sdk.Aws.CloudFormation;

namespace Proton.Sdk.Aws.Hosting;

/// <summary>Checks <see cref="AwsConnectionOptions"/> on start, naming each bad setting.</summary>
internal sealed partial class AwsConnectionOptionsValidator : IValidateOptions<AwsConnectionOptions>
{
    public ValidateOptionsResult Validate(string? name, AwsConnectionOptions options)
    {
        var failures = new List<string>();
        if (options.ServiceUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            failures.Add($"Proton:Aws:ServiceUrl must be an absolute http(s) URL; '{url}' is not.");
        }

        if (options.Region is { } region && !RegionPattern().IsMatch(region))
        {
            failures.Add($"Proton:Aws:Region '{region}' is not a region name such as us-east-1.");
        }

        if (options.MaxAttempts is < 1 or > 20)
        {
            failures.Add($"Proton:Aws:MaxAttempts must be between 1 and 20; it is {options.MaxAttempts}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d{1,2}$", RegexOptions.None, 1000)]
    private static partial Regex RegionPattern();
}
