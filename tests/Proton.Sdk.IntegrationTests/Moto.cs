using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Proton.Sdk.Aws;
using Proton.Sdk.Aws.CloudFormation;

namespace Proton.Sdk.IntegrationTests;

/// <summary>What the integration tests share: the endpoint's connection, buckets, bundles as archives, and an independent look at the stacks (boto3).</summary>
internal static class Moto
{
    public static string SharedFolder { get; } = FindShared();

    public static string RepoRoot { get; } = FindRepo();

    private static string FindRepo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Proton.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Proton.Sdk.sln not found above " + AppContext.BaseDirectory);
    }

    private static string FindShared()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "shared", "corpus")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("../shared not found"), "shared");
    }

    /// <summary>The corpus's lambda-multi-svc environment (a DynamoDB table and an S3 bucket): moto runs it (the Fargate one needs Fn::GetAZs, which moto leaves unresolved).</summary>
    public static string LambdaEnvBundle => Path.Combine(SharedFolder, "corpus", "bundles", "aws-samples+aws-proton-cloudformation-sample-templates", "lambda-multi-svc", "lambda-env", "v1");

    public static AwsConnectionOptions Connection(string url, int maxAttempts = 6) => new() { ServiceUrl = url, Region = "us-east-1", ForcePathStyle = true, MaxAttempts = maxAttempts };

    public static AmazonS3Client S3(string url) => new(new AmazonS3Config { ServiceURL = url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    public static async Task<string> NewBucketAsync(string url, string prefix)
    {
        var bucket = prefix + Guid.NewGuid().ToString("N")[..12];
        using var s3 = S3(url);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        return bucket;
    }

    public static async Task PutAsync(string url, string bucket, string key, byte[] content)
    {
        using var s3 = S3(url);
        using var stream = new MemoryStream(content);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = stream });
    }

    public static async Task<IReadOnlyList<string>> KeysAsync(string url, string bucket)
    {
        using var s3 = S3(url);
        var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        return (page.S3Objects ?? []).Select(o => o.Key).ToList();
    }

    public static byte[] TarGz(string folder)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                tar.WriteEntry(file, Path.GetRelativePath(folder, file).Replace('\\', '/'));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Runs a python3 script with boto3 against the endpoint (an independent client); returns its standard output.</summary>
    public static async Task<string> Boto3Async(string url, string script, params string[] args)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(url);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["AWS_ACCESS_KEY_ID"] = "test";
        info.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
        info.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, $"boto3 script failed: {await stderr}");
        return await stdout;
    }

    private const string DescribeScript = """
        import boto3, json, sys
        cf = boto3.client("cloudformation", endpoint_url=sys.argv[1], region_name="us-east-1")
        out = {}
        for name in sys.argv[2:]:
            try:
                s = cf.describe_stacks(StackName=name)["Stacks"][0]
                out[name] = None if s["StackStatus"] == "DELETE_COMPLETE" else {"status": s["StackStatus"], "outputs": {o["OutputKey"]: o["OutputValue"] for o in s.get("Outputs", [])}}
            except Exception as e:
                if "does not exist" not in str(e):
                    raise
                out[name] = None
        print(json.dumps(out))
        """;

    /// <summary>DescribeStacks through boto3: each stack's status and outputs, or null when it does not exist (or is deleted).</summary>
    public static async Task<Dictionary<string, (string Status, Dictionary<string, string> Outputs)?>> DescribeStacksAsync(string url, params string[] stackNames)
    {
        var json = await Boto3Async(url, DescribeScript, stackNames);
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.Null
                ? ((string, Dictionary<string, string>)?)null
                : (p.Value.GetProperty("status").GetString()!, p.Value.GetProperty("outputs").EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetString()!)),
            StringComparer.Ordinal);
    }
}
