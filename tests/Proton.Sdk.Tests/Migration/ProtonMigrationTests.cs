using Proton.Sdk.Migration;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Rendering;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Tests.Infrastructure;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Tests.Migration;

/// <summary>
/// Adoption of a Proton estate, offline: the corpus's load-balanced Fargate bundles (Proton's template-sync layout) render
/// the "deployed" templates with the corpus specs; a fake inventory serves them as Proton's stacks (AWSProton-..., ARN
/// tags); adoption proves and records them, a dry run records nothing, drift is reported and adopted only when accepted,
/// and the first update deploys to the adopted stack's own name.
/// </summary>
public sealed class ProtonMigrationTests : IDisposable
{
    private const string Account = "123456789012";
    private readonly string _root = Directory.CreateTempSubdirectory("proton-migrate-").FullName;

    private static string Sample => Path.Combine(Corpus.Bundles, "aws-samples+aws-proton-cloudformation-sample-templates", "loadbalanced-fargate-svc");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Arn(string resource) => $"arn:aws:proton:us-east-1:{Account}:{resource}";

    private static DiscoveredStack Stack(string name, IReadOnlyDictionary<string, string> outputs, params (string Key, string Value)[] tags) => new()
    {
        StackName = name,
        StackId = $"arn:aws:cloudformation:us-east-1:{Account}:stack/{name}/1",
        Status = "CREATE_COMPLETE",
        Tags = tags.Append(("proton:account", Account)).ToDictionary(t => t.Item1, t => t.Item2),
        Outputs = outputs,
        RoleArn = $"arn:aws:iam::{Account}:role/proton-cfn",
        CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    /// <summary>What Proton left: stacks rendered by a scratch platform from the corpus bundles and specs, renamed and re-tagged as Proton did.</summary>
    private async Task<FakeInventory> ProtonEstateAsync()
    {
        var scratchStacks = Path.Combine(_root, "scratch-stacks");
        var scratch = new ProtonPlatform(new InMemoryProtonStore(), new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = scratchStacks }), new ProtonPlatformOptions { DefaultAccountId = Account });
        await scratch.Registry.CreateTemplateAsync("loadbalanced-fargate-env", TemplateKind.Environment);
        await scratch.Registry.CreateTemplateAsync("loadbalanced-fargate-svc", TemplateKind.Service);
        await scratch.Registry.RegisterVersionAsync("loadbalanced-fargate-env", new DirectoryBundleSource(Path.Combine(Sample, "loadbalanced-fargate-env", "v1")));
        await scratch.Registry.RegisterVersionAsync("loadbalanced-fargate-svc", new DirectoryBundleSource(Path.Combine(Sample, "loadbalanced-fargate-svc", "v1")));
        await scratch.Registry.PublishAsync("loadbalanced-fargate-env", "1.0.0");
        await scratch.Registry.PublishAsync("loadbalanced-fargate-svc", "1.0.0");
        var envSpec = (EnvironmentSpec)(await SpecParser.ParseFileAsync(Path.Combine(Sample, "specs", "env-spec.yaml"))).GetSpecOrThrow();
        var svcSpec = (ServiceSpec)(await SpecParser.ParseFileAsync(Path.Combine(Sample, "specs", "svc-spec.yaml"))).GetSpecOrThrow();
        await scratch.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "Beta", TemplateName = "loadbalanced-fargate-env", Inputs = envSpec.Spec });
        var created = await scratch.CreateServiceAsync(new CreateServiceRequest { Name = "frontend", TemplateName = "loadbalanced-fargate-svc", Spec = svcSpec, RepositoryId = "org/frontend", BranchName = "main", RepositoryConnectionArn = $"arn:aws:codestar-connections:us-east-1:{Account}:connection/x" });
        Assert.True(created.Succeeded);
        var env = (await scratch.GetEnvironmentAsync("Beta"))!;
        var instance = (await scratch.GetServiceInstanceAsync("frontend", "frontend-dev"))!;
        var pipeline = (await scratch.GetServiceAsync("frontend"))!.Pipeline!;
        string Body(string stack) => File.ReadAllText(Path.Combine(scratchStacks, stack, "template.yaml"));

        var envTags = new[] { ("proton:template", Arn("environment-template/loadbalanced-fargate-env")), ("proton:environment", Arn("environment/Beta")) };
        var svcTemplate = ("proton:template", Arn("service-template/loadbalanced-fargate-svc"));
        var inventory = new FakeInventory();
        inventory.Add(Stack("AWSProton-Beta-cloudformation-A1", env.Outputs, envTags), Body(env.StackName!));
        inventory.Add(Stack("AWSProton-frontend-frontend-dev-cloudformation-B2", instance.Outputs, svcTemplate, ("proton:environment", Arn("environment/Beta")), ("proton:service", Arn("service/frontend")), ("proton:service-instance", Arn("service/frontend/service-instance/frontend-dev"))), Body(instance.StackName!));
        inventory.Add(Stack("AWSProton-frontend-cloudformation-C3", pipeline.Outputs, svcTemplate, ("proton:service", Arn("service/frontend"))), Body(pipeline.StackName!));

        // Drift: an environment whose deployed template was edited by hand after Proton deployed it.
        inventory.Add(Stack("AWSProton-Drifted-cloudformation-D4", env.Outputs, envTags[0], ("proton:environment", Arn("environment/Drifted"))), Body(env.StackName!).Replace("CIDR: '10.0.0.0/16'", "CIDR: '10.9.0.0/16'", StringComparison.Ordinal).Replace("EnableDnsHostnames: true", "EnableDnsHostnames: false", StringComparison.Ordinal));

        // No spec file for this one; and one stack with Proton's tags but no proton:template.
        inventory.Add(Stack("AWSProton-Gamma-cloudformation-E5", env.Outputs, envTags[0], ("proton:environment", Arn("environment/Gamma"))), Body(env.StackName!));
        inventory.Add(Stack("AWSProton-Half-cloudformation-F6", env.Outputs, ("proton:environment", Arn("environment/Half"))), Body(env.StackName!));

        var specs = Path.Combine(_root, "specs");
        Directory.CreateDirectory(Path.Combine(specs, "environments"));
        Directory.CreateDirectory(Path.Combine(specs, "services"));
        File.Copy(Path.Combine(Sample, "specs", "env-spec.yaml"), Path.Combine(specs, "environments", "Beta.yaml"));
        File.Copy(Path.Combine(Sample, "specs", "env-spec.yaml"), Path.Combine(specs, "environments", "Drifted.yaml"));
        File.Copy(Path.Combine(Sample, "specs", "svc-spec.yaml"), Path.Combine(specs, "services", "frontend.yaml"));
        return inventory;
    }

    private AdoptRequest Request(bool dryRun, bool acceptDrift = false) => new()
    {
        TemplatesDirectory = Sample,
        SpecsDirectory = Path.Combine(_root, "specs"),
        DryRun = dryRun,
        AcceptDrift = acceptDrift,
        Services = [new ServiceInfo("frontend") { RepositoryId = "org/frontend", BranchName = "main", RepositoryConnectionArn = $"arn:aws:codestar-connections:us-east-1:{Account}:connection/x" }],
    };

    [Fact]
    public async Task Adopt_DryRunThenReal_ProvesByRendering_RecordsExistingStacks_ThenUpdatesTheSameStack()
    {
        var inventory = await ProtonEstateAsync();
        var stacks = Path.Combine(_root, "stacks");
        var platform = new ProtonPlatform(new FileSystemProtonStore(Path.Combine(_root, "store")), new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = stacks }));
        var migration = new ProtonMigration(platform, inventory);

        var estate = await migration.DiscoverAsync();
        Assert.Equal(["Beta", "Drifted", "Gamma"], estate.Environments.Select(e => e.Name));
        Assert.Equal("AWSProton-Half-cloudformation-F6", Assert.Single(estate.Unclassified).Stack.StackName);
        Assert.Equal("proton:template is missing", estate.Unclassified[0].Reason);

        var dry = await migration.AdoptAsync(Request(dryRun: true));
        string Outcome(AdoptionReport r, string display) => $"{r.Results.Single(x => x.Resource.Display == display).Outcome} {r.Results.Single(x => x.Resource.Display == display).TemplateVersion}";
        Assert.Equal("Adopted 1.0.0", Outcome(dry, "environment/Beta"));
        Assert.Equal("Adopted 1.0.0", Outcome(dry, "service/frontend/service-instance/frontend-dev"));
        Assert.Equal("Adopted 1.0.0", Outcome(dry, "service/frontend/pipeline"));
        Assert.Equal("Differs 1.0.0", Outcome(dry, "environment/Drifted"));
        Assert.Equal("NotAdoptable ", Outcome(dry, "environment/Gamma"));
        Assert.Equal(["loadbalanced-fargate-env@1.0.0", "loadbalanced-fargate-svc@1.0.0"], dry.TemplateVersions);
        Assert.Empty(await platform.Registry.ListTemplatesAsync());
        Assert.Empty(await platform.ListEnvironmentsAsync());
        Assert.Empty(await platform.ListServicesAsync());

        var drift = dry.Results.Single(r => r.Resource.Name == "Drifted");
        Assert.Contains("Resources.VPC (AWS::EC2::VPC)\n  ~ Properties.EnableDnsHostnames: false -> true", drift.DifferenceText, StringComparison.Ordinal);
        Assert.Contains("Mappings.SubnetConfig\n  ~ VPC.CIDR: \"10.9.0.0/16\" -> \"10.0.0.0/16\"", drift.DifferenceText, StringComparison.Ordinal);
        Assert.Equal(2, drift.Differences.Count);
        var gamma = dry.Results.Single(r => r.Resource.Name == "Gamma");
        Assert.Contains("no spec file", gamma.Reason, StringComparison.Ordinal);
        Assert.Contains("proton: EnvironmentSpec", gamma.SpecDraft, StringComparison.Ordinal);
        Assert.Contains("vpc_cidr: \"10.0.0.0/16\"  # default", gamma.SpecDraft, StringComparison.Ordinal);
        Assert.True(SpecParser.Parse(gamma.SpecDraft!).Succeeded);

        var real = await migration.AdoptAsync(Request(dryRun: false));
        Assert.Equal("Adopted 1.0.0", Outcome(real, "environment/Beta"));
        Assert.Equal("Differs 1.0.0", Outcome(real, "environment/Drifted"));
        var beta = (await platform.GetEnvironmentAsync("Beta"))!;
        Assert.Equal(("AWSProton-Beta-cloudformation-A1", "1.0.0", EnvironmentProvisioning.ImportedStack, Account), (beta.StackName, beta.TemplateVersion, beta.Provisioning, beta.AccountId));
        Assert.Equal(inventory.Stacks["AWSProton-Beta-cloudformation-A1"].Outputs, beta.Outputs);
        Assert.Null(await platform.GetEnvironmentAsync("Drifted"));
        var instance = (await platform.GetServiceInstanceAsync("frontend", "frontend-dev"))!;
        Assert.Equal(("AWSProton-frontend-frontend-dev-cloudformation-B2", "Beta"), (instance.StackName, instance.EnvironmentName));
        Assert.Equal("AWSProton-frontend-cloudformation-C3", (await platform.GetServiceAsync("frontend"))!.Pipeline!.StackName);
        var deployment = (await platform.GetDeploymentAsync(real.Results.Single(r => r.Resource.Name == "Beta").DeploymentId!))!;
        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        Assert.Contains("adopted from AWS Proton: stack AWSProton-Beta-cloudformation-A1, loadbalanced-fargate-env 1.0.0, exact match", deployment.StatusMessage, StringComparison.Ordinal);
        Assert.Equal(TemplateVersionStatus.Published, (await platform.Registry.GetVersionAsync("loadbalanced-fargate-env", "1.0.0"))!.Status);
        Assert.False(Directory.Exists(stacks)); // adoption deployed nothing

        // Drift is adopted only when accepted; what is recorded already is not recorded twice.
        var accepted = await migration.AdoptAsync(Request(dryRun: false, acceptDrift: true));
        Assert.Equal("AdoptedWithDrift 1.0.0", Outcome(accepted, "environment/Drifted"));
        Assert.Contains("already recorded", accepted.Results.Single(r => r.Resource.Name == "Beta").Reason, StringComparison.Ordinal);
        Assert.Equal("AWSProton-Drifted-cloudformation-D4", (await platform.GetEnvironmentAsync("Drifted"))!.StackName);

        // The first update deploys to the adopted stack, by its name.
        var update = await platform.UpdateEnvironmentAsync("Beta", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion });
        Assert.Equal((DeploymentStatus.Succeeded, "AWSProton-Beta-cloudformation-A1"), (update!.Status, update.StackName));
        Assert.Equal(["AWSProton-Beta-cloudformation-A1"], Directory.GetDirectories(stacks).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Adopt_Rerun_AdoptsWhatTheFirstRunCouldNot_IntoTheRecordedService()
    {
        var inventory = await ProtonEstateAsync();
        const string PipelineStack = "AWSProton-frontend-cloudformation-C3";
        var stable = inventory.Stacks[PipelineStack];
        inventory.Stacks[PipelineStack] = stable with { Status = "UPDATE_ROLLBACK_FAILED" };
        var platform = new ProtonPlatform(new FileSystemProtonStore(Path.Combine(_root, "store")), new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = Path.Combine(_root, "stacks") }));
        var migration = new ProtonMigration(platform, inventory);

        var first = await migration.AdoptAsync(Request(dryRun: false));
        Assert.Equal(AdoptionOutcome.Adopted, first.Results.Single(r => r.Resource.Display == "service/frontend/service-instance/frontend-dev").Outcome);
        var pipelineResult = first.Results.Single(r => r.Resource.Display == "service/frontend/pipeline");
        Assert.Equal(AdoptionOutcome.NotAdoptable, pipelineResult.Outcome);
        Assert.Contains("UPDATE_ROLLBACK_FAILED", pipelineResult.Reason, StringComparison.Ordinal);
        Assert.Null((await platform.GetServiceAsync("frontend"))!.Pipeline);

        // The stack is repaired by hand; the rerun adopts the pipeline into the service the first run recorded.
        inventory.Stacks[PipelineStack] = stable;
        var second = await migration.AdoptAsync(Request(dryRun: false));
        var adopted = second.Results.Single(r => r.Resource.Display == "service/frontend/pipeline");
        Assert.Equal((AdoptionOutcome.Adopted, "1.0.0"), (adopted.Outcome, adopted.TemplateVersion));
        var instanceAgain = second.Results.Single(r => r.Resource.Display == "service/frontend/service-instance/frontend-dev");
        Assert.Equal(AdoptionOutcome.NotAdoptable, instanceAgain.Outcome);
        Assert.Contains("already recorded", instanceAgain.Reason, StringComparison.Ordinal);
        var service = (await platform.GetServiceAsync("frontend"))!;
        Assert.Equal(PipelineStack, service.Pipeline!.StackName);
        Assert.Equal(DeploymentStatus.Succeeded, service.Pipeline.DeploymentStatus);
        Assert.Equal(adopted.DeploymentId, service.Pipeline.LastSucceededDeploymentId);
        Assert.Single(await platform.ListServiceInstancesAsync("frontend"));

        // A third run finds everything recorded and writes nothing.
        var third = await migration.AdoptAsync(Request(dryRun: false));
        Assert.All(third.Results.Where(r => r.Resource.Display.StartsWith("service/frontend", StringComparison.Ordinal)), r => Assert.Contains("already recorded", r.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ArnTagsAndAWSProtonPrefix_GiveNewStacksProtonsNamesAndTags()
    {
        var stacks = Path.Combine(_root, "arn-stacks");
        var options = new ProtonPlatformOptions { DefaultAccountId = Account, StackNamePrefix = "AWSProton", ArnTags = new ProtonArnTags { Region = "eu-west-1" } };
        var platform = new ProtonPlatform(new InMemoryProtonStore(), new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = stacks }), options);
        await platform.Registry.CreateTemplateAsync("loadbalanced-fargate-env", TemplateKind.Environment);
        await platform.Registry.RegisterVersionAsync("loadbalanced-fargate-env", new DirectoryBundleSource(Path.Combine(Sample, "loadbalanced-fargate-env", "v1")));
        await platform.Registry.PublishAsync("loadbalanced-fargate-env", "1.0.0");

        await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "loadbalanced-fargate-env" });

        var stack = (await platform.GetEnvironmentAsync("dev"))!.StackName!;
        Assert.StartsWith("AWSProton-dev-", stack, StringComparison.Ordinal);
        var tags = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(Path.Combine(stacks, stack, "tags.json")))!;
        Assert.Equal(Account, tags["proton:account"]);
        Assert.Equal($"arn:aws:proton:eu-west-1:{Account}:environment/dev", tags["proton:environment"]);
        Assert.Equal($"arn:aws:proton:eu-west-1:{Account}:environment-template/loadbalanced-fargate-env", tags["proton:template"]);
        var estate = ProtonEstate.Group([new DiscoveredStack { StackName = stack, Status = "CREATE_COMPLETE", Tags = tags }]);
        Assert.Equal("dev", Assert.Single(estate.Environments).Name); // what the SDK writes, discovery reads
    }

    [Fact]
    public async Task Adopt_StackWithoutATemplateBody_IsNotAdoptable_EvenAcceptingDrift()
    {
        var inventory = await ProtonEstateAsync();
        inventory.Bodies["AWSProton-Beta-cloudformation-A1"] = string.Empty;
        var platform = new ProtonPlatform(new InMemoryProtonStore(), new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = Path.Combine(_root, "empty-body") }));

        var report = await new ProtonMigration(platform, inventory).AdoptAsync(Request(dryRun: false, acceptDrift: true));

        var beta = report.Results.Single(r => r.Resource.Display == "environment/Beta");
        Assert.Equal(AdoptionOutcome.NotAdoptable, beta.Outcome);
        Assert.Contains("no template body", beta.Reason, StringComparison.Ordinal);
        Assert.Null(await platform.GetEnvironmentAsync("Beta"));
    }

    [Fact]
    public async Task Adopt_RecordWrittenButItsIndexNot_LeavesNothingHalfAdopted()
    {
        var inventory = await ProtonEstateAsync();
        var store = new OneIndexWriteFails();
        var platform = new ProtonPlatform(store, new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = Path.Combine(_root, "half") }));
        var migration = new ProtonMigration(platform, inventory);
        await migration.AdoptAsync(Request(dryRun: true)); // registers the templates; records nothing
        store.Armed = true;

        await Assert.ThrowsAsync<IOException>(() => migration.AdoptAsync(Request(dryRun: false)));

        Assert.False(store.Armed); // the failure happened: the environment record landed, its index entry did not
        Assert.Empty(await platform.ListEnvironmentsAsync());
        Assert.Empty(await platform.ListDeploymentsAsync());
    }

    /// <summary>An in-memory store whose first template-index write, once armed, fails after the record before it landed.</summary>
    private sealed class OneIndexWriteFails : IProtonStore
    {
        private readonly InMemoryProtonStore _inner = new();

        public bool Armed { get; set; }

        public ValueTask<StoredRecord?> GetAsync(string collection, string key, CancellationToken cancellationToken = default) => _inner.GetAsync(collection, key, cancellationToken);

        public ValueTask<IReadOnlyList<StoredRecord>> ListAsync(string collection, string? keyPrefix = null, CancellationToken cancellationToken = default) => _inner.ListAsync(collection, keyPrefix, cancellationToken);

        public ValueTask<StoredRecord> PutAsync(string collection, string key, ReadOnlyMemory<byte> document, string? expectedRevision, CancellationToken cancellationToken = default)
        {
            if (Armed && collection == PlatformRecords.TemplateIndex)
            {
                Armed = false;
                throw new IOException("crash before the index write");
            }

            return _inner.PutAsync(collection, key, document, expectedRevision, cancellationToken);
        }

        public ValueTask DeleteAsync(string collection, string key, string expectedRevision, CancellationToken cancellationToken = default) => _inner.DeleteAsync(collection, key, expectedRevision, cancellationToken);

        public ValueTask<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => _inner.PutBlobAsync(content, cancellationToken);

        public ValueTask<ReadOnlyMemory<byte>?> GetBlobAsync(string hash, CancellationToken cancellationToken = default) => _inner.GetBlobAsync(hash, cancellationToken);
    }

    [Fact]
    public async Task Adopt_MissingSpecsFolder_IsATypedError()
    {
        var platform = new ProtonPlatform(new InMemoryProtonStore(), new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = Path.Combine(_root, "s") }));
        var ex = await Assert.ThrowsAsync<PlatformException>(() => new ProtonMigration(platform, new FakeInventory()).AdoptAsync(new AdoptRequest { SpecsDirectory = Path.Combine(_root, "nope") }));
        Assert.Equal(PlatformErrorCodes.InvalidImport, ex.ErrorCode);
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyncLayout_MapsVersionFoldersToSemVer()
    {
        Directory.CreateDirectory(Path.Combine(_root, "t", "sub", "vpc", "v1"));
        Directory.CreateDirectory(Path.Combine(_root, "t", "sub", "vpc", "v2.3"));
        Directory.CreateDirectory(Path.Combine(_root, "t", "web", "v10"));
        Directory.CreateDirectory(Path.Combine(_root, "t", "web", "notaversion"));

        var found = ProtonMigration.SyncLayout(Path.Combine(_root, "t"));

        Assert.Equal(["vpc 1.0.0", "vpc 2.3.0", "web 10.0.0"], found.Select(f => $"{f.Template} {f.Version}"));
    }

    private sealed class FakeInventory : IStackInventory
    {
        public Dictionary<string, DiscoveredStack> Stacks { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Bodies { get; } = new(StringComparer.Ordinal);

        public void Add(DiscoveredStack stack, string body)
        {
            Stacks[stack.StackName] = stack;
            Bodies[stack.StackName] = body;
        }

        public Task<IReadOnlyList<DiscoveredStack>> ListStacksAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<DiscoveredStack>>(Stacks.Values.ToList());

        public Task<string> GetTemplateBodyAsync(string stackName, CancellationToken cancellationToken = default) => Task.FromResult(Bodies[stackName]);
    }
}
