using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Proton.Sdk.Hosting;
using Proton.Sdk.Aws.Storage;

namespace Proton.Sdk.Aws.Hosting;

/// <summary>Checks <see cref="DynamoDbStoreOptions"/> on start: a table and a bucket are required when <c>Proton:Store</c> selects the DynamoDB store.</summary>
internal sealed class DynamoDbStoreOptionsValidator(IOptions<ProtonSdkOptions> sdk) : IValidateOptions<DynamoDbStoreOptions>
{
    private const string Section = "Proton:Aws:DynamoDbStore:";

    public ValidateOptionsResult Validate(string? name, DynamoDbStoreOptions options)
    {
        var failures = new List<string>();
        if (string.Equals(sdk.Value.Store, ProtonAwsServiceCollectionExtensions.DynamoDbStoreKey, StringComparison.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(options.TableName))
            {
                failures.Add($"Proton:Store is 'dynamodb' but {Section}TableName is not set.");
            }

            if (string.IsNullOrWhiteSpace(options.BucketName))
            {
                failures.Add($"Proton:Store is 'dynamodb' but {Section}BucketName (the bucket for bundle content) is not set.");
            }
        }

        if (options.Prefix is null)
        {
            failures.Add($"{Section}Prefix must not be null (use an empty string for none).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
