using Amazon.Runtime;

namespace Proton.Sdk.Aws;

/// <summary>
/// How Proton.Sdk.Aws reaches AWS: the one set of connection settings every component shares (the CloudFormation
/// provisioner, the S3 store and bundle source, the STS account source, the CodePipeline and DescribeType clients).
/// Bound from <c>Proton:Aws</c> by <c>AddProtonAws</c>; a host's <c>AWSOptions</c> (AWSSDK.Extensions.NETCore.Setup)
/// fills what is not set here. It sits in the package's root namespace with <c>AwsConnection</c> and the error types.
/// </summary>
public sealed class AwsConnectionOptions
{
    /// <summary>The region. When null: <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, then the profile's region, as the AWS CLI and SDKs do.</summary>
    public string? Region { get; set; }

    /// <summary>A shared-config profile for credentials and region; when null, <c>AWS_PROFILE</c> or <c>default</c> for the region and the SDK's default credential chain.</summary>
    public string? Profile { get; set; }

    /// <summary>One endpoint for every service (moto, LocalStack). When null: <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, <c>AWS_ENDPOINT_URL</c>, then the region's endpoint.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Path-style S3 addressing (needed by most S3-compatible endpoints). Default false.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>How many times a throttled or failed (5xx, network) call is tried in all. Default 6.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Credentials to use instead of the SDK's chains (not bound from configuration). Default null.</summary>
    public AWSCredentials? Credentials { get; set; }
}
