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
