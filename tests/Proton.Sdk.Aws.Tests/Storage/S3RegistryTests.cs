using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Aws.Tests.Storage;

public sealed class S3RegistryTests
{
    private static InMemoryBundleSource Bundle(string resource) => new(new Dictionary<string, string>
    {
        ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n        name:\n          type: string\n          default: dev\n",
        ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        ["infrastructure/cloudformation.yaml"] = $"Resources:\n  {resource}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '{{{{ environment.inputs.name }}}}'\n",
    });

    private static S3ProtonStore Store(FakeS3Handler handler) => new(new S3StoreOptions { BucketName = "bucket" }, S3ProtonStoreTests.Connection, handler);

    [Fact]
    public async Task Register_EightThreadsAgainstOneS3Bucket_EveryVersionDistinctAndNoneLost()
    {
        using var handler = new FakeS3Handler { PageSize = 3 };
        await new TemplateRegistry(Store(handler)).CreateTemplateAsync("env", TemplateKind.Environment);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            using var store = Store(handler);
            var registry = new TemplateRegistry(store);
            var mine = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                mine.Add((await registry.RegisterVersionAsync("env", Bundle($"T{t}x{i}"))).Version.Version);
            }

            return mine;
        })));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(16, all.Distinct().Count());
        using var check = Store(handler);
        var stored = await new TemplateRegistry(check).ListVersionsAsync("env");
        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"1.0.{i}"), stored.Select(v => v.Version));
    }

    [Fact]
    public async Task BundleSource_OverAGivenClient_ReadsTheArchive_AndLeavesTheClientOpen()
    {
        using var handler = new FakeS3Handler();
        using var client = S3Clients.Create(S3ProtonStoreTests.Connection, factory: new FakeHttpClientFactory(handler));
        using (var put = new MemoryStream(Archive()))
        {
            await client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = "bucket", Key = "bundles/env.tar.gz", InputStream = put, UseChunkEncoding = false });
        }

        using (var source = new S3BundleSource("s3://bucket/bundles/env.tar.gz", client))
        {
            var files = await source.ReadFilesAsync(new BundleOptions());
            Assert.Contains(files, f => f.Path == "schema/schema.yaml");
        }

        // Disposing the source left the caller's client usable.
        using var again = await client.GetObjectAsync("bucket", "bundles/env.tar.gz");
        Assert.Equal(System.Net.HttpStatusCode.OK, again.HttpStatusCode);
    }

    private static byte[] Archive()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new System.Formats.Tar.TarWriter(gzip, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "schema/schema.yaml") { DataStream = new MemoryStream("schema: {}\n"u8.ToArray()) };
            tar.WriteEntry(entry);
        }

        return buffer.ToArray();
    }
}
