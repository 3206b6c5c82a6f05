namespace Proton.Sdk.Cli;

/// <summary>The AWS connection options of one command: <c>--endpoint-url</c>, <c>--region</c>, <c>--profile</c>.</summary>
internal sealed record AwsSettings(string? EndpointUrl, string? Region, string? Profile)
{
    /// <summary>Options for the S3 store and bundle source of Proton.Sdk.Aws.</summary>
    public Aws.Storage.S3StoreOptions S3(string bucket = "", string prefix = "proton/")
    {
        ApplyProfile();
        return new Aws.Storage.S3StoreOptions
        {
            BucketName = bucket,
            Prefix = prefix,
            Region = Region,
            ServiceUrl = EndpointUrl,
            ForcePathStyle = EndpointUrl is not null,
        };
    }

    /// <summary>Options for the CloudFormation clients of Proton.Sdk.Aws.</summary>
    public Aws.CloudFormation.AwsConnectionOptions Connection()
        => new() { ServiceUrl = EndpointUrl, Region = Region, Profile = Profile };

    // S3StoreOptions has no profile: the SDK's default credential chain reads AWS_PROFILE, so the CLI sets it for this
    // process (a library change would make this unnecessary; see the CLI's report).
    private void ApplyProfile()
    {
        if (Profile is not null)
        {
            Environment.SetEnvironmentVariable("AWS_PROFILE", Profile);
        }
    }
}
