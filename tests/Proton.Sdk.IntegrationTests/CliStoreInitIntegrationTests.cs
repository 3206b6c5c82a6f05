using Amazon.DynamoDBv2.Model;

namespace Proton.Sdk.IntegrationTests;

/// <summary><c>proton store init</c> and a <c>dynamodb://</c> store, with the tool as a separate process on moto.</summary>
public sealed class CliStoreInitIntegrationTests : IDisposable
{
    private static readonly Dictionary<string, string?> Credentials = new() { ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test", ["AWS_REGION"] = "us-east-1" };
    private readonly string _work = Directory.CreateTempSubdirectory("proton-cli-init-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => await Processes.RunAsync(Processes.Cli(), args, _work, Credentials);

    private static async Task<bool> TableExistsAsync(string url, string table)
    {
        using var client = DynamoDbMoto.Client(url);
        try
        {
            await client.DescribeTableAsync(new DescribeTableRequest { TableName = table });
            return true;
        }
        catch (ResourceNotFoundException)
        {
            return false;
        }
    }

    [SkippableFact]
    public async Task DynamoDbStore_ReadOnlyCommandsCreateNothing_InitCreatesTheTable_ThenTheRegistryWorks()
    {
        var url = Endpoint.Require();
        var bucket = await Moto.NewBucketAsync(url, "proton-init-");
        var table = "proton-init-" + Guid.NewGuid().ToString("N")[..10];
        var store = $"dynamodb://{table}?blobs=s3://{bucket}/team-a";
        try
        {
            var (exit, _, err) = await RunAsync("template", "list", "--store", store, "--endpoint-url", url);
            Assert.Equal(1, exit);
            Assert.Contains("store.missing", err, StringComparison.Ordinal);
            Assert.Contains(table, err, StringComparison.Ordinal);
            Assert.False(await TableExistsAsync(url, table), "a read-only command created the table");

            (exit, var stdout, err) = await RunAsync("store", "init", "--store", store, "--endpoint-url", url);
            Assert.True(exit == 0, stdout + err);
            Assert.Equal($"created the store {store}", stdout.Trim());
            Assert.True(await TableExistsAsync(url, table));
            (exit, stdout, _) = await RunAsync("store", "init", "--store", store, "--endpoint-url", url);
            Assert.Equal((0, $"the store {store} is ready (it was there)"), (exit, stdout.Trim()));

            foreach (var args in new[] { new[] { "template", "create", "lambda-env", "--kind", "environment" }, ["template", "register", "lambda-env", Moto.LambdaEnvBundle] })
            {
                (exit, stdout, err) = await RunAsync([.. args, "--store", store, "--endpoint-url", url]);
                Assert.True(exit == 0, $"{string.Join(' ', args)}: {stdout}{err}");
            }

            (exit, stdout, _) = await RunAsync("template", "list", "--store", store, "--endpoint-url", url, "--output", "json");
            Assert.Equal(0, exit);
            Assert.Contains("lambda-env", stdout, StringComparison.Ordinal);
            Assert.Contains(await Moto.KeysAsync(url, bucket), k => k.StartsWith("team-a/blobs/", StringComparison.Ordinal));
        }
        finally
        {
            if (await TableExistsAsync(url, table))
            {
                await DynamoDbMoto.DeleteTableAsync(url, table);
            }
        }
    }

    [SkippableFact]
    public async Task S3Store_InitChecksTheBucket_NeverCreatesOne()
    {
        var url = Endpoint.Require();
        var bucket = await Moto.NewBucketAsync(url, "proton-init-");

        var (exit, stdout, err) = await RunAsync("store", "init", "--store", $"s3://{bucket}/registry", "--endpoint-url", url);
        Assert.True(exit == 0, stdout + err);
        Assert.Contains("is ready", stdout, StringComparison.Ordinal);

        var missing = "proton-missing-" + Guid.NewGuid().ToString("N")[..10];
        (exit, _, err) = await RunAsync("store", "init", "--store", $"s3://{missing}/registry", "--endpoint-url", url);
        Assert.Equal(1, exit);
        Assert.Contains("cli.no-bucket", err, StringComparison.Ordinal);
        using var s3 = Moto.S3(url);
        Assert.DoesNotContain((await s3.ListBucketsAsync()).Buckets ?? [], b => b.BucketName == missing);
    }
}
