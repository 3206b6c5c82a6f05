using System.Formats.Tar;
using System.IO.Compression;
using Amazon.S3;
using Amazon.S3.Model;
using Proton.Sdk.Aws;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Templates;

namespace Proton.Sdk.IntegrationTests;

/// <summary>
/// The corpus's lambda-multi-svc environment bundle (a DynamoDB table and an S3 bucket; moto cannot resolve the Fargate one's Fn::GetAZs), uploaded to S3 as a Proton-style .tar.gz, registered from the
/// S3 bundle source into an S3 store, and deployed with the CloudFormation provisioner: create, outputs, update, no-op,
/// plan, destroy.
/// </summary>
public sealed class CloudFormationIntegrationTests
{
    private static string SharedFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "shared", "corpus")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("../shared not found"), "shared");
    }

    private static string CorpusBundle() => Path.Combine(SharedFolder(), "corpus", "bundles",
        "aws-samples+aws-proton-cloudformation-sample-templates", "lambda-multi-svc", "lambda-env", "v1");

    private static byte[] TarGz(string folder)
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

    [SkippableFact]
    public async Task CorpusEnvironment_CreateOutputsUpdateNoOpPlanDestroy_WithS3SourceAndStore()
    {
        var url = Endpoint.Require();
        var bucket = "proton-sdk-cfn-" + Guid.NewGuid().ToString("N")[..12];
        using (var s3 = new AmazonS3Client(new AmazonS3Config { ServiceURL = url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
            using var archive = new MemoryStream(TarGz(CorpusBundle()));
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "bundles/env-v1.tar.gz", InputStream = archive });
        }

        var connection = new AwsConnectionOptions { ServiceUrl = url, Region = "us-east-1", ForcePathStyle = true };
        using var store = new S3ProtonStore(new S3StoreOptions { BucketName = bucket }, connection);
        using var provisioner = new CloudFormationProvisioner(new CloudFormationProvisionerOptions
        {
            MinPollInterval = TimeSpan.FromMilliseconds(200),
            MaxPollInterval = TimeSpan.FromSeconds(1),
        }, connection);
        // moto has no DescribeType: permissions come from the provider schemas in ../shared/data through the disk cache.
        var cache = Directory.CreateTempSubdirectory("proton-it-perm-").FullName;
        var permissions = new Proton.Sdk.Policies.CachingPermissionSource(new Proton.Sdk.Policies.ProviderSchemaFolderSource(Path.Combine(SharedFolder(), "data", "provider-schemas")), cache);
        var rolePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cloudformation:*","dynamodb:*","s3:*","kms:*","iam:PassRole","kinesis:*","application-autoscaling:*","logs:*","iam:CreateServiceLinkedRole"],"Resource":"*"}]}""";
        var platform = new ProtonPlatform(store, provisioner, new ProtonPlatformOptions
        {
            DefaultAccountId = "123456789012",
            StackNamePrefix = "it" + Guid.NewGuid().ToString("N")[..6],
            PermissionCheck = new PermissionCheck(rolePolicy, permissions),
        });
        await platform.Registry.CreateTemplateAsync("lambda-env", TemplateKind.Environment);
        var v1 = await platform.Registry.RegisterVersionAsync("lambda-env", new S3BundleSource($"s3://{bucket}/bundles/env-v1.tar.gz", connection));
        await platform.Registry.PublishAsync("lambda-env", v1.Version.Version);
        var events = new List<DeploymentProgress>();

        var created = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "beta", TemplateName = "lambda-env" }, new Inline(events.Add));
        Assert.True(created.Status == DeploymentStatus.Succeeded, created.StatusMessage);
        var env = (await platform.GetEnvironmentAsync("beta"))!;
        Assert.False(string.IsNullOrEmpty(env.Outputs["TableName"]));
        Assert.StartsWith("arn:aws:s3:::", env.Outputs["AppBucketArn"], StringComparison.Ordinal);
        Assert.Contains(events, e => e.Event?.EngineStatus == "CREATE_COMPLETE");

        var same = await platform.UpdateEnvironmentAsync("beta", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion });
        Assert.True(same!.Status == DeploymentStatus.Succeeded, same.StatusMessage);
        Assert.Equal("No changes.", same.StatusMessage);

        var plan = await provisioner.PlanAsync(new DeployRequest
        {
            StackName = env.StackName!,
            TemplateBody = (await File.ReadAllTextAsync(Path.Combine(CorpusBundle(), "infrastructure", "cloudformation.yaml")))
                .Replace("{{ environment.inputs.ttl_attribute }}", "expires", StringComparison.Ordinal),
        });
        Assert.True(plan.StackExists);
        Assert.NotEmpty(plan.Changes);

        var updated = await platform.UpdateEnvironmentAsync("beta", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion, Inputs = new Dictionary<string, object?> { ["ttl_attribute"] = "expires" } });
        Assert.True(updated!.Status == DeploymentStatus.Succeeded, updated.StatusMessage);
        Assert.Equal("expires", (await platform.GetEnvironmentAsync("beta"))!.Inputs["ttl_attribute"]);

        var deleted = await platform.DeleteEnvironmentAsync("beta");
        Assert.True(deleted.Status == DeploymentStatus.DeleteComplete, deleted.StatusMessage);
        Assert.Null(await provisioner.DescribeAsync(env.StackName!));
        Assert.Equal(4, (await platform.ListDeploymentsAsync("beta")).Count);
        Assert.True(File.Exists(Path.Combine(cache, "AWS__DynamoDB__Table.json")), "the permission cache is on disk");
    }

    private sealed class Inline(Action<DeploymentProgress> action) : IProgress<DeploymentProgress>
    {
        public void Report(DeploymentProgress value) => action(value);
    }
}
