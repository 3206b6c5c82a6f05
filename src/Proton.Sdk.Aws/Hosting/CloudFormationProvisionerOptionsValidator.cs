using Microsoft.Extensions.Options;
using Proton.Sdk.Aws.CloudFormation;

namespace Proton.Sdk.Aws.Hosting;

/// <summary>Checks <see cref="CloudFormationProvisionerOptions"/> on start, naming each bad setting.</summary>
internal sealed class CloudFormationProvisionerOptionsValidator : IValidateOptions<CloudFormationProvisionerOptions>
{
    private const string Section = "Proton:Aws:CloudFormation:";

    public ValidateOptionsResult Validate(string? name, CloudFormationProvisionerOptions options)
    {
        var failures = new List<string>();
        if (options.RoleArn is { } role && !role.StartsWith("arn:", StringComparison.Ordinal))
        {
            failures.Add($"{Section}RoleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>); '{role}' is not.");
        }

        if (options.FirstPollInterval < TimeSpan.FromMilliseconds(50))
        {
            failures.Add($"{Section}FirstPollInterval must be at least 50 ms.");
        }

        if (options.MinPollInterval < TimeSpan.FromMilliseconds(100) || options.MaxPollInterval < options.MinPollInterval)
        {
            failures.Add($"{Section}MinPollInterval must be at least 100 ms and MaxPollInterval at least MinPollInterval.");
        }

        if (options.OperationTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}OperationTimeout must be positive.");
        }

        if (options.TemplateBucket is { Length: 0 })
        {
            failures.Add($"{Section}TemplateBucket must name a bucket or be left out.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
