using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Proton.Sdk.Hosting;
using Proton.Sdk.Aws.Storage;

namespace Proton.Sdk.Aws.Hosting;

/// <summary>Checks <see cref="S3StoreOptions"/> on start: a bucket is required when <c>Proton:Store</c> selects the S3 store.</summary>
internal sealed class S3StoreOptionsValidator(IOptions<ProtonSdkOptions> sdk) : IValidateOptions<S3StoreOptions>
{
    public ValidateOptionsResult Validate(string? name, S3StoreOptions options)
    {
        var failures = new List<string>();
        if (string.Equals(sdk.Value.Store, ProtonAwsServiceCollectionExtensions.S3StoreKey, StringComparison.Ordinal) && string.IsNullOrWhiteSpace(options.BucketName))
        {
            failures.Add("Proton:Store is 's3' but Proton:Aws:S3Store:BucketName is not set.");
        }

        if (options.Prefix is null)
        {
            failures.Add("Proton:Aws:S3Store:Prefix must not be null (use an empty string for none).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
