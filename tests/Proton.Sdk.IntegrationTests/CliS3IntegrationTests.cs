namespace Proton.Sdk.IntegrationTests;

/// <summary>The <c>proton</c> tool with an S3 store and an <c>s3://</c> bundle on moto, as a separate process.</summary>
public sealed class CliS3IntegrationTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("proton-cli-s3-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [SkippableFact]
    public async Task Cli_RegistersAnS3BundleIntoAnS3Store_AndReadsItBack()
    {
        var url = Endpoint.Require();
        var bucket = await Moto.NewBucketAsync(url, "cli-");
        await Moto.PutAsync(url, bucket, "bundles/lambda-env.tar.gz", Moto.TarGz(Moto.LambdaEnvBundle));
        var env = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test", ["AWS_REGION"] = "us-east-1" };
        var store = $"s3://{bucket}/registry/";
        var bundle = $"s3://{bucket}/bundles/lambda-env.tar.gz";
        async Task<string> Ok(params string[] args)
        {
            var (exit, stdout, stderr) = await Processes.RunAsync(Processes.Cli(), args, _work, env);
            Assert.True(exit == 0, $"proton {string.Join(' ', args)} exited {exit}: {stdout}{stderr}");
            return stdout;
        }

        Assert.Contains("lambda", await Ok("bundle", "inspect", bundle, "--endpoint-url", url), StringComparison.OrdinalIgnoreCase);
        await Ok("template", "create", "lambda-env", "--kind", "environment", "--store", store, "--endpoint-url", url);
        await Ok("template", "register", "lambda-env", bundle, "--store", store, "--endpoint-url", url);
        await Ok("template", "publish", "lambda-env", "1.0.0", "--store", store, "--endpoint-url", url);
        var listed = await Ok("template", "list", "--store", store, "--endpoint-url", url, "--output", "json");

        Assert.Contains("lambda-env", listed, StringComparison.Ordinal);
        Assert.Contains("1.0.0", listed, StringComparison.Ordinal);
        var keys = await Moto.KeysAsync(url, bucket);
        Assert.Contains(keys, k => k.StartsWith("registry/", StringComparison.Ordinal) && k.Contains("lambda-env", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith("registry/", StringComparison.Ordinal) && k.Contains("blobs/", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_work, "s3:")), "an s3:// store never becomes a local folder");
    }
}
