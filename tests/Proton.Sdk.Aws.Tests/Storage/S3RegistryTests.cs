using Amazon.Runtime;
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

    private static S3ProtonStore Store(FakeS3Handler handler)
    {
        var options = new S3StoreOptions { BucketName = "bucket", ServiceUrl = "http://s3.test", ForcePathStyle = true };
        return new S3ProtonStore(S3ProtonStore.CreateClient(options, new BasicAWSCredentials("test", "test"), new FakeHttpClientFactory(handler)), "bucket", "proton/", ownsClient: true);
    }

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
    public void Options_WithoutBucket_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new S3ProtonStore(new S3StoreOptions { ServiceUrl = "http://s3.test" }));
    }
}
