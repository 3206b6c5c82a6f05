using Amazon.Runtime;
using Amazon.S3;
using Proton.Sdk.Aws.CloudFormation;

namespace Proton.Sdk.Aws.Storage;

/// <summary>Builds S3 clients from the shared connection settings.</summary>
internal static class S3Clients
{
    /// <summary>A client for <paramref name="connection"/>: its endpoint (or <c>AWS_ENDPOINT_URL_S3</c> / <c>AWS_ENDPOINT_URL</c>), region, credentials, addressing.</summary>
    public static AmazonS3Client Create(AwsConnectionOptions connection, string? region = null, AWSCredentials? credentials = null, HttpMessageHandler? transport = null, HttpClientFactory? factory = null)
    {
        region ??= AwsConnection.ResolveRegion(connection);
        credentials ??= AwsConnection.ResolveCredentials(connection);
        var config = new AmazonS3Config
        {
            ForcePathStyle = connection.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        AwsConnection.Configure(config, connection, "S3", region, transport, factory);

        return new AmazonS3Client(credentials, config);
    }
}
