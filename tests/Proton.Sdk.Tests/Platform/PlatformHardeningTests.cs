using Microsoft.Extensions.Time.Testing;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using static Proton.Sdk.Tests.Platform.PlatformKit;

namespace Proton.Sdk.Tests.Platform;

/// <summary>State never gets stuck: failures at every step end terminal, leases protect live work, cancel works across processes.</summary>
public sealed class PlatformHardeningTests
{
    /// <summary>Throws from the n-th deploy call (1-based); counts calls.</summary>
    private sealed class ThrowingProvisioner(ScriptedProvisioner inner, int throwOnCall) : IProvisioner
    {
        private int _calls;

        public string Name => inner.Name;

        public Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
            => Interlocked.Increment(ref _calls) == throwOnCall ? throw new InvalidOperationException("the engine blew up") : inner.DeployAsync(request, progress, cancellationToken);

        public Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default) => inner.PlanAsync(request, cancellationToken);

        public Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default) => inner.DestroyAsync(stackName, progress, cancellationToken);

        public Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default) => inner.DescribeAsync(stackName, cancellationToken);
    }

    /// <summary>An engine that works from the bundle's files (as Terraform does): records what it gets.</summary>
    private sealed class FileEngineProvisioner : IProvisioner
    {
        public List<DeployRequest> Requests { get; } = [];

        public string Name => "file-engine";

        public Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
        {
            Requests.Add(request);
            return Task.FromResult(new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Succeeded, Outputs = new Dictionary<string, string> { ["files"] = request.Part!.Files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        }

        public Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default) => Task.FromResult(new StackPlan(request.StackName, false, []));

        public Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Deleted });

        public Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default) => Task.FromResult<StackDescription?>(null);
    }

    private static async Task<ProtonPlatform> PlatformAsync(IProtonStore store, IProvisioner provisioner, ProtonPlatformOptions? options = null, TimeProvider? time = null, string? serviceBundlePipeline = null)
    {
        var platform = new ProtonPlatform(store, provisioner, options, timeProvider: time);
        if (await platform.Registry.GetTemplateAsync("env") is null)
        {
            await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
            await platform.Registry.CreateTemplateAsync("svc", TemplateKind.Service);
            await RegisterAsync(platform, "env", Env(), "1.0.0");
            var service = Service();
            if (serviceBundlePipeline is not null)
            {
                var files = (await service.ReadFilesAsync(new BundleOptions())).ToDictionary(f => f.Path, f => f.Text);
                files["pipeline_infrastructure/cloudformation.yaml"] = serviceBundlePipeline;
                service = new InMemoryBundleSource(files);
            }

            await RegisterAsync(platform, "svc", service, "1.0.0", "env:1");
        }

        return platform;
    }

    private static async Task WaitForRequestsAsync(ScriptedProvisioner scripted, int count, Task running)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (scripted.Requests.Count < count)
        {
            Assert.False(running.IsCompleted, $"the deployment ended before it reached the provisioner: {running.Exception?.InnerException}");
            Assert.True(DateTime.UtcNow < deadline, "the deployment did not reach the provisioner within 30 s");
            await Task.Delay(5);
        }
    }

    private static async Task AssertNothingBusyAsync(ProtonPlatform platform, string service)
    {
        var s = await platform.GetServiceAsync(service);
        if (s is not null)
        {
            Assert.DoesNotContain("InProgress", s.Status.ToString(), StringComparison.Ordinal);
            Assert.False(s.Pipeline?.IsBusy ?? false);
        }

        Assert.All(await platform.ListServiceInstancesAsync(service), i => Assert.False(i.IsBusy, $"{i.Name} is {i.DeploymentStatus}"));
        Assert.All(await platform.ListDeploymentsAsync(), d => Assert.True(d.IsFinished, $"{d.Target} {d.Status}"));
    }

    [Theory]
    [InlineData(2)] // first instance
    [InlineData(3)] // second instance
    [InlineData(4)] // pipeline
    public async Task CreateService_ProvisionerThrowingAtEachStep_EndsTerminal_AndDeleteWorks(int throwOnCall)
    {
        var scripted = new ScriptedProvisioner();
        var platform = await PlatformAsync(new InMemoryProtonStore(), new ThrowingProvisioner(scripted, throwOnCall));
        Assert.Equal(DeploymentStatus.Succeeded, (await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env" })).Status);

        var result = await platform.CreateServiceAsync(new() { Name = "api", TemplateName = "svc", Spec = Spec(("a", "dev"), ("b", "dev")) });

        Assert.Equal(ServiceStatus.CreateFailed, result.Service!.Status);
        Assert.Contains("the engine blew up", result.Service.StatusMessage, StringComparison.Ordinal);
        await AssertNothingBusyAsync(platform, "api");
        var deleted = await platform.DeleteServiceAsync("api");
        Assert.Null(deleted.Service);
        Assert.Null(await platform.GetServiceAsync("api"));
    }

    [Fact]
    public async Task CreateService_PipelineThatFailsToRenderAfterInstancesDeployed_EndsCreateFailed_AndDeleteWorks()
    {
        // Placeholder outputs answer every name, so the pre-check passes; the real instance outputs lack Missing.
        var pipeline = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '{{ service_instances[0].outputs.Missing }}'\n";
        var scripted = new ScriptedProvisioner();
        var platform = await PlatformAsync(new InMemoryProtonStore(), scripted, serviceBundlePipeline: pipeline);
        await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env" });

        var ex = await Assert.ThrowsAsync<ProtonValidationException>(() => platform.CreateServiceAsync(new() { Name = "api", TemplateName = "svc", Spec = Spec(("a", "dev")) }));

        Assert.Equal(PlatformErrorCodes.RenderFailed, ex.ErrorCode);
        var service = (await platform.GetServiceAsync("api"))!;
        Assert.Equal(ServiceStatus.CreateFailed, service.Status);
        Assert.Contains("platform.render-failed", service.StatusMessage, StringComparison.Ordinal);
        await AssertNothingBusyAsync(platform, "api");
        Assert.Null((await platform.DeleteServiceAsync("api")).Service);
    }

    [Fact]
    public async Task CreateService_PipelineNeedingAnUnknownAccountId_IsRefusedBeforeAnyStack()
    {
        var pipeline = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: 'x-{{ service_instances[0].environment.account_id }}'\n";
        var scripted = new ScriptedProvisioner();
        var platform = await PlatformAsync(new InMemoryProtonStore(), scripted, serviceBundlePipeline: pipeline);
        await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env" });
        var deploysBefore = scripted.Requests.Count;

        var ex = await Assert.ThrowsAsync<ProtonValidationException>(() => platform.CreateServiceAsync(new() { Name = "api", TemplateName = "svc", Spec = Spec(("a", "dev")) }));

        Assert.Equal(PlatformErrorCodes.RenderFailed, ex.ErrorCode);
        Assert.Contains("account_id", ex.Diagnostics.Single().Message, StringComparison.Ordinal);
        Assert.Equal(deploysBefore, scripted.Requests.Count);
        Assert.Null(await platform.GetServiceAsync("api"));
    }

    [Fact]
    public async Task Reconcile_LeavesADeploymentRunningInAnotherProcess_AndCancelReachesItThroughTheRecord()
    {
        var store = new InMemoryProtonStore();
        var scripted = new ScriptedProvisioner();
        var options = new ProtonPlatformOptions { LeaseDuration = TimeSpan.FromSeconds(1) };
        var owner = await PlatformAsync(store, scripted, options);
        var other = await PlatformAsync(store, scripted, options);
        await owner.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env" });
        scripted.Hang["dev"] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = owner.UpdateEnvironmentAsync("dev", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion });
        await WaitForRequestsAsync(scripted, 2, running);

        var id = (await other.GetEnvironmentAsync("dev"))!.LastAttemptedDeploymentId!;
        Assert.Empty(await other.ReconcileAsync());
        var busy = await Assert.ThrowsAsync<PlatformException>(() => other.UpdateEnvironmentAsync("dev", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion }));
        Assert.Contains($"proton deployments cancel {id}", busy.Message, StringComparison.Ordinal);

        var cancelling = await other.CancelDeploymentAsync(id);

        Assert.Equal(DeploymentStatus.Cancelling, cancelling.Status);
        var finished = await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(DeploymentStatus.Cancelled, finished!.Status);
        Assert.Equal(DeploymentStatus.Cancelled, (await other.GetEnvironmentAsync("dev"))!.DeploymentStatus);
        scripted.Hang.TryRemove("dev", out _);
        Assert.Equal(DeploymentStatus.Succeeded, (await other.UpdateEnvironmentAsync("dev", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion }))!.Status);
    }

    [Fact]
    public async Task Cancel_OfADeploymentWhoseProcessDied_CompletesItFromTheStackAtOnce()
    {
        var store = new InMemoryProtonStore();
        var scripted = new ScriptedProvisioner();
        var dead = await PlatformAsync(store, scripted);
        await dead.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env" });
        scripted.Hang["dev"] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var orphan = dead.UpdateEnvironmentAsync("dev", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion });
        await WaitForRequestsAsync(scripted, 2, orphan);

        var env = (await dead.GetEnvironmentAsync("dev"))!;
        scripted.Stacks[env.StackName!] = scripted.Stacks[env.StackName!] with { State = StackState.RolledBack, EngineStatus = "UPDATE_ROLLBACK_COMPLETE" };
        var later = await PlatformAsync(store, scripted, time: new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5)));

        var cancelled = await later.CancelDeploymentAsync(env.LastAttemptedDeploymentId!);

        Assert.Equal(DeploymentStatus.Cancelled, cancelled.Status);
        Assert.Equal(DeploymentStatus.Cancelled, (await later.GetEnvironmentAsync("dev"))!.DeploymentStatus);
        await Assert.ThrowsAsync<PlatformException>(() => later.CancelDeploymentAsync(env.LastAttemptedDeploymentId!));
    }

    [Fact]
    public async Task Reconcile_ReleasesAServiceOperationWhoseProcessStopped()
    {
        var store = new InMemoryProtonStore();
        var scripted = new ScriptedProvisioner();
        var platform = await WithEnvAndServiceAsync(await PlatformAsync(store, scripted), "a");
        var service = (await platform.GetServiceAsync("api"))!;
        await store.PutAsync("services", "api", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(service with { Status = ServiceStatus.UpdateInProgress, Owner = "gone/1/x", LeaseExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) }, ProtonPlatform.Json), (await store.GetAsync("services", "api"))!.Revision);
        await Assert.ThrowsAsync<PlatformException>(() => platform.DeleteServiceAsync("api"));

        await platform.ReconcileAsync();

        var released = (await platform.GetServiceAsync("api"))!;
        Assert.Equal(ServiceStatus.UpdateFailed, released.Status);
        Assert.Contains("reconciled", released.StatusMessage, StringComparison.Ordinal);
        Assert.Null((await platform.DeleteServiceAsync("api")).Service);
    }

    [Fact]
    public async Task Reconcile_LeavesAServiceOperationWhoseLeaseHolds()
    {
        var store = new InMemoryProtonStore();
        var platform = await WithEnvAndServiceAsync(await PlatformAsync(store, new ScriptedProvisioner()), "a");
        var service = (await platform.GetServiceAsync("api"))!;
        await store.PutAsync("services", "api", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(service with { Status = ServiceStatus.UpdateInProgress, Owner = "alive/1/x", LeaseExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5) }, ProtonPlatform.Json), (await store.GetAsync("services", "api"))!.Revision);

        await platform.ReconcileAsync();

        Assert.Equal(ServiceStatus.UpdateInProgress, (await platform.GetServiceAsync("api"))!.Status);
    }

    [Fact]
    public async Task Rollback_OfADeploymentWithSecrets_NeedsThemAndSucceedsWithThem()
    {
        var scripted = new ScriptedProvisioner();
        var platform = await PlatformAsync(new InMemoryProtonStore(), scripted);
        await RegisterAsync(platform, "env", Env("db_password:\n  type: string\n  format: password\n  default: ''"), "1.1.0");
        var first = await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env", Inputs = new Dictionary<string, object?> { ["db_password"] = "first-secret", ["vpc_cidr"] = "10.1.0.0/16" } });
        await platform.UpdateEnvironmentAsync("dev", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion, Inputs = new Dictionary<string, object?> { ["db_password"] = "second-secret", ["vpc_cidr"] = "10.2.0.0/16" } });

        var refused = await Assert.ThrowsAsync<PlatformException>(() => platform.RollbackAsync(first.Id));
        Assert.Equal(PlatformErrorCodes.SecretRequired, refused.ErrorCode);

        var rollback = await platform.RollbackAsync(first.Id, new Dictionary<string, object?> { ["db_password"] = "first-secret" });

        Assert.Equal(DeploymentStatus.Succeeded, rollback.Status);
        Assert.Equal(first.Id, rollback.RollbackOf);
        Assert.Equal("10.1.0.0/16", (await platform.GetEnvironmentAsync("dev"))!.Inputs["vpc_cidr"]);
        Assert.Contains("first-secret", scripted.Requests[^1].SecretValues);
        Assert.DoesNotContain("first-secret", System.Text.Json.JsonSerializer.Serialize(await platform.ListDeploymentsAsync(), ProtonPlatform.Json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateEnvironment_NoneWithAccountId_RecordsIt_AndInstancesRefuseIt()
    {
        var platform = await WithEnvAndServiceAsync(await PlatformAsync(new InMemoryProtonStore(), new ScriptedProvisioner()), "a");

        Assert.Null(await platform.UpdateEnvironmentAsync("dev", new UpdateRequest { UpdateType = DeploymentUpdateType.None, AccountId = "210987654321" }));

        Assert.Equal("210987654321", (await platform.GetEnvironmentAsync("dev"))!.AccountId);
        var wrong = await Assert.ThrowsAsync<PlatformException>(() => platform.UpdateEnvironmentAsync("dev", new UpdateRequest { UpdateType = DeploymentUpdateType.None, AccountId = "12" }));
        Assert.Equal(PlatformErrorCodes.InvalidUpdate, wrong.ErrorCode);
        var instance = await Assert.ThrowsAsync<PlatformException>(() => platform.UpdateServiceInstanceAsync("api", "a", new UpdateRequest { UpdateType = DeploymentUpdateType.None, AccountId = "210987654321" }));
        Assert.Contains("belongs to the environment", instance.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateEnvironment_DeployWithAccountId_RendersWithIt_AndKeepsItOnlyOnSuccess()
    {
        var scripted = new ScriptedProvisioner();
        var platform = await PlatformAsync(new InMemoryProtonStore(), scripted);
        await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env", AccountId = "111111111111" });
        scripted.FailNext["dev"] = 1;

        var failed = await platform.UpdateEnvironmentAsync("dev", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion, AccountId = "222222222222" });
        Assert.Equal(DeploymentStatus.Failed, failed!.Status);
        Assert.Equal("111111111111", (await platform.GetEnvironmentAsync("dev"))!.AccountId);

        var ok = await platform.UpdateEnvironmentAsync("dev", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion, AccountId = "222222222222" });
        Assert.Equal(DeploymentStatus.Succeeded, ok!.Status);
        Assert.Equal("222222222222", (await platform.GetEnvironmentAsync("dev"))!.AccountId);
        Assert.Equal("222222222222", ((IReadOnlyDictionary<string, object?>)scripted.Requests[^1].Variables["environment"]!)["account_id"]);
    }

    [Fact]
    public async Task DamagedVersionInARecord_IsATypedErrorNamingTheResource()
    {
        var store = new InMemoryProtonStore();
        var platform = await WithEnvAndServiceAsync(await PlatformAsync(store, new ScriptedProvisioner()), "a");
        var raw = (await store.GetAsync("environments", "dev"))!;
        var env = (await platform.GetEnvironmentAsync("dev"))! with { TemplateVersion = "not-a-version" };
        // Through the record repository, so the template index holds the damaged version as the record does.
        await new PlatformRecords(store).PutAsync("environments", "dev", env, raw.Revision, default);

        var summary = await Assert.ThrowsAsync<PlatformException>(() => platform.GetSummaryAsync());
        var plan = await Assert.ThrowsAsync<PlatformException>(() => platform.PlanUpgradeAsync("env"));

        Assert.Equal(PlatformErrorCodes.InvalidVersion, summary.ErrorCode);
        Assert.Contains("dev", summary.Message, StringComparison.Ordinal);
        Assert.Contains("not-a-version", plan.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provisioner_IsChosenFromTheBundleManifest()
    {
        var terraform = new InMemoryBundleSource(new Dictionary<string, string>
        {
            ["schema/schema.yaml"] = Infrastructure.TestSchemas.Environment("name_prefix:\n  type: string\n  default: demo"),
            ["infrastructure/manifest.yaml"] = "infrastructure:\n  templates:\n    - file: \"*\"\n      rendering_engine: hcl\n      template_language: terraform\n",
            ["infrastructure/main.tf"] = "resource \"terraform_data\" \"x\" {\n  input = var.environment.inputs.name_prefix\n}\n",
        });
        var options = new ProtonPlatformOptions();
        var platform = new ProtonPlatform(new InMemoryProtonStore(), new ScriptedProvisioner(), options);
        await platform.Registry.CreateTemplateAsync("tf-env", TemplateKind.Environment);
        await RegisterAsync(platform, "tf-env", terraform, "1.0.0");

        var refused = await Assert.ThrowsAsync<PlatformException>(() => platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "tf-env" }));
        Assert.Equal(PlatformErrorCodes.UnsupportedProvisioning, refused.ErrorCode);
        Assert.Null(await platform.GetEnvironmentAsync("dev"));
        Assert.Empty(await platform.ListDeploymentsAsync());

        var tf = new FileEngineProvisioner();
        options.Provisioners[ProvisioningMethod.Terraform] = tf;
        var created = await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "tf-env" });

        Assert.Equal(DeploymentStatus.Succeeded, created.Status);
        var request = Assert.Single(tf.Requests);
        Assert.Equal("file-engine", created.Provisioner);
        Assert.Equal(string.Empty, request.TemplateBody);
        Assert.Contains(request.Part!.Files, f => f.Path.EndsWith("main.tf", StringComparison.Ordinal));
        Assert.Equal("demo", ((IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)request.Variables["environment"]!)["inputs"]!)["name_prefix"]);
    }

    [Fact]
    public async Task PipelineReadingASecretInstanceInput_IsRefused_NeverDeploysTheMask()
    {
        var pipeline = "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '{{ service_instances[0].inputs.api_key }}'\n";
        var scripted = new ScriptedProvisioner();
        var platform = new ProtonPlatform(new InMemoryProtonStore(), scripted);
        await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
        await platform.Registry.CreateTemplateAsync("svc", TemplateKind.Service);
        await RegisterAsync(platform, "env", Env(), "1.0.0");
        var files = (await Service(extraProperties: "api_key:\n  type: string\n  format: password\n  default: ''").ReadFilesAsync(new BundleOptions())).ToDictionary(f => f.Path, f => f.Text);
        files["pipeline_infrastructure/cloudformation.yaml"] = pipeline;
        await RegisterAsync(platform, "svc", new InMemoryBundleSource(files), "1.0.0", "env:1");
        await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env" });
        var spec = new ServiceSpec { Instances = [new ServiceInstanceSpec("a", "dev", new Dictionary<string, object?> { ["api_key"] = "the-real-key" })] };
        var deploysBefore = scripted.Requests.Count;

        var ex = await Assert.ThrowsAsync<PlatformException>(() => platform.CreateServiceAsync(new() { Name = "api", TemplateName = "svc", Spec = spec }));

        Assert.Equal(deploysBefore, scripted.Requests.Count);
        Assert.Null(await platform.GetServiceAsync("api"));

        Assert.Equal(PlatformErrorCodes.SecretRequired, ex.ErrorCode);
        Assert.Contains("a.api_key", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(scripted.Requests, r => r.TemplateBody.Contains(Proton.Sdk.Schema.InputValues.Mask, StringComparison.Ordinal));
    }
}
