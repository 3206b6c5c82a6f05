using System.Diagnostics;
using Proton.Sdk.Aws.Storage;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;
using Xunit.Abstractions;

namespace Proton.Sdk.IntegrationTests;

/// <summary>
/// Issue #17 on the wire: the HTTP requests that the fleet summary and an upgrade plan send to S3 and DynamoDB (moto)
/// do not grow with the fleet. Fleets of 40 and 200 environments are built through the platform with the local provisioner.
/// </summary>
public sealed class StoreRequestCountIntegrationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("proton-requests-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary>The transport under the AWS clients' signing: counts every HTTP request.</summary>
    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Reset() => Interlocked.Exchange(ref _count, 0);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private static InMemoryBundleSource Bundle(string extra) => new(new Dictionary<string, string>
    {
        ["schema/schema.yaml"] = "schema:\n  format:\n    openapi: \"3.0.0\"\n  environment_input_type: \"EnvInput\"\n  types:\n    EnvInput:\n      type: object\n      properties:\n        cidr:\n          type: string\n          default: \"10.0.0.0/16\"\n" + extra,
        ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n      rendering_engine: jinja\n      template_language: cloudformation\n",
        ["infrastructure/cloudformation.yaml"] = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: '{{ environment.inputs.cidr }}'\nOutputs:\n  VpcId:\n    Value: !Ref Vpc\n",
    });

    private async Task<(int Summary, int Plan)> CountAsync(IProtonStore store, CountingHandler counter, int environments, string label)
    {
        var platform = new ProtonPlatform(store, new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = Path.Combine(_work, label, "stacks") }), new ProtonPlatformOptions { DefaultAccountId = "123456789012" });
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        await platform.Registry.PublishAsync("env", (await platform.Registry.RegisterVersionAsync("env", Bundle(string.Empty), new RegisterVersionOptions { Version = "1.0.0" })).Version.Version);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, environments), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            Assert.Equal(DeploymentStatus.Succeeded, (await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = $"env-{i:D4}", TemplateName = "env" }, cancellationToken: ct)).Status));
        output.WriteLine($"{label}: {environments} environments built in {clock.Elapsed.TotalSeconds:F1} s, {counter.Count} requests");
        await platform.Registry.PublishAsync("env", (await platform.Registry.RegisterVersionAsync("env", Bundle("        size:\n          type: string\n          default: small\n"), new RegisterVersionOptions { Version = "1.1.0" })).Version.Version);

        counter.Reset();
        var summary = await platform.GetSummaryAsync();
        var summaryRequests = counter.Count;
        Assert.Equal((environments, environments), (summary.Single().Total, summary.Single().BehindMinor));

        counter.Reset();
        var plan = await platform.PlanUpgradeAsync("env");
        var planRequests = counter.Count;
        Assert.Equal(environments, plan.Steps.Count);
        output.WriteLine($"{label}: summary {summaryRequests} requests, plan {planRequests} requests");

        // Every one of the index's 16 shards holds an environment, so both fleets read the whole index.
        Assert.Equal(16, (await store.ListAsync("template-index")).Count);
        return (summaryRequests, planRequests);
    }

    [SkippableTheory]
    [InlineData("s3")]
    [InlineData("dynamodb")]
    public async Task SummaryAndPlan_SendTheSameRequestsAtFortyAndTwoHundred_UnderFifty(string kind)
    {
        var url = Endpoint.Require();
        var counts = new List<(int Summary, int Plan)>();
        // 40: the smallest fleet of these names that puts an environment in each of the index's 16 shards is 36; a smaller
        // fleet reads fewer shards (at 20: 12 of 16, so 4 requests fewer on S3), never more.
        foreach (var n in new[] { 40, 200 })
        {
            using var counter = new CountingHandler();
            var label = $"{kind}-{n}";
            if (kind == "s3")
            {
                using var store = new S3ProtonStore(new S3StoreOptions { BucketName = await Moto.NewBucketAsync(url, "proton-count-") }, Moto.Connection(url), counter);
                counts.Add(await CountAsync(store, counter, n, label));
            }
            else
            {
                var options = await DynamoDbMoto.NewStoreAsync(url);
                try
                {
                    using var store = new DynamoDbProtonStore(options, Moto.Connection(url), counter);
                    counts.Add(await CountAsync(store, counter, n, label));
                }
                finally
                {
                    await DynamoDbMoto.DeleteTableAsync(url, options.TableName);
                }
            }
        }

        Assert.Equal(counts[0], counts[1]);
        Assert.InRange(counts[1].Summary, 1, 49);
        Assert.InRange(counts[1].Plan, 1, 49);
    }
}
