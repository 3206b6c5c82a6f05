namespace Proton.Sdk.Aws;

/// <summary>The stable error codes of the AWS layer (<see cref="ProtonException.ErrorCode"/>).</summary>
public static class AwsErrorCodes
{
    /// <summary><c>aws.no-credentials</c>: no credentials.</summary>
    public const string NoCredentials = "aws.no-credentials";

    /// <summary><c>aws.no-region</c>: no region.</summary>
    public const string NoRegion = "aws.no-region";

    /// <summary><c>aws.invalid-endpoint</c>: the endpoint (ServiceUrl, <c>AWS_ENDPOINT_URL*</c>) is not an absolute http(s) URL.</summary>
    public const string InvalidEndpoint = "aws.invalid-endpoint";
}
