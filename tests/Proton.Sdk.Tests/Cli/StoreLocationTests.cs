using Proton.Sdk.Cli;

namespace Proton.Sdk.Tests.Cli;

public sealed class StoreLocationTests
{
    [Theory]
    [InlineData("s3://my-bucket/teams/platform", "my-bucket", "teams/platform/")]
    [InlineData("s3://my-bucket/teams/platform/", "my-bucket", "teams/platform/")]
    [InlineData("s3://my-bucket", "my-bucket", "proton/")]
    public void S3Uri_GivesBucketAndPrefix(string text, string bucket, string prefix)
    {
        var location = StoreLocation.TryParse(text, out var error);

        Assert.Null(error);
        Assert.True(location!.IsS3);
        Assert.Equal((bucket, prefix), (location.Bucket, location.Prefix));
        Assert.Equal(Path.Combine(".proton", "stacks"), location.DefaultStacksFolder);
    }

    [Theory]
    [InlineData("dynamodb://proton-records?blobs=s3://my-bucket/teams/platform", "proton-records", "my-bucket", "teams/platform/")]
    [InlineData("dynamodb://Proton_Records.v2?blobs=s3://my-bucket", "Proton_Records.v2", "my-bucket", "proton/")]
    [InlineData("dynamodb://abc?blobs=s3%3A%2F%2Fmy-bucket%2Fp%2F", "abc", "my-bucket", "p/")]
    public void DynamoDbUri_GivesTableAndBlobBucket(string text, string table, string bucket, string prefix)
    {
        var location = StoreLocation.TryParse(text, out var error);

        Assert.Null(error);
        Assert.True(location!.IsDynamoDb);
        Assert.False(location.IsS3 || location.IsFolder);
        Assert.Equal((table, bucket, prefix), (location.Table, location.Bucket, location.Prefix));
        Assert.Equal(Path.Combine(".proton", "stacks"), location.DefaultStacksFolder);
    }

    [Theory]
    [InlineData("dynamodb://table", "needs its bucket")]
    [InlineData("dynamodb://table?", "needs its bucket")]
    [InlineData("dynamodb://ab?blobs=s3://bucket", "not a DynamoDB table name")]
    [InlineData("dynamodb://a/b?blobs=s3://bucket", "not a DynamoDB table name")]
    [InlineData("dynamodb://?blobs=s3://bucket", "not a DynamoDB table name")]
    [InlineData("dynamodb://table?blobs=gs://bucket", "needs its bucket")]
    [InlineData("dynamodb://table?blobs=s3://UPPER", "not an S3 bucket name")]
    [InlineData("dynamodb://table?blobs=s3://bucket&blobs=s3://other", "not a DynamoDB store setting")]
    [InlineData("dynamodb://table?region=us-east-1&blobs=s3://bucket", "not a DynamoDB store setting")]
    public void DynamoDbUri_Invalid_IsRefusedWithTheReason(string text, string reason)
    {
        Assert.Null(StoreLocation.TryParse(text, out var error));
        Assert.StartsWith("--store", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("./.proton")]
    [InlineData("/var/lib/proton")]
    [InlineData("C:\\proton")]
    [InlineData("relative/s3:/not-a-scheme")]
    public void Folder_IsAFolderStore(string text)
    {
        var location = StoreLocation.TryParse(text, out var error);

        Assert.Null(error);
        Assert.False(location!.IsS3);
        Assert.Equal(Path.Combine(text, "stacks"), location.DefaultStacksFolder);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("s3:")]
    [InlineData("s3://")]
    [InlineData("s3://UPPER/prefix")]
    [InlineData("gs://bucket/prefix")]
    [InlineData("file:///tmp/store")]
    [InlineData("dynamodb://table")]
    public void OtherSchemesAndEmpty_AreRefused(string text)
    {
        Assert.Null(StoreLocation.TryParse(text, out var error));
        Assert.StartsWith("--store", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOnlyOpen_OfAMissingFolder_CreatesNothing()
    {
        var missing = Path.Combine(Path.GetTempPath(), "proton-missing-" + Guid.NewGuid().ToString("N"));

        var ex = Assert.Throws<CliException>(() => StoreLocation.TryParse(missing, out _)!.Open(create: false, new AwsSettings(null, null, null)));

        Assert.Contains("cli.no-store", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }
}
