using System.Text.Json;
using Proton.Sdk.Aws.CloudFormation;
using Proton.Sdk.Migration;
using Proton.Sdk.Platform;
using Proton.Sdk.Rendering;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;

namespace Proton.Sdk.IntegrationTests;

/// <summary>
/// Taking over a Proton estate against the endpoint: stacks made the way Proton made them (names <c>AWSProton-...</c>,
/// Proton's tags with ARN values, rendered from a corpus bundle and the queue service with the spec values), one that
/// drifted from its spec and one with missing tags; discovered, adopted (dry run, then real) without touching any stack,
/// then a minor update of the adopted environment through a change set on the same stack.
/// </summary>
public sealed class MigrationIntegrationTests : IDisposable
{
    private const string Account = "123456789012";

    private const string CreateStack = """
        import boto3, json, sys
        cf = boto3.client("cloudformation", endpoint_url=sys.argv[1], region_name="us-east-1")
        tags = [{"Key": k, "Value": v} for k, v in json.loads(sys.argv[4]).items()]
        cf.create_stack(StackName=sys.argv[2], TemplateBody=open(sys.argv[3]).read(), Tags=tags)
        print(cf.describe_stacks(StackName=sys.argv[2])["Stacks"][0]["StackStatus"])
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("proton-migrate-it-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Arn(string resource) => $"arn:aws:proton:us-east-1:{Account}:{resource}";

    private async Task CreateAsync(string url, string name, string body, Dictionary<string, string> tags)
    {
        var file = Path.Combine(_root, name + ".yaml");
        await File.WriteAllTextAsync(file, body);
        Assert.Equal("CREATE_COMPLETE", (await Moto.Boto3Async(url, CreateStack, name, file, JsonSerializer.Serialize(tags))).Trim());
    }

    private static void Write(string folder, IReadOnlyDictionary<string, string> files)
    {
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
            File.WriteAllText(Path.Combine(folder, path), text);
        }
    }

    [SkippableFact]
    public async Task ProtonStacks_AreDiscoveredAndAdoptedUnchanged_ThenMinorUpdatedOnTheSameStack()
    {
        var url = Endpoint.Require();
        var id = Guid.NewGuid().ToString("N")[..6];
        var env = "mig" + id;
        var svc = "migsvc" + id;

        // The template-sync folder: the corpus's lambda environment (without the SAM transform, which the emulator lacks) and the queue service.
        var templates = Path.Combine(_root, "templates");
        var envFiles = Directory.EnumerateFiles(Moto.LambdaEnvBundle, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(Moto.LambdaEnvBundle, f).Replace('\\', '/'), File.ReadAllText);
        envFiles["infrastructure/cloudformation.yaml"] = envFiles["infrastructure/cloudformation.yaml"].Replace("Transform: AWS::Serverless-2016-10-31\n", string.Empty, StringComparison.Ordinal);
        Write(Path.Combine(templates, "lambda-env", "v1"), envFiles);
        Write(Path.Combine(templates, "queue-svc", "v1"), QueueService.Files());

        // The stacks as Proton made them: rendered with the spec values and the context Proton built.
        var renderer = TemplateRenderer.Default;
        string Render(string text, RenderContext context) => renderer.Render(renderer.Compile(text, "cloudformation.yaml"), context);
        var envStack = $"AWSProton-{env}-cloudformation-{id}";
        var envTags = new Dictionary<string, string> { ["proton:account"] = Account, ["proton:template"] = Arn("environment-template/lambda-env"), ["proton:environment"] = Arn("environment/" + env) };
        await CreateAsync(url, envStack, Render(envFiles["infrastructure/cloudformation.yaml"], ProtonContexts.ForEnvironment(new EnvironmentInfo(env) { AccountId = Account, Inputs = new Dictionary<string, object?> { ["ttl_attribute"] = "ttl" } })), envTags);
        var envOutputs = (await Moto.DescribeStacksAsync(url, envStack))[envStack]!.Value.Outputs;
        var envInfo = new EnvironmentInfo(env) { AccountId = Account, Outputs = envOutputs };
        var service = new ServiceInfo(svc);
        var files = QueueService.Files();
        var outputs = new Dictionary<string, Dictionary<string, string>>();
        foreach (var (instance, greeting) in new[] { ("one", "hi"), ("two", "edited-by-hand") })
        {
            var stack = $"AWSProton-{svc}-{instance}-cloudformation-{id}";
            var body = Render(files["instance_infrastructure/cloudformation.yaml"], ProtonContexts.ForServiceInstance(service, new ServiceInstanceInfo(instance, envInfo) { Inputs = new Dictionary<string, object?> { ["greeting"] = greeting } }));
            await CreateAsync(url, stack, body, new Dictionary<string, string>
            {
                ["proton:account"] = Account,
                ["proton:template"] = Arn("service-template/queue-svc"),
                ["proton:environment"] = Arn("environment/" + env),
                ["proton:service"] = Arn("service/" + svc),
                ["proton:service-instance"] = Arn($"service/{svc}/service-instance/{instance}"),
            });
            outputs[instance] = (await Moto.DescribeStacksAsync(url, stack))[stack]!.Value.Outputs;
        }

        var pipelineStack = $"AWSProton-{svc}-cloudformation-{id}";
        var instances = new[] { "one", "two" }.Select(i => new ServiceInstanceInfo(i, envInfo) { Inputs = new Dictionary<string, object?> { ["greeting"] = "hi" }, Outputs = outputs[i] }).ToList();
        await CreateAsync(url, pipelineStack, Render(files["pipeline_infrastructure/cloudformation.yaml"], ProtonContexts.ForPipeline(service, new Dictionary<string, object?> { ["stage"] = "build" }, instances)), new Dictionary<string, string>
        {
            ["proton:account"] = Account,
            ["proton:template"] = Arn("service-template/queue-svc"),
            ["proton:service"] = Arn("service/" + svc),
        });
        var halfStack = $"AWSProton-{id}-half";
        await CreateAsync(url, halfStack, "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n", new Dictionary<string, string> { ["proton:environment"] = Arn("environment/half" + id) });

        var specs = Path.Combine(_root, "specs");
        Write(specs, new Dictionary<string, string>
        {
            [$"environments/{env}.yaml"] = "proton: EnvironmentSpec\nspec:\n  ttl_attribute: ttl\n",
            [$"services/{svc}.yaml"] = $"proton: ServiceSpec\npipeline:\n  stage: build\ninstances:\n  - name: one\n    environment: {env}\n    spec:\n      greeting: hi\n  - name: two\n    environment: {env}\n    spec:\n      greeting: hi\n",
        });

        // Discover: the whole account, of which this test's stacks.
        using var inventory = new CloudFormationStackInventory(Moto.Connection(url));
        using var provisioner = new CloudFormationProvisioner(new CloudFormationProvisionerOptions(), Moto.Connection(url));
        var platform = new ProtonPlatform(new InMemoryProtonStore(), provisioner, new ProtonPlatformOptions { ArnTags = new ProtonArnTags { Region = "us-east-1" } });
        var migration = new ProtonMigration(platform, inventory);
        var all = await migration.DiscoverAsync();
        bool Mine(DiscoveredStack s) => s.StackName.Contains(id, StringComparison.Ordinal);
        var estate = new ProtonEstate
        {
            Environments = all.Environments.Where(e => Mine(e.Stack)).ToList(),
            Services = all.Services.Where(s => s.Name == svc).ToList(),
            Unclassified = all.Unclassified.Where(u => Mine(u.Stack)).ToList(),
        };
        Assert.Equal([env], estate.Environments.Select(e => e.Name));
        Assert.Equal(envOutputs, estate.Environments[0].Stack.Outputs);
        var discovered = Assert.Single(estate.Services);
        Assert.Equal(["one", "two"], discovered.Instances.Select(i => i.Name));
        Assert.Equal(pipelineStack, discovered.Pipeline!.Stack.StackName);
        Assert.Equal((halfStack, "proton:account is missing"), (Assert.Single(estate.Unclassified).Stack.StackName, estate.Unclassified[0].Reason));
        var before = (await inventory.ListStacksAsync()).Where(Mine).ToDictionary(s => s.StackName, s => (s.Status, s.LastUpdatedAt));
        Assert.Equal(5, before.Count);

        AdoptRequest Request(bool dryRun) => new() { TemplatesDirectory = templates, SpecsDirectory = specs, DryRun = dryRun, Estate = estate };
        string Outcomes(AdoptionReport r) => string.Join(", ", r.Results.Select(x => $"{x.Resource.Display}={x.Outcome} {x.TemplateVersion}"));
        var expected = $"environment/{env}=Adopted 1.0.0, service/{svc}/service-instance/one=Adopted 1.0.0, service/{svc}/service-instance/two=Differs 1.0.0, service/{svc}/pipeline=Adopted 1.0.0";

        var dry = await migration.AdoptAsync(Request(dryRun: true));
        Assert.Equal(expected, Outcomes(dry));
        Assert.Empty(await platform.ListEnvironmentsAsync());
        Assert.Empty(await platform.Registry.ListTemplatesAsync());
        Assert.Contains("Tags[0].Value: \"edited-by-hand\" -> \"hi\"", dry.Results.Single(r => r.Resource.Name == "two").DifferenceText, StringComparison.Ordinal);

        var real = await migration.AdoptAsync(Request(dryRun: false));
        Assert.Equal(expected, Outcomes(real));
        var adopted = (await platform.GetEnvironmentAsync(env))!;
        Assert.Equal((envStack, "1.0.0"), (adopted.StackName, adopted.TemplateVersion));
        Assert.Equal(envOutputs, adopted.Outputs);
        Assert.Equal($"AWSProton-{svc}-one-cloudformation-{id}", (await platform.GetServiceInstanceAsync(svc, "one"))!.StackName);
        Assert.Null(await platform.GetServiceInstanceAsync(svc, "two"));
        Assert.Equal(pipelineStack, (await platform.GetServiceAsync(svc))!.Pipeline!.StackName);

        // Nothing in the account changed: same statuses, same last-update times, no stack of ours.
        var after = (await inventory.ListStacksAsync()).Where(Mine).ToDictionary(s => s.StackName, s => (s.Status, s.LastUpdatedAt));
        Assert.Equal(before, after);
        Assert.DoesNotContain((await inventory.ListStacksAsync()).Select(s => s.StackName), n => n.StartsWith("proton-", StringComparison.Ordinal) && n.Contains(id, StringComparison.Ordinal));

        // The command line reads the same account (a separate process; both commands only read it here).
        var cli = Processes.Cli();
        var awsEnv = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test", ["AWS_REGION"] = "us-east-1" };
        var (exit, stdout, stderr) = await Processes.RunAsync(cli, ["migrate", "discover", "--endpoint-url", url, "--region", "us-east-1", "--output", "json"], _root, awsEnv);
        Assert.True(exit == 0, stderr);
        using (var discoveredJson = JsonDocument.Parse(stdout))
        {
            var resources = discoveredJson.RootElement.GetProperty("resources").EnumerateArray().Where(r => r.GetProperty("stack").GetString()!.Contains(id, StringComparison.Ordinal)).Select(r => r.GetProperty("resource").GetString()).ToList();
            Assert.Equal([$"environment/{env}", $"service/{svc}/service-instance/one", $"service/{svc}/service-instance/two", $"service/{svc}/pipeline"], resources);
            Assert.Contains(discoveredJson.RootElement.GetProperty("unclassified").EnumerateArray(), u => u.GetProperty("stack").GetString() == halfStack && u.GetProperty("reason").GetString() == "proton:account is missing");
        }

        (exit, stdout, stderr) = await Processes.RunAsync(cli, ["migrate", "adopt", "--templates", templates, "--specs", specs, "--dry-run", "--store", Path.Combine(_root, "cli-store"), "--endpoint-url", url, "--region", "us-east-1", "--output", "json"], _root, awsEnv);
        Assert.True(exit == 1, $"instance two differs, so the exit code is 1: {exit} {stderr}");
        using (var adoptJson = JsonDocument.Parse(stdout))
        {
            var outcomes = adoptJson.RootElement.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("stack").GetString()!.Contains(id, StringComparison.Ordinal)).Select(r => $"{r.GetProperty("resource").GetString()}={r.GetProperty("outcome").GetString()}").ToList();
            Assert.Equal([$"environment/{env}=Adopted", $"service/{svc}/service-instance/one=Adopted", $"service/{svc}/service-instance/two=Differs", $"service/{svc}/pipeline=Adopted"], outcomes);
        }

        Assert.False(Directory.Exists(Path.Combine(_root, "cli-store")), "a dry run writes no store");

        // A minor version (an optional input and an output), then MINOR_VERSION: a change set on the adopted stack, by its name.
        var minor = new Dictionary<string, string>(envFiles)
        {
            ["schema/schema.yaml"] = envFiles["schema/schema.yaml"] + "        note:\n          type: string\n          default: adopted\n",
            ["infrastructure/cloudformation.yaml"] = envFiles["infrastructure/cloudformation.yaml"].TrimEnd('\n') + "\n  Note:\n    Value: '{{ environment.inputs.note }}'\n",
        };
        Assert.Equal("1.1.0", (await platform.Registry.RegisterVersionAsync("lambda-env", new InMemoryBundleSource(minor))).Version.Version);
        await platform.Registry.PublishAsync("lambda-env", "1.1.0");
        var update = await platform.UpdateEnvironmentAsync(env, new UpdateRequest { UpdateType = DeploymentUpdateType.MinorVersion });
        Assert.Equal((DeploymentStatus.Succeeded, envStack), (update!.Status, update.StackName));
        Assert.Equal("1.1.0", (await platform.GetEnvironmentAsync(env))!.TemplateVersion);
        var updated = (await Moto.DescribeStacksAsync(url, envStack))[envStack]!.Value;
        Assert.Equal(("UPDATE_COMPLETE", "adopted"), (updated.Status, updated.Outputs["Note"]));
        Assert.Equal(5, (await inventory.ListStacksAsync()).Count(Mine));
        static string Sorted(IEnumerable<KeyValuePair<string, string>> tags) => string.Join(", ", tags.Where(t => t.Key.StartsWith("proton:", StringComparison.Ordinal)).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
        Assert.Equal(Sorted(envTags), Sorted((await inventory.ListStacksAsync()).Single(s => s.StackName == envStack).Tags)); // Proton's tags, as Proton wrote them
    }
}
