namespace Proton.Sdk.Aws.Storage;

/// <summary>
/// Where a <see cref="DynamoDbProtonStore"/> keeps its records (a DynamoDB table) and its blobs (an S3 bucket).
/// How to reach AWS is not here: that is <see cref="AwsConnectionOptions"/>, shared by every component.
/// </summary>
public sealed class DynamoDbStoreOptions
{
    /// <summary>The table of records (partition key <c>pk</c>, sort key <c>sk</c>, both strings). Required.</summary>
    public string TableName { get; set; } = string.Empty;

    /// <summary>The bucket for blobs (bundle content, addressed by SHA-256). Required.</summary>
    public string BucketName { get; set; } = string.Empty;

    /// <summary>A key prefix for every blob object the store writes in <see cref="BucketName"/>. Default <c>proton/</c>.</summary>
    public string Prefix { get; set; } = "proton/";
}
