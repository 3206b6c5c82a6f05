using Microsoft.Extensions.Time.Testing;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Templates;
using static Proton.Sdk.Tests.Platform.PlatformKit;

namespace Proton.Sdk.Tests.Platform;

public sealed class PlatformScenarioTests
{
    private static UpdateRequest Update(DeploymentUpdateType type, string? version = null, Dictionary<string, object?>? inputs = null)
        => new() { UpdateType = type, TemplateVersion = version, Inputs = inputs };

    [Fact]
    public async Task CreateEnvironment_RecommendedVersion_DeploysAndRecordsEverything()
    {
        var (platform, provisioner, _) = await NewAsync();
        await RegisterAsync(platform, "env", Env("tier:\n  type: string\n  default: a"), "1.1.0");
        var events = new List<DeploymentProgress>();
        var progress = new SyncProgress<DeploymentProgress>(events.Add);

        var d = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env", Inputs = new Dictionary<string, object?> { ["vpc_cidr"] = "10.1.0.0/16" } }, progress);

        Assert.Equal(DeploymentStatus.Succeeded, d.Status);
        Assert.Equal("1.1.0", d.TargetState!.TemplateVersion);
        Assert.Null(d.InitialState);
        Assert.Equal("10.1.0.0/16", d.TargetState.Inputs["vpc_cidr"]);
        Assert.Equal("a", d.TargetState.Inputs["tier"]);
        var env = (await platform.GetEnvironmentAsync("dev"))!;
        Assert.Equal((DeploymentStatus.Succeeded, d.Id, d.Id, "1.1.0"), (env.DeploymentStatus, env.LastAttemptedDeploymentId, env.LastSucceededDeploymentId, env.TemplateVersion));
        Assert.Equal(provisioner.Stacks[env.StackName!].Outputs["Body"], env.Outputs["Body"]);
        Assert.Contains("CidrBlock: '10.1.0.0/16'", provisioner.Requests.Single().TemplateBody, StringComparison.Ordinal);
        Assert.Equal("dev", provisioner.Requests.Single().Tags["proton:environment"]);
        Assert.Equal(d.Id, provisioner.Requests.Single().DeploymentId);
        Assert.Contains(events, e => e.Event is not null && e.DeploymentId == d.Id);
        Assert.NotNull(d.CompletedAt);
        Assert.Equal([d.Id], (await platform.ListDeploymentsAsync(environmentName: "dev")).Select(x => x.Id));
    }

    [Fact]
    public async Task CreateEnvironment_Refusals_NameTheRule()
    {
        var (platform, _, _) = await NewAsync();
        await RegisterAsync(platform, "env", Env("x:\n  type: string\n  default: a"), "1.1.0", publish: false);
        await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env" });

        async Task<string> Code(CreateEnvironmentRequest r) => (await Assert.ThrowsAnyAsync<ProtonException>(() => platform.CreateEnvironmentAsync(r))).ErrorCode;

        Assert.Equal("platform.already-exists", await Code(new() { Name = "dev", TemplateName = "env" }));
        Assert.Equal("platform.version-unavailable", await Code(new() { Name = "qa", TemplateName = "env", TemplateVersion = "1.1.0" }));
        Assert.Equal("platform.template-not-found", await Code(new() { Name = "qa", TemplateName = "nope" }));
        Assert.Equal("platform.wrong-template-kind", await Code(new() { Name = "qa", TemplateName = "svc" }));
        Assert.Equal("platform.invalid-name", await Code(new() { Name = "bad name", TemplateName = "env" }));
        var invalid = await Assert.ThrowsAsync<ProtonValidationException>(() => platform.CreateEnvironmentAsync(new() { Name = "qa", TemplateName = "env", Inputs = new Dictionary<string, object?> { ["vpc_cidr"] = "abc", ["nope"] = 1L } }));
        Assert.Equal(["spec.nope", "spec.vpc_cidr"], invalid.Diagnostics.Select(x => x.Path!).Order().ToArray());
        Assert.Null(await platform.GetEnvironmentAsync("qa"));
        Assert.Single(await platform.ListDeploymentsAsync());
    }

    [Fact]
    public async Task CreateEnvironment_DeprecatedVersion_RefusedForNewResources()
    {
        var (platform, _, _) = await NewAsync();
        await platform.Registry.DeprecateAsync("env", "1.0.0");

        var ex = await Assert.ThrowsAsync<PlatformException>(() => platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env", TemplateVersion = "1.0.0" }));

        Assert.Equal("platform.version-unavailable", ex.ErrorCode);
        Assert.Contains("1.0.0 (Deprecated)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateEnvironment_EveryDeploymentType()
    {
        var (platform, provisioner, _) = await NewAsync();
        await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env", Description = "a" });

        Assert.Null(await platform.UpdateEnvironmentAsync("dev", new UpdateRequest { UpdateType = DeploymentUpdateType.None, Description = "b" }));
        Assert.Equal("b", (await platform.GetEnvironmentAsync("dev"))!.Description);
        Assert.Single(provisioner.Requests);

        var current = await platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.CurrentVersion, inputs: new() { ["vpc_cidr"] = "10.2.0.0/16" }));
        Assert.Equal((DeploymentStatus.Succeeded, "1.0.0", "10.2.0.0/16"), (current!.Status, current.TargetState!.TemplateVersion, current.TargetState.Inputs["vpc_cidr"]));
        Assert.Equal("10.0.0.0/16", current.InitialState!.Inputs["vpc_cidr"]);

        await RegisterAsync(platform, "env", Env("tier:\n  type: string\n  default: a"), "1.1.0");
        await RegisterAsync(platform, "env", Env("tier:\n  type: string\n  default: a", "  Extra:\n    Type: AWS::SNS::Topic\n"), "1.2.0");
        var minor = await platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.MinorVersion));
        Assert.Equal(("1.0.0", "1.2.0"), (minor!.InitialState!.TemplateVersion, minor.TargetState!.TemplateVersion));
        Assert.Equal("10.2.0.0/16", minor.TargetState.Inputs["vpc_cidr"]);

        await RegisterAsync(platform, "env", Env("size:\n  type: string"), "2.0.0");
        var major = await platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.MajorVersion, inputs: new() { ["size"] = "xl" }));
        Assert.Equal((DeploymentStatus.Succeeded, "2.0.0"), (major!.Status, (await platform.GetEnvironmentAsync("dev"))!.TemplateVersion));
        Assert.Equal([DeploymentUpdateType.CurrentVersion, DeploymentUpdateType.MinorVersion, DeploymentUpdateType.MajorVersion],
            (await platform.ListDeploymentsAsync("dev")).Skip(1).Select(x => x.UpdateType!.Value));
    }

    [Fact]
    public async Task UpdateEnvironment_Refusals()
    {
        var (platform, _, _) = await NewAsync();
        await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env" });
        await RegisterAsync(platform, "env", Env("size:\n  type: string\n  default: s"), "2.0.0");

        async Task<string> Code(UpdateRequest r) => (await Assert.ThrowsAsync<PlatformException>(() => platform.UpdateEnvironmentAsync("dev", r))).ErrorCode;

        Assert.Equal("platform.invalid-update", await Code(Update(DeploymentUpdateType.MinorVersion)));             // nothing newer in major 1
        Assert.Equal("platform.invalid-update", await Code(Update(DeploymentUpdateType.MinorVersion, "2.0.0")));    // crosses a major
        Assert.Equal("platform.invalid-update", await Code(Update(DeploymentUpdateType.CurrentVersion, "2.0.0")));  // CURRENT names another version
        Assert.Equal("platform.invalid-update", await Code(new UpdateRequest { UpdateType = DeploymentUpdateType.None, Inputs = new Dictionary<string, object?>() }));
        await platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.MajorVersion));
        Assert.Equal("platform.invalid-update", await Code(Update(DeploymentUpdateType.MajorVersion, "2.0.0")));    // not a higher major
        Assert.Equal("platform.not-found", (await Assert.ThrowsAsync<PlatformException>(() => platform.UpdateEnvironmentAsync("nope", Update(DeploymentUpdateType.CurrentVersion)))).ErrorCode);
    }

    [Fact]
    public async Task Service_CreateWithTwoInstancesAndPipeline_OutputsFlow()
    {
        var (platform, provisioner, _) = await NewAsync();
        await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env" });
        var env = (await platform.GetEnvironmentAsync("dev"))!;

        var result = await platform.CreateServiceAsync(new CreateServiceRequest { Name = "api", TemplateName = "svc", Spec = Spec(("a", "dev"), ("b", "dev")) with { Pipeline = new Dictionary<string, object?> { ["unit_test_command"] = "make test" } } });

        Assert.True(result.Succeeded);
        Assert.Equal(ServiceStatus.Active, result.Service!.Status);
        Assert.Equal([DeploymentTargetType.ServiceInstance, DeploymentTargetType.ServiceInstance, DeploymentTargetType.ServicePipeline], result.Deployments.Select(d => d.TargetType));
        var instanceBody = provisioner.Requests[1].TemplateBody;
        Assert.Contains($"Value: '{env.Outputs["VpcId"]}'", instanceBody, StringComparison.Ordinal);
        Assert.Contains("QueueName: 'api-a-80'", instanceBody, StringComparison.Ordinal);
        var pipelineBody = provisioner.Requests[3].TemplateBody;
        foreach (var i in await platform.ListServiceInstancesAsync("api"))
        {
            Assert.StartsWith("QueueName-", i.Outputs["QueueName"], StringComparison.Ordinal);
            Assert.Contains($"TopicName: '{i.Name}-{i.Outputs["QueueName"]}-{env.Outputs["VpcId"]}'", pipelineBody, StringComparison.Ordinal);
        }

        Assert.Contains("Value: 'make test'", pipelineBody, StringComparison.Ordinal);
        Assert.Equal("make test", (await platform.GetServiceAsync("api"))!.Pipeline!.Inputs["unit_test_command"]);
        Assert.Equal(["a", "b"], (await platform.ListServiceInstancesAsync("api")).Select(i => i.Name));
    }

    [Fact]
    public async Task Service_Refusals_IncludingWhichEnvironmentsWouldDo()
    {
        var (platform, _, _) = await NewAsync();
        await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env" });
        await RegisterAsync(platform, "env", Env("size:\n  type: string\n  default: s"), "2.0.0");
        await platform.CreateEnvironmentAsync(new() { Name = "prod", TemplateName = "env" });

        var incompatible = await Assert.ThrowsAsync<PlatformException>(() => platform.CreateServiceAsync(new() { Name = "api", TemplateName = "svc", Spec = Spec(("a", "dev"), ("b", "prod")) }));
        Assert.Equal("platform.incompatible-environment", incompatible.ErrorCode);
        Assert.Contains("instance b: environment prod runs env 2.0.0 (major 2); svc 1.0.0 runs in env major 1", incompatible.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("instance a", incompatible.Message, StringComparison.Ordinal);

        Assert.Equal("platform.invalid-spec", (await Assert.ThrowsAsync<PlatformException>(() => platform.CreateServiceAsync(new() { Name = "api", TemplateName = "svc", Spec = Spec() }))).ErrorCode);
        Assert.Equal("platform.invalid-spec", (await Assert.ThrowsAsync<PlatformException>(() => platform.CreateServiceAsync(new() { Name = "api", TemplateName = "svc", Spec = Spec(("a", "dev"), ("a", "dev")) }))).ErrorCode);
        Assert.Equal("platform.environment-not-ready", (await Assert.ThrowsAsync<PlatformException>(() => platform.CreateServiceAsync(new() { Name = "api", TemplateName = "svc", Spec = Spec(("a", "nowhere")) }))).ErrorCode);
        var badInputs = await Assert.ThrowsAsync<ProtonValidationException>(() => platform.CreateServiceAsync(new()
        {
            Name = "api",
            TemplateName = "svc",
            Spec = new ServiceSpec { Instances = [new ServiceInstanceSpec("a", "dev", new Dictionary<string, object?> { ["port"] = 70000L })] },
        }));
        Assert.Contains(badInputs.Diagnostics, x => x.Path == "instances[0].spec.port");
        Assert.Empty(await platform.ListServicesAsync());

        await WithServiceAsync(platform);
        var inUse = await Assert.ThrowsAsync<PlatformException>(() => platform.DeleteEnvironmentAsync("dev"));
        Assert.Equal("platform.in-use", inUse.ErrorCode);
        Assert.Contains("api/a", inUse.Message, StringComparison.Ordinal);
        Assert.Equal("platform.invalid-spec", (await Assert.ThrowsAsync<PlatformException>(() => platform.UpdateServiceAsync("api", Spec()))).ErrorCode);
    }

    private static async Task WithServiceAsync(ProtonPlatform platform, params string[] instances)
    {
        var r = await platform.CreateServiceAsync(new() { Name = "api", TemplateName = "svc", Spec = Spec((instances.Length == 0 ? ["a"] : instances).Select(i => (i, "dev")).ToArray()) });
        Assert.True(r.Succeeded);
    }

    [Fact]
    public async Task Instance_And_Pipeline_DeploymentTypes_And_MajorRechecksCompatibility()
    {
        var (platform, _, _) = await NewAsync();
        await WithEnvAndServiceAsync(platform, "a");
        await RegisterAsync(platform, "svc", Service(extraProperties: "size:\n  type: string\n  default: s"), "1.1.0", "env:1");

        var minor = await platform.UpdateServiceInstanceAsync("api", "a", Update(DeploymentUpdateType.MinorVersion));
        Assert.Equal(("1.1.0", "s"), (minor!.TargetState!.TemplateVersion, minor.TargetState.Inputs["size"]));
        var current = await platform.UpdateServiceInstanceAsync("api", "a", Update(DeploymentUpdateType.CurrentVersion, inputs: new() { ["port"] = 8080L, ["size"] = "${Proton::CURRENT_VAL}" }));
        Assert.Equal((8080d, "s"), (Convert.ToDouble(current!.TargetState!.Inputs["port"], System.Globalization.CultureInfo.InvariantCulture), current.TargetState.Inputs["size"]));
        var pipe = await platform.UpdateServicePipelineAsync("api", Update(DeploymentUpdateType.MinorVersion));
        Assert.Equal((DeploymentTargetType.ServicePipeline, "1.1.0"), (pipe!.TargetType, (await platform.GetServiceAsync("api"))!.Pipeline!.TemplateVersion));

        await RegisterAsync(platform, "svc", Service(extraProperties: "cpu:\n  type: string"), "2.0.0", "env:2");
        var refused = await Assert.ThrowsAsync<PlatformException>(() => platform.UpdateServiceInstanceAsync("api", "a", Update(DeploymentUpdateType.MajorVersion, inputs: new() { ["cpu"] = "1" })));
        Assert.Equal("platform.incompatible-environment", refused.ErrorCode);
        Assert.Contains("svc 2.0.0 runs in env major 2", refused.Message, StringComparison.Ordinal);

        await RegisterAsync(platform, "env", Env("size:\n  type: string\n  default: s"), "2.0.0");
        await platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.MajorVersion));
        var major = await platform.UpdateServiceInstanceAsync("api", "a", Update(DeploymentUpdateType.MajorVersion, inputs: new() { ["cpu"] = "1" }));
        Assert.Equal((DeploymentStatus.Succeeded, "2.0.0"), (major!.Status, (await platform.GetServiceInstanceAsync("api", "a"))!.TemplateVersion));
    }

    [Fact]
    public async Task UpdateService_AddsAndRemovesInstances_ThenRedeploysPipeline()
    {
        var (platform, provisioner, _) = await NewAsync();
        await WithEnvAndServiceAsync(platform, "a", "b");

        var result = await platform.UpdateServiceAsync("api", Spec(("b", "dev"), ("c", "dev")));

        Assert.True(result.Succeeded);
        Assert.Equal(["api/c", "api/a", "api"], result.Deployments.Select(d => d.Target));
        Assert.True(result.Deployments[1].IsDelete);
        Assert.Equal(["b", "c"], (await platform.ListServiceInstancesAsync("api")).Select(i => i.Name));
        Assert.Contains("TopicName: 'c-QueueName-", provisioner.Requests[^1].TemplateBody, StringComparison.Ordinal);
        Assert.DoesNotContain("TopicName: 'a-QueueName-", provisioner.Requests[^1].TemplateBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateService_NewInstanceFails_RemovesNewOnes_DeletesNothing_LeavesPipeline()
    {
        var (platform, provisioner, _) = await NewAsync();
        await WithEnvAndServiceAsync(platform, "a");
        var pipelineBefore = (await platform.GetServiceAsync("api"))!.Pipeline!.LastSucceededDeploymentId;
        provisioner.FailNext["api-c"] = 1;

        var result = await platform.UpdateServiceAsync("api", Spec(("b", "dev"), ("c", "dev")));

        Assert.False(result.Succeeded);
        Assert.Equal(ServiceStatus.UpdateFailed, result.Service!.Status);
        Assert.Contains("root cause: Queue (AWS::SQS::Queue) CREATE_FAILED: scripted failure", result.Service.StatusMessage, StringComparison.Ordinal);
        Assert.Equal(["a"], (await platform.ListServiceInstancesAsync("api")).Select(i => i.Name));
        Assert.Equal(pipelineBefore, (await platform.GetServiceAsync("api"))!.Pipeline!.LastSucceededDeploymentId);
        Assert.DoesNotContain(provisioner.Calls, c => c.StartsWith("destroy proton-api-a-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailedDeployment_KeepsPreviousVersionAndInputs_WithRootCause()
    {
        var (platform, provisioner, _) = await NewAsync();
        await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env" });
        provisioner.FailNext["dev"] = 1;

        var d = await platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.CurrentVersion, inputs: new() { ["vpc_cidr"] = "10.9.0.0/16" }));

        Assert.Equal(DeploymentStatus.Failed, d!.Status);
        Assert.Equal("Queue", d.Failures.Single().Resource);
        var env = (await platform.GetEnvironmentAsync("dev"))!;
        Assert.Equal((DeploymentStatus.Failed, "10.0.0.0/16"), (env.DeploymentStatus, env.Inputs["vpc_cidr"]));
        Assert.NotEqual(d.Id, env.LastSucceededDeploymentId);
        Assert.Equal(d.Id, env.LastAttemptedDeploymentId);
    }

    [Fact]
    public async Task SecondDeploymentOfSameTarget_FailsFast_OtherTargetsRunInParallel()
    {
        var (platform, provisioner, _) = await NewAsync();
        await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env" });
        await platform.CreateEnvironmentAsync(new() { Name = "qa", TemplateName = "env" });
        provisioner.Hang["dev"] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = (await platform.ListDeploymentsAsync()).Count;

        var running = platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.CurrentVersion));
        while ((await platform.GetEnvironmentAsync("dev"))!.DeploymentStatus != DeploymentStatus.InProgress)
        {
            await Task.Delay(5);
        }

        var conflict = await Assert.ThrowsAsync<PlatformException>(() => platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.CurrentVersion)));
        Assert.Equal("platform.conflict", conflict.ErrorCode);
        var other = await platform.UpdateEnvironmentAsync("qa", Update(DeploymentUpdateType.CurrentVersion));
        Assert.Equal(DeploymentStatus.Succeeded, other!.Status);
        Assert.False(running.IsCompleted);

        provisioner.Release("dev");
        Assert.Equal(DeploymentStatus.Succeeded, (await running)!.Status);
        Assert.Equal(before + 2, (await platform.ListDeploymentsAsync()).Count); // the refused attempt left no record
    }

    [Fact]
    public async Task Cancel_InProgressDeployment_RecordsCancelled_AndKeepsPreviousState()
    {
        var (platform, provisioner, _) = await NewAsync();
        await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env" });
        provisioner.Hang["dev"] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.CurrentVersion, inputs: new() { ["vpc_cidr"] = "10.5.0.0/16" }));
        await provisioner.Started.Task;
        var id = (await platform.GetEnvironmentAsync("dev"))!.LastAttemptedDeploymentId!;

        var cancelling = await platform.CancelDeploymentAsync(id);
        var d = await running;

        Assert.Equal(DeploymentStatus.Cancelling, cancelling.Status);
        Assert.Equal((id, DeploymentStatus.Cancelled), (d!.Id, d.Status));
        var env = (await platform.GetEnvironmentAsync("dev"))!;
        Assert.Equal((DeploymentStatus.Cancelled, "10.0.0.0/16"), (env.DeploymentStatus, env.Inputs["vpc_cidr"]));
        Assert.Equal("platform.not-cancellable", (await Assert.ThrowsAsync<PlatformException>(() => platform.CancelDeploymentAsync(id))).ErrorCode);
        provisioner.Release("dev");
        Assert.Equal(DeploymentStatus.Succeeded, (await platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.CurrentVersion)))!.Status);
    }

    [Fact]
    public async Task Rollback_RedeploysAnEarlierState_AsANewDeployment()
    {
        var (platform, _, _) = await NewAsync();
        var first = await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env", Inputs = new Dictionary<string, object?> { ["vpc_cidr"] = "10.1.0.0/16" } });
        await RegisterAsync(platform, "env", Env("tier:\n  type: string\n  default: a"), "1.1.0");
        await platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.MinorVersion, inputs: new() { ["vpc_cidr"] = "10.2.0.0/16" }));

        var rollback = await platform.RollbackAsync(first.Id);

        Assert.Equal((DeploymentStatus.Succeeded, first.Id, "1.0.0"), (rollback.Status, rollback.RollbackOf, rollback.TargetState!.TemplateVersion));
        var env = (await platform.GetEnvironmentAsync("dev"))!;
        Assert.Equal(("1.0.0", "10.1.0.0/16", rollback.Id), (env.TemplateVersion, env.Inputs["vpc_cidr"], env.LastSucceededDeploymentId));
        Assert.Equal(3, (await platform.ListDeploymentsAsync("dev")).Count);
        var delete = await platform.DeleteEnvironmentAsync("dev");
        Assert.Equal("platform.invalid-rollback", (await Assert.ThrowsAsync<PlatformException>(() => platform.RollbackAsync(delete.Id))).ErrorCode);
    }

    [Fact]
    public async Task Reconcile_AfterCrash_CompletesFromTheStacksRealState()
    {
        var (platform, provisioner, store) = await NewAsync();
        await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env" });
        await platform.CreateEnvironmentAsync(new() { Name = "qa", TemplateName = "env" });
        provisioner.Hang["dev"] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        provisioner.Hang["qa"] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var crash = new CancellationTokenSource();

        // The "crashed" host: its deployments reach the provisioner, then the process dies before recording the outcome.
        var crashed = new ProtonPlatform(store, provisioner);
        var devRun = crashed.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.CurrentVersion, inputs: new() { ["vpc_cidr"] = "10.7.0.0/16" }));
        var qaRun = crashed.UpdateEnvironmentAsync("qa", Update(DeploymentUpdateType.CurrentVersion, inputs: new() { ["vpc_cidr"] = "10.8.0.0/16" }));
        while (provisioner.Requests.Count < 4)
        {
            await Task.Delay(5);
        }

        var devId = (await platform.GetEnvironmentAsync("dev"))!.LastAttemptedDeploymentId!;
        var qaId = (await platform.GetEnvironmentAsync("qa"))!.LastAttemptedDeploymentId!;
        var devStack = (await platform.GetEnvironmentAsync("dev"))!.StackName!;
        var qaStack = (await platform.GetEnvironmentAsync("qa"))!.StackName!;
        provisioner.Stacks[devStack] = provisioner.Stacks[devStack] with { State = StackState.Succeeded, EngineStatus = "UPDATE_COMPLETE", LastDeploymentId = devId, Outputs = new Dictionary<string, string> { ["VpcId"] = "vpc-new" } };
        provisioner.Stacks[qaStack] = provisioner.Stacks[qaStack] with { State = StackState.RolledBack, EngineStatus = "UPDATE_ROLLBACK_COMPLETE", StatusReason = "Resource Vpc failed" };

        // The crashed host's leases still hold: reconcile leaves its deployments alone until they run out.
        Assert.Empty(await platform.ReconcileAsync());
        Assert.Equal(DeploymentStatus.InProgress, (await platform.GetDeploymentAsync(devId))!.Status);
        platform = new ProtonPlatform(store, provisioner, timeProvider: new FakeTimeProvider(DateTimeOffset.UtcNow + new ProtonPlatformOptions().LeaseDuration + TimeSpan.FromSeconds(1)));

        var reconciled = await platform.ReconcileAsync();

        Assert.Equal(2, reconciled.Count);
        var dev = reconciled.Single(d => d.Id == devId);
        Assert.Equal((DeploymentStatus.Succeeded, "vpc-new"), (dev.Status, dev.Outputs["VpcId"]));
        var devEnv = (await platform.GetEnvironmentAsync("dev"))!;
        Assert.Equal((DeploymentStatus.Succeeded, "10.7.0.0/16", "vpc-new"), (devEnv.DeploymentStatus, devEnv.Inputs["vpc_cidr"], devEnv.Outputs["VpcId"]));
        var qa = reconciled.Single(d => d.Id == qaId);
        Assert.Equal(DeploymentStatus.Failed, qa.Status);
        Assert.Contains("UPDATE_ROLLBACK_COMPLETE: Resource Vpc failed", qa.StatusMessage, StringComparison.Ordinal);
        Assert.Equal("10.0.0.0/16", (await platform.GetEnvironmentAsync("qa"))!.Inputs["vpc_cidr"]);
        Assert.Empty(await platform.ReconcileAsync());

        // The "dead" host comes back late: the outcome reconcile recorded stays (the first outcome wins).
        provisioner.Release("dev");
        provisioner.Release("qa");
        await Task.WhenAll(devRun, qaRun);
        Assert.Equal(("vpc-new", DeploymentStatus.Succeeded), ((await platform.GetEnvironmentAsync("dev"))!.Outputs["VpcId"], (await platform.GetDeploymentAsync(devId))!.Status));
        Assert.Equal("vpc-new", (await platform.GetDeploymentAsync(devId))!.Outputs["VpcId"]);
        Assert.Equal((DeploymentStatus.Failed, "10.0.0.0/16"), ((await platform.GetEnvironmentAsync("qa"))!.DeploymentStatus, (await platform.GetEnvironmentAsync("qa"))!.Inputs["vpc_cidr"]));
        Assert.Equal(DeploymentStatus.Failed, (await platform.GetDeploymentAsync(qaId))!.Status);
    }

    [Fact]
    public async Task Reconcile_DeploymentThatNeverReachedTheProvisioner_FailsWithoutTouchingTheTarget()
    {
        var (platform, provisioner, store) = await NewAsync();
        await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env" });
        var env = (await platform.GetEnvironmentAsync("dev"))!;
        var raw = (await store.GetAsync("environments", "dev"))!;
        // Written through the record repository, as a crashed process would have left them (with their index entries).
        var records = new PlatformRecords(store);
        var orphan = new DeploymentRecord { Id = "orphan", TargetType = DeploymentTargetType.Environment, Target = "dev", EnvironmentName = "dev", StackName = env.StackName, Status = DeploymentStatus.InProgress };
        await records.PutAsync("deployments", "orphan", orphan, null, default);
        var locked = env with { DeploymentStatus = DeploymentStatus.InProgress, LastAttemptedDeploymentId = "locked" };
        await records.PutAsync("environments", "dev", locked, raw.Revision, default);
        var lockedDeployment = orphan with { Id = "locked" };
        await records.PutAsync("deployments", "locked", lockedDeployment, null, default);

        var reconciled = await platform.ReconcileAsync();

        Assert.Equal(DeploymentStatus.Failed, reconciled.Single(d => d.Id == "orphan").Status);
        Assert.Contains("before it started", reconciled.Single(d => d.Id == "orphan").StatusMessage, StringComparison.Ordinal);
        Assert.Contains("still runs the previous deployment", reconciled.Single(d => d.Id == "locked").StatusMessage, StringComparison.Ordinal);
        Assert.Equal(DeploymentStatus.Failed, (await platform.GetEnvironmentAsync("dev"))!.DeploymentStatus);
        Assert.Equal(DeploymentStatus.Succeeded, (await platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.CurrentVersion)))!.Status);
        Assert.Single(provisioner.Stacks);
    }

    [Fact]
    public async Task EnvironmentOutputsChange_ReportsDependentsNeedingRedeploy()
    {
        var (platform, _, _) = await NewAsync();
        await WithEnvAndServiceAsync(platform, "a", "b");

        var same = await platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.CurrentVersion));
        Assert.Empty(same!.DependentsToRedeploy);
        var changed = await platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.CurrentVersion, inputs: new() { ["vpc_cidr"] = "10.3.0.0/16" }));

        Assert.Equal(["api/a", "api/b"], changed!.DependentsToRedeploy);
        Assert.Equal(["a", "b"], (await platform.GetInstancesNeedingRedeployAsync("dev")).Select(i => i.Name));
        await platform.UpdateServiceInstanceAsync("api", "a", Update(DeploymentUpdateType.CurrentVersion));
        Assert.Equal(["b"], (await platform.GetInstancesNeedingRedeployAsync("dev")).Select(i => i.Name));
    }

    [Fact]
    public async Task Summary_CountsUpToDateBehindMinorBehindMajorFailed()
    {
        var (platform, provisioner, _) = await NewAsync();
        foreach (var name in new[] { "e1", "e2", "e3", "e4" })
        {
            await platform.CreateEnvironmentAsync(new() { Name = name, TemplateName = "env" });
        }

        await RegisterAsync(platform, "env", Env("tier:\n  type: string\n  default: a"), "1.1.0");
        await platform.UpdateEnvironmentAsync("e1", Update(DeploymentUpdateType.MinorVersion));
        await platform.UpdateEnvironmentAsync("e2", Update(DeploymentUpdateType.MinorVersion));
        provisioner.FailNext["e4"] = 1;
        await platform.UpdateEnvironmentAsync("e4", Update(DeploymentUpdateType.CurrentVersion));

        var before = (await platform.GetSummaryAsync()).Single(r => r.TemplateName == "env");
        Assert.Equal((2, 1, 0, 1, 4, "1.1.0"), (before.UpToDate, before.BehindMinor, before.BehindMajor, before.Failed, before.Total, before.RecommendedVersion));

        await RegisterAsync(platform, "env", Env("size:\n  type: string\n  default: s"), "2.0.0");
        var after = (await platform.GetSummaryAsync()).Single(r => r.TemplateName == "env");
        Assert.Equal((0, 1, 2, 1), (after.UpToDate, after.BehindMinor, after.BehindMajor, after.Failed));
    }

    [Fact]
    public async Task FleetUpgrade_PlansFirst_RespectsConcurrency_StopsAtFailureTolerance()
    {
        var (platform, provisioner, _) = await NewAsync();
        var names = Enumerable.Range(1, 6).Select(i => $"e{i}").ToArray();
        foreach (var name in names)
        {
            await platform.CreateEnvironmentAsync(new() { Name = name, TemplateName = "env" });
        }

        await RegisterAsync(platform, "env", Env("tier:\n  type: string\n  default: a"), "1.1.0");
        var plan = await platform.PlanUpgradeAsync("env");
        Assert.Equal(names, plan.Steps.Select(s => s.Target));
        Assert.All(plan.Steps, s => Assert.Equal(("1.0.0", "1.1.0", DeploymentUpdateType.MinorVersion, null), (s.FromVersion, s.ToVersion, s.UpdateType, s.BlockedReason)));
        Assert.All(await platform.ListEnvironmentsAsync(), e => Assert.Equal("1.0.0", e.TemplateVersion)); // planning changes nothing

        provisioner.FailNext["e2"] = 1;
        provisioner.FailNext["e3"] = 1;
        var result = await platform.UpgradeAsync(plan, new UpgradeOptions { MaxConcurrency = 1, FailureTolerance = 1 });

        Assert.True(result.Stopped);
        Assert.Equal(["succeeded", "failed", "failed", "not-started", "not-started", "not-started"], result.Steps.Select(s => s.Outcome));
        Assert.Equal(["1.1.0", "1.0.0", "1.0.0", "1.0.0", "1.0.0", "1.0.0"], (await platform.ListEnvironmentsAsync()).Select(e => e.TemplateVersion));

        var rest = await platform.UpgradeAsync(await platform.PlanUpgradeAsync("env", "1.1.0"), new UpgradeOptions { MaxConcurrency = 3 });
        Assert.False(rest.Stopped);
        Assert.All(rest.Steps, s => Assert.Equal("succeeded", s.Outcome));
        Assert.All(await platform.ListEnvironmentsAsync(), e => Assert.Equal("1.1.0", e.TemplateVersion));
    }

    [Fact]
    public async Task FleetUpgrade_BlocksIncompatibleInstances_WithTheReason()
    {
        var (platform, _, _) = await NewAsync();
        await WithEnvAndServiceAsync(platform, "a");
        await RegisterAsync(platform, "svc", Service(extraProperties: "cpu:\n  type: string\n  default: '1'"), "2.0.0", "env:2");

        var plan = await platform.PlanUpgradeAsync("svc");
        var result = await platform.UpgradeAsync(plan);

        var instance = result.Steps.Single(s => s.Step.TargetType == DeploymentTargetType.ServiceInstance);
        Assert.Equal("blocked", instance.Outcome);
        Assert.Contains("runs in env major 2", instance.Message, StringComparison.Ordinal);
        Assert.Equal("succeeded", result.Steps.Single(s => s.Step.TargetType == DeploymentTargetType.ServicePipeline).Outcome);
    }

    [Fact]
    public async Task DeleteService_InstancesThenPipelineThenRecord_AndVersionsInUseCannotBeDeleted()
    {
        var (platform, provisioner, _) = await NewAsync();
        await WithEnvAndServiceAsync(platform, "a", "b");
        var inUse = await Assert.ThrowsAsync<Proton.Sdk.Versioning.RegistryException>(async () => await platform.Registry.DeleteVersionAsync("svc", "1.0.0"));
        Assert.Contains("service/api/service-instance/a", inUse.Message, StringComparison.Ordinal);
        Assert.Contains("service/api/pipeline", inUse.Message, StringComparison.Ordinal);

        var result = await platform.DeleteServiceAsync("api");

        Assert.True(result.Succeeded);
        Assert.Null(result.Service);
        Assert.Equal(["api/a", "api/b", "api"], result.Deployments.Select(d => d.Target));
        Assert.All(result.Deployments, d => Assert.Equal(DeploymentStatus.DeleteComplete, d.Status));
        Assert.Null(await platform.GetServiceAsync("api"));
        Assert.Equal(3, provisioner.Calls.Count(c => c.StartsWith("destroy", StringComparison.Ordinal)));
        await platform.Registry.DeleteVersionAsync("svc", "1.0.0");
        Assert.Equal(DeploymentStatus.DeleteComplete, (await platform.DeleteEnvironmentAsync("dev")).Status);
        Assert.Empty(await platform.ListEnvironmentsAsync());
    }

    [Fact]
    public async Task DeleteService_FailedInstanceDelete_MarksTheServiceAndKeepsThePipeline()
    {
        var (platform, provisioner, _) = await NewAsync();
        await WithEnvAndServiceAsync(platform, "a");
        provisioner.FailNext["api-a"] = 1;

        var result = await platform.DeleteServiceAsync("api");

        Assert.False(result.Succeeded);
        Assert.Equal(ServiceStatus.DeleteFailed, result.Service!.Status);
        Assert.Contains("BucketNotEmpty", result.Service.StatusMessage, StringComparison.Ordinal);
        Assert.Equal(DeploymentStatus.DeleteFailed, (await platform.GetServiceInstanceAsync("api", "a"))!.DeploymentStatus);
        Assert.NotNull((await platform.GetServiceAsync("api"))!.Pipeline);
        Assert.True((await platform.DeleteServiceAsync("api")).Succeeded);
    }

    [Fact]
    public async Task Import_AdoptsAStack_OrACustomerManagedEnvironment()
    {
        var (platform, provisioner, _) = await NewAsync();
        provisioner.Stacks["AWSProton-old-env"] = new StackDescription("AWSProton-old-env", StackState.Succeeded) { EngineStatus = "UPDATE_COMPLETE", Outputs = new Dictionary<string, string> { ["VpcId"] = "vpc-123" } };

        var adopted = await platform.ImportEnvironmentAsync(new ImportEnvironmentRequest { Name = "legacy", TemplateName = "env", StackName = "AWSProton-old-env" });
        var managed = await platform.ImportEnvironmentAsync(new ImportEnvironmentRequest { Name = "byo", TemplateName = "env", Outputs = new Dictionary<string, string> { ["VpcId"] = "vpc-byo" } });

        Assert.Equal((DeploymentStatus.Succeeded, "vpc-123"), (adopted.Status, (await platform.GetEnvironmentAsync("legacy"))!.Outputs["VpcId"]));
        Assert.Equal(EnvironmentProvisioning.CustomerManaged, (await platform.GetEnvironmentAsync("byo"))!.Provisioning);
        Assert.Equal("vpc-byo", managed.Outputs["VpcId"]);
        var svc = await platform.CreateServiceAsync(new() { Name = "api", TemplateName = "svc", Spec = Spec(("a", "byo")) });
        Assert.Contains("Value: 'vpc-byo'", provisioner.Requests[0].TemplateBody, StringComparison.Ordinal);
        Assert.True(svc.Succeeded);
        Assert.Equal("platform.customer-managed", (await Assert.ThrowsAsync<PlatformException>(() => platform.UpdateEnvironmentAsync("byo", Update(DeploymentUpdateType.CurrentVersion)))).ErrorCode);
        var update = await platform.UpdateEnvironmentAsync("legacy", Update(DeploymentUpdateType.CurrentVersion));
        Assert.Equal("AWSProton-old-env", provisioner.Requests[^1].StackName);
        Assert.Equal(DeploymentStatus.Succeeded, update!.Status);
        Assert.Equal("platform.stack-not-found", (await Assert.ThrowsAsync<PlatformException>(() => platform.ImportEnvironmentAsync(new() { Name = "x", TemplateName = "env", StackName = "missing" }))).ErrorCode);
        Assert.Equal("platform.invalid-import", (await Assert.ThrowsAsync<PlatformException>(() => platform.ImportEnvironmentAsync(new() { Name = "x", TemplateName = "env" }))).ErrorCode);
    }

    [Fact]
    public async Task SecretInputs_NeverStored_AndMustBeGivenAgain()
    {
        var (platform, provisioner, store) = await NewAsync();
        await RegisterAsync(platform, "env", Env("db_password:\n  type: string\n  format: password\n  default: ''"), "1.1.0");

        var d = await platform.CreateEnvironmentAsync(new() { Name = "dev", TemplateName = "env", Inputs = new Dictionary<string, object?> { ["db_password"] = "hunter2-secret" } });

        Assert.Equal(DeploymentStatus.Succeeded, d.Status);
        Assert.Contains("hunter2-secret", provisioner.Requests.Single().SecretValues);
        foreach (var collection in new[] { "environments", "deployments" })
        {
            foreach (var r in await store.ListAsync(collection))
            {
                Assert.DoesNotContain("hunter2", System.Text.Encoding.UTF8.GetString(r.Document.Span), StringComparison.Ordinal);
            }
        }

        var ex = await Assert.ThrowsAsync<PlatformException>(() => platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.CurrentVersion)));
        Assert.Equal("platform.secret-required", ex.ErrorCode);
        Assert.Contains("db_password", ex.Message, StringComparison.Ordinal);
        var again = await platform.UpdateEnvironmentAsync("dev", Update(DeploymentUpdateType.CurrentVersion, inputs: new() { ["db_password"] = "new-secret" }));
        Assert.Equal(DeploymentStatus.Succeeded, again!.Status);
    }

    private sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value)
        {
            lock (this)
            {
                action(value);
            }
        }
    }
}
