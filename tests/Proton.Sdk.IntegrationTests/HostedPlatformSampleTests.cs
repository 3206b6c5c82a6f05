namespace Proton.Sdk.IntegrationTests;

/// <summary>
/// samples/HostedPlatform takes its settings as any .NET host does: appsettings.json, then environment variables, then
/// the command line. Run as a user runs it.
/// </summary>
public sealed class HostedPlatformSampleTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("proton-hosted-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static string Dll => Processes.Dll(Path.Combine("samples", "HostedPlatform"), "HostedPlatform");

    [Theory]
    [InlineData("environment")]
    [InlineData("command line")]
    public async Task StoreS3_FromEnvironmentOrCommandLine_OverridesAppSettings(string where)
    {
        // Without a bucket the S3 store refuses to start, naming the setting: proof that Proton:Store=s3 was read.
        var (exit, stdout, stderr) = where == "environment"
            ? await Processes.RunAsync(Dll, [], _work, new Dictionary<string, string?> { ["Proton__Store"] = "s3" })
            : await Processes.RunAsync(Dll, ["--Proton:Store=s3"], _work);

        Assert.NotEqual(0, exit);
        Assert.Contains("Proton:Store is 's3' but Proton:Aws:S3Store:BucketName is not set.", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("environment dev:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandLine_WinsOverEnvironment_WhichWinsOverAppSettings()
    {
        var (exit, stdout, stderr) = await Processes.RunAsync(Dll, ["--Proton:Platform:StackNamePrefix=fromargs"], _work, new Dictionary<string, string?> { ["Proton__Platform__StackNamePrefix"] = "fromenv", ["Proton__StoreDirectory"] = "from-env-store" });

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("fromargs-dev-", stdout, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(_work, "from-env-store")), "the environment's StoreDirectory was used");
    }

    [SkippableFact]
    public async Task StoreS3_FromTheEnvironment_RunsOnTheEndpoint()
    {
        var url = Endpoint.Require();
        var bucket = await Moto.NewBucketAsync(url, "proton-hosted-");
        var env = new Dictionary<string, string?>
        {
            ["Proton__Store"] = "s3",
            ["Proton__Aws__S3Store__BucketName"] = bucket,
            ["Proton__Aws__ServiceUrl"] = url,
            ["Proton__Aws__ForcePathStyle"] = "true",
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
        };

        var (exit, stdout, stderr) = await Processes.RunAsync(Dll, [], _work, env);

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("with the local provisioner and the s3 store", stdout, StringComparison.Ordinal);
        var keys = await Moto.KeysAsync(url, bucket);
        Assert.Contains("proton/records/environments/dev.json", keys);
        Assert.False(Directory.Exists(Path.Combine(_work, "proton-hosted-sample", "store")), "nothing went to the file-system store of appsettings.json");
    }
}
