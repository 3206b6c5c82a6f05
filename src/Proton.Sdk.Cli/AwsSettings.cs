namespace Proton.Sdk.Cli;

/// <summary>The AWS connection options of one command: <c>--endpoint-url</c>, <c>--region</c>, <c>--profile</c>.</summary>
internal sealed record AwsSettings(string? EndpointUrl, string? Region, string? Profile)
{
    /// <summary>Options for the S3 store of Proton.Sdk.Aws.</summary>
    public Aws.Storage.S3StoreOptions S3(string bucket, string prefix) => new() { BucketName = bucket, Prefix = prefix };

    /// <summary>Options for the CloudFormation clients of Proton.Sdk.Aws.</summary>
    public Aws.AwsConnectionOptions Connection()
        => new() { ServiceUrl = EndpointUrl, Region = Region, Profile = Profile, ForcePathStyle = EndpointUrl is not null };
}
