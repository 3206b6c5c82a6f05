using Amazon.S3;
using Amazon.S3.Model;
using Proton.Sdk.Aws;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.IntegrationTests;

public sealed class S3StoreIntegrationTests
{
    private static async Task<S3StoreOptions> NewBucketAsync(string url)
    {
        var bucket = "proton-sdk-it-" + Guid.NewGuid().ToString("N")[..12];
        using var s3 = new AmazonS3Client(new AmazonS3Config { ServiceURL = url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        return new S3StoreOptions { BucketName = bucket };
    }

    private static AwsConnectionOptions Connection(string url) => new() { ServiceUrl = url, ForcePathStyle = true, Region = "us-east-1" };

    private static InMemoryBundleSource Bundle(string resource) => new(new Dictionary<string, string>
    {
        ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: E\n  types:\n    E:\n      type: object\n      properties:\n        name:\n          type: string\n          default: dev\n",
        ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        ["infrastructure/cloudformation.yaml"] = $"Resources:\n  {resource}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '{{{{ environment.inputs.name }}}}'\n",
    });

    [SkippableFact]
    public async Task ConditionalWrites_AgainstTheEndpoint_CreateConflictUpdateDelete()
    {
        var url = Endpoint.Require();
        var options = await NewBucketAsync(url);
        using var store = new S3ProtonStore(options, Connection(url));

        var created = await store.PutAsync("templates", "env", "{\"n\":1}"u8.ToArray(), null);
        await Assert.ThrowsAsync<StoreConflictException>(async () => await store.PutAsync("templates", "env", "{\"n\":2}"u8.ToArray(), null));
        var updated = await store.PutAsync("templates", "env", "{\"n\":2}"u8.ToArray(), created.Revision);
        await Assert.ThrowsAsync<StoreConflictException>(async () => await store.PutAsync("templates", "env", "{\"n\":3}"u8.ToArray(), created.Revision));
        Assert.Equal(updated.Revision, (await store.GetAsync("templates", "env"))!.Revision);
        await store.DeleteAsync("templates", "env", updated.Revision);
        Assert.Null(await store.GetAsync("templates", "env"));
    }

    [SkippableFact]
    public async Task Register_EightThreadsAgainstOneBucket_EveryVersionDistinctAndNoneLost()
    {
        var url = Endpoint.Require();
        var options = await NewBucketAsync(url);
        using (var setup = new S3ProtonStore(options, Connection(url)))
        {
            await new TemplateRegistry(setup).CreateTemplateAsync("env", TemplateKind.Environment);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            using var store = new S3ProtonStore(options, Connection(url));
            var mine = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                mine.Add((await new TemplateRegistry(store).RegisterVersionAsync("env", Bundle($"T{t}x{i}"))).Version.Version);
            }

            return mine;
        })));

        Assert.Equal(16, results.SelectMany(r => r).Distinct().Count());
        using var check = new S3ProtonStore(options, Connection(url));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"1.0.{i}"), (await new TemplateRegistry(check).ListVersionsAsync("env")).Select(v => v.Version));
    }
}
