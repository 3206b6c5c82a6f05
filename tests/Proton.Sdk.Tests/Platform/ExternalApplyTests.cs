using Microsoft.Extensions.Time.Testing;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using static Proton.Sdk.Tests.Platform.PlatformKit;

namespace Proton.Sdk.Tests.Platform;

/// <summary>Deployments a provisioner hands to an external apply (Terraform's pull-request mode) and the notification that ends them.</summary>
public sealed class ExternalApplyTests
{
    /// <summary>Hands every deploy and destroy to "someone else", as Terraform's pull-request mode does.</summary>
    private sealed class HandOffProvisioner : IProvisioner
    {
        public string Name => "hand-off";

        public int Deploys { get; private set; }

        public Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
        {
            Deploys++;
            return Task.FromResult(new ProvisionResult { Status = ProvisionStatus.AwaitingExternalApply, State = StackState.InProgress, EngineStatus = "AWAITING_EXTERNAL_APPLY", Message = "wrote the files; waiting" });
        }

        public Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default) => Task.FromResult(new StackPlan(request.StackName, false, []));

        public Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new ProvisionResult { Status = ProvisionStatus.AwaitingExternalApply, State = StackState.InProgress, EngineStatus = "AWAITING_EXTERNAL_DESTROY" });

        public Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default)
            => Task.FromResult<StackDescription?>(new StackDescription(stackName, StackState.Failed) { EngineStatus = "NOT_APPLIED" });
    }

    /// <summary>
    /// Hands deploys to "someone else" while <see cref="HandOff"/> is set (destroys while <see cref="HandOffDestroys"/> is);
    /// otherwise succeeds at once with a VpcId. Records what it was asked.
    /// </summary>
    private sealed class SwitchableHandOff : IProvisioner
    {
        public bool HandOff { get; set; }

        public bool HandOffDestroys { get; set; }

        public List<DeployRequest> Requests { get; } = [];

        public List<string> Destroyed { get; } = [];

        /// <summary>The pipeline deploys asked so far (the pipeline template is the one with SNS topics).</summary>
        public List<DeployRequest> PipelineRequests => Requests.Where(r => r.TemplateBody.Contains("AWS::SNS::Topic", StringComparison.Ordinal)).ToList();

        public string Name => "hand-off";

        public Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
        {
            Requests.Add(request);
            return Task.FromResult(HandOff
                ? new ProvisionResult { Status = ProvisionStatus.AwaitingExternalApply, State = StackState.InProgress, Message = "wrote the files; waiting" }
                : new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Succeeded, Outputs = new Dictionary<string, string> { ["VpcId"] = "vpc-1", ["QueueName"] = "q" } });
        }

        public Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default) => Task.FromResult(new StackPlan(request.StackName, false, []));

        public Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
        {
            Destroyed.Add(stackName);
            return Task.FromResult(HandOffDestroys
                ? new ProvisionResult { Status = ProvisionStatus.AwaitingExternalApply, State = StackState.InProgress, Message = "marked for deletion; waiting" }
                : new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Deleted });
        }

        public Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default)
            => Task.FromResult<StackDescription?>(null);
    }

    [Fact]
    public async Task NotifySucceeded_OfTheLastWaitingInstance_CreatesThePipelineTheServiceWaitedFor()
    {
        var provisioner = new SwitchableHandOff();
        var platform = await NewAsync(new InMemoryProtonStore(), provisioner);
        await platform.Registry.CreateTemplateAsync("svc", TemplateKind.Service);
        await RegisterAsync(platform, "svc", Service(), "1.0.0", "env:1");
        Assert.Equal(DeploymentStatus.Succeeded, (await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env" })).Status);
        provisioner.HandOff = true;
        var created = await platform.CreateServiceAsync(new CreateServiceRequest { Name = "api", TemplateName = "svc", Spec = Spec(("a", "dev"), ("b", "dev")) with { Pipeline = new Dictionary<string, object?> { ["unit_test_command"] = "make test" } } });
        Assert.All(created.Deployments, d => Assert.Equal(DeploymentStatus.AwaitingExternalApply, d.Status));
        Assert.Null((await platform.GetServiceAsync("api"))!.Pipeline);
        provisioner.HandOff = false;

        await platform.NotifyDeploymentAsync(created.Deployments[0].Id, succeeded: true, new Dictionary<string, string> { ["QueueName"] = "a" });
        Assert.Null((await platform.GetServiceAsync("api"))!.Pipeline); // b still waits: so does the pipeline
        var last = await platform.NotifyDeploymentStatusAsync(created.Deployments[1].Id, ExternalApplyStatus.Succeeded, new Dictionary<string, string> { ["QueueName"] = "b" });

        Assert.Equal(DeploymentStatus.Succeeded, last.Status);
        var service = (await platform.GetServiceAsync("api"))!;
        var pipeline = Assert.IsType<PipelineRecord>(service.Pipeline);
        Assert.Equal((DeploymentStatus.Succeeded, "make test", "1.0.0"), (pipeline.DeploymentStatus, pipeline.Inputs["unit_test_command"]?.ToString(), pipeline.TemplateVersion));
        Assert.Null(service.PendingPipelineInputs);
        var pipelineDeployment = (await platform.GetDeploymentAsync(pipeline.LastAttemptedDeploymentId!))!;
        Assert.Equal((DeploymentTargetType.ServicePipeline, DeploymentStatus.Succeeded), (pipelineDeployment.TargetType, pipelineDeployment.Status));
    }

    [Fact]
    public async Task NotifyInProgress_KeepsTheDeploymentWaiting_AndRecordsTheMessage_ThenSucceededEndsIt()
    {
        var platform = await NewAsync(new InMemoryProtonStore(), new HandOffProvisioner());
        var waiting = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env" });

        var progress = await platform.NotifyDeploymentStatusAsync(waiting.Id, ExternalApplyStatus.InProgress, statusMessage: "apply running in CI job 42");

        Assert.Equal((DeploymentStatus.AwaitingExternalApply, "apply running in CI job 42"), (progress.Status, progress.StatusMessage));
        var env = (await platform.GetEnvironmentAsync("dev"))!;
        Assert.Equal((DeploymentStatus.AwaitingExternalApply, "apply running in CI job 42"), (env.DeploymentStatus, env.DeploymentStatusMessage));
        Assert.True(env.IsBusy);
        var done = await platform.NotifyDeploymentStatusAsync(waiting.Id, ExternalApplyStatus.Succeeded, new Dictionary<string, string> { ["VpcId"] = "vpc-9" });
        Assert.Equal(DeploymentStatus.Succeeded, done.Status);
        var late = await Assert.ThrowsAsync<PlatformException>(() => platform.NotifyDeploymentStatusAsync(waiting.Id, ExternalApplyStatus.InProgress));
        Assert.Equal(PlatformErrorCodes.NotAwaiting, late.ErrorCode);
        var unknown = await Assert.ThrowsAsync<PlatformException>(() => platform.NotifyDeploymentStatusAsync("e.dev.nope", ExternalApplyStatus.InProgress));
        Assert.Equal(PlatformErrorCodes.NotFound, unknown.ErrorCode);
    }

    /// <summary>An environment "dev" and a service "api" with instances <paramref name="instances"/> and its pipeline, all applied at once.</summary>
    private static async Task<(ProtonPlatform Platform, SwitchableHandOff Provisioner)> ServiceAsync(params string[] instances)
    {
        var provisioner = new SwitchableHandOff();
        var platform = await NewAsync(new InMemoryProtonStore(), provisioner);
        await platform.Registry.CreateTemplateAsync("svc", TemplateKind.Service);
        await RegisterAsync(platform, "svc", Service(), "1.0.0", "env:1");
        Assert.Equal(DeploymentStatus.Succeeded, (await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env" })).Status);
        var created = await platform.CreateServiceAsync(new CreateServiceRequest { Name = "api", TemplateName = "svc", Spec = Spec(instances.Select(i => (i, "dev")).ToArray()) });
        Assert.True(created.Succeeded);
        return (platform, provisioner);
    }

    [Fact]
    public async Task UpdateService_NewInstancesWaitingForAnExternalApply_KeepTheUpdateInProgress_ThenThePipelineRedeploysOnceWithTheirOutputs()
    {
        var (platform, provisioner) = await ServiceAsync("a");
        var pipelineBefore = (await platform.GetServiceAsync("api"))!.Pipeline!.LastSucceededDeploymentId;
        Assert.Single(provisioner.PipelineRequests);
        provisioner.HandOff = true;

        var update = await platform.UpdateServiceAsync("api", Spec(("a", "dev"), ("b", "dev"), ("c", "dev")));

        Assert.Equal(["api/b", "api/c"], update.Deployments.Select(d => d.Target));
        Assert.All(update.Deployments, d => Assert.Equal(DeploymentStatus.AwaitingExternalApply, d.Status));
        Assert.Equal(ServiceStatus.UpdateInProgress, update.Service!.Status);
        var service = (await platform.GetServiceAsync("api"))!;
        Assert.Equal((ServiceStatus.UpdateInProgress, (string?)null), (service.Status, service.Owner));
        Assert.Equal(["b", "c"], service.PendingUpdate!.NewInstances);
        Assert.Contains("waiting for the external apply of api/b, api/c", service.StatusMessage, StringComparison.Ordinal);
        Assert.Equal(DeploymentStatus.AwaitingExternalApply, (await platform.GetServiceInstanceAsync("api", "b"))!.DeploymentStatus);
        Assert.Single(provisioner.PipelineRequests);
        var busy = await Assert.ThrowsAsync<PlatformException>(() => platform.UpdateServiceAsync("api", Spec(("a", "dev"))));
        Assert.Equal(PlatformErrorCodes.Conflict, busy.ErrorCode);
        Assert.Contains("waiting for the external apply", busy.Message, StringComparison.Ordinal);
        provisioner.HandOff = false;

        await platform.NotifyDeploymentAsync(update.Deployments[0].Id, succeeded: true, new Dictionary<string, string> { ["QueueName"] = "queue-b" });

        Assert.Single(provisioner.PipelineRequests); // c still waits: so does the pipeline
        Assert.Equal(ServiceStatus.UpdateInProgress, (await platform.GetServiceAsync("api"))!.Status);

        var last = await platform.NotifyDeploymentStatusAsync(update.Deployments[1].Id, ExternalApplyStatus.Succeeded, new Dictionary<string, string> { ["QueueName"] = "queue-c" });

        Assert.Equal(DeploymentStatus.Succeeded, last.Status);
        var redeploy = Assert.Single(provisioner.PipelineRequests.Skip(1));
        Assert.Contains("TopicName: 'a-q-vpc-1'", redeploy.TemplateBody, StringComparison.Ordinal);
        Assert.Contains("TopicName: 'b-queue-b-vpc-1'", redeploy.TemplateBody, StringComparison.Ordinal);
        Assert.Contains("TopicName: 'c-queue-c-vpc-1'", redeploy.TemplateBody, StringComparison.Ordinal);
        service = (await platform.GetServiceAsync("api"))!;
        Assert.Equal((ServiceStatus.Active, (string?)null, (PendingServiceUpdate?)null, (string?)null), (service.Status, service.StatusMessage, service.PendingUpdate, service.Owner));
        Assert.NotEqual(pipelineBefore, service.Pipeline!.LastSucceededDeploymentId);
        Assert.Equal(DeploymentStatus.Succeeded, service.Pipeline.DeploymentStatus);

        // The next command works, and nothing redeploys the pipeline a second time.
        var next = await platform.UpdateServiceAsync("api", Spec(("a", "dev"), ("b", "dev")));
        Assert.True(next.Succeeded);
        Assert.Equal(["api/c", "api"], next.Deployments.Select(d => d.Target));
        Assert.Equal(3, provisioner.PipelineRequests.Count);
    }

    [Fact]
    public async Task UpdateService_AWaitingNewInstanceNotifiedFailed_DeprovisionsTheNewInstances_DeletesNothing_LeavesThePipeline()
    {
        var (platform, provisioner) = await ServiceAsync("a", "b");
        var pipelineBefore = (await platform.GetServiceAsync("api"))!.Pipeline!.LastSucceededDeploymentId;
        provisioner.HandOff = true;
        var update = await platform.UpdateServiceAsync("api", Spec(("a", "dev"), ("c", "dev"), ("d", "dev")));
        Assert.Equal(ServiceStatus.UpdateInProgress, update.Service!.Status);
        provisioner.HandOff = false;

        await platform.NotifyDeploymentAsync(update.Deployments[0].Id, succeeded: true, new Dictionary<string, string> { ["QueueName"] = "queue-c" });
        Assert.Equal(ServiceStatus.UpdateInProgress, (await platform.GetServiceAsync("api"))!.Status);
        await platform.NotifyDeploymentAsync(update.Deployments[1].Id, succeeded: false, statusMessage: "terraform apply: quota exceeded");

        var service = (await platform.GetServiceAsync("api"))!;
        Assert.Equal(ServiceStatus.UpdateFailed, service.Status);
        Assert.Contains("api/d: Failed - terraform apply: quota exceeded; new instances removed, nothing deleted", service.StatusMessage, StringComparison.Ordinal);
        Assert.Equal((PendingServiceUpdate?)null, service.PendingUpdate);
        Assert.Equal(["a", "b"], (await platform.ListServiceInstancesAsync("api")).Select(i => i.Name));
        Assert.Equal(2, provisioner.Destroyed.Count);
        Assert.All(provisioner.Destroyed, s => Assert.True(s.Contains("-c-", StringComparison.Ordinal) || s.Contains("-d-", StringComparison.Ordinal), s));
        Assert.Equal((pipelineBefore, 1), (service.Pipeline!.LastSucceededDeploymentId, provisioner.PipelineRequests.Count));
        Assert.All(await platform.ListDeploymentsAsync(serviceName: "api"), d => Assert.True(d.IsFinished, $"{d.Id} {d.Status}"));

        var next = await platform.UpdateServiceAsync("api", Spec(("a", "dev"), ("b", "dev"), ("c", "dev")));
        Assert.True(next.Succeeded);
        Assert.Equal(ServiceStatus.Active, next.Service!.Status);
    }

    [Fact]
    public async Task UpdateService_CancellingTheLastWaitingNewInstance_EndsTheUpdateAsAFailedCreate()
    {
        var (platform, provisioner) = await ServiceAsync("a");
        provisioner.HandOff = true;
        var update = await platform.UpdateServiceAsync("api", Spec(("a", "dev"), ("b", "dev")));

        var cancelled = await platform.CancelDeploymentAsync(update.Deployments[0].Id);

        Assert.Equal(DeploymentStatus.Cancelled, cancelled.Status);
        var service = (await platform.GetServiceAsync("api"))!;
        Assert.Equal(ServiceStatus.UpdateFailed, service.Status);
        Assert.Contains("api/b: Cancelled", service.StatusMessage, StringComparison.Ordinal);
        Assert.Equal(["a"], (await platform.ListServiceInstancesAsync("api")).Select(i => i.Name));
    }

    [Fact]
    public async Task UpdateService_AfterTheNewInstancesApply_ARemovedInstanceWaitingForItsExternalDestroy_IsLeftOutOfThePipeline()
    {
        var (platform, provisioner) = await ServiceAsync("a", "b");
        provisioner.HandOff = true;
        var update = await platform.UpdateServiceAsync("api", Spec(("a", "dev"), ("c", "dev")));
        Assert.Empty(provisioner.Destroyed); // b is removed only once c is applied
        provisioner.HandOff = false;
        provisioner.HandOffDestroys = true;

        await platform.NotifyDeploymentAsync(update.Deployments[0].Id, succeeded: true, new Dictionary<string, string> { ["QueueName"] = "queue-c" });

        var service = (await platform.GetServiceAsync("api"))!;
        Assert.Equal(ServiceStatus.Active, service.Status);
        Assert.Single(provisioner.Destroyed);
        var redeploy = provisioner.PipelineRequests[^1];
        Assert.Contains("TopicName: 'c-queue-c-vpc-1'", redeploy.TemplateBody, StringComparison.Ordinal);
        Assert.DoesNotContain("TopicName: 'b-", redeploy.TemplateBody, StringComparison.Ordinal);
        var b = (await platform.GetServiceInstanceAsync("api", "b"))!;
        Assert.Equal(DeploymentStatus.AwaitingExternalApply, b.DeploymentStatus);
        Assert.Equal(DeploymentStatus.DeleteComplete, (await platform.NotifyDeploymentAsync(b.LastAttemptedDeploymentId!, true)).Status);
        Assert.Equal(["a", "c"], (await platform.ListServiceInstancesAsync("api")).Select(i => i.Name));
    }

    private static async Task<ProtonPlatform> NewAsync(IProtonStore store, IProvisioner provisioner, TimeProvider? time = null)
    {
        var platform = new ProtonPlatform(store, provisioner, timeProvider: time);
        if (await platform.Registry.GetTemplateAsync("env") is null)
        {
            await platform.Registry.CreateTemplateAsync("env", TemplateKind.Environment);
            await RegisterAsync(platform, "env", Env(), "1.0.0");
        }

        return platform;
    }

    [Fact]
    public async Task Deploy_HandedToAnExternalApply_WaitsHoldingItsTarget_AndNotifySucceededRecordsTheOutputs()
    {
        var store = new InMemoryProtonStore();
        var platform = await NewAsync(store, new HandOffProvisioner());

        var waiting = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env" });

        Assert.Equal(DeploymentStatus.AwaitingExternalApply, waiting.Status);
        Assert.False(waiting.IsFinished);
        Assert.Null(waiting.LeaseExpiresAt);
        var env = (await platform.GetEnvironmentAsync("dev"))!;
        Assert.Equal(DeploymentStatus.AwaitingExternalApply, env.DeploymentStatus);
        Assert.True(env.IsBusy);
        var busy = await Assert.ThrowsAsync<PlatformException>(() => platform.UpdateEnvironmentAsync("dev", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion }));
        Assert.Equal(PlatformErrorCodes.Conflict, busy.ErrorCode);

        var done = await platform.NotifyDeploymentAsync(waiting.Id, succeeded: true, new Dictionary<string, string> { ["VpcId"] = "vpc-123" });

        Assert.Equal(DeploymentStatus.Succeeded, done.Status);
        Assert.Equal("vpc-123", done.Outputs["VpcId"]);
        env = (await platform.GetEnvironmentAsync("dev"))!;
        Assert.Equal((DeploymentStatus.Succeeded, "vpc-123", waiting.Id), (env.DeploymentStatus, env.Outputs["VpcId"], env.LastSucceededDeploymentId));
        var again = await Assert.ThrowsAsync<PlatformException>(() => platform.NotifyDeploymentAsync(waiting.Id, succeeded: true));
        Assert.Equal(PlatformErrorCodes.NotAwaiting, again.ErrorCode);
    }

    [Fact]
    public async Task NotifyFailed_KeepsThePreviousStateAndOutputs_WithTheReason()
    {
        var platform = await NewAsync(new InMemoryProtonStore(), new HandOffProvisioner());
        var create = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env" });
        await platform.NotifyDeploymentAsync(create.Id, true, new Dictionary<string, string> { ["VpcId"] = "vpc-1" });
        var update = await platform.UpdateEnvironmentAsync("dev", new UpdateRequest { UpdateType = DeploymentUpdateType.CurrentVersion });

        var failed = await platform.NotifyDeploymentAsync(update!.Id, succeeded: false, new Dictionary<string, string> { ["VpcId"] = "vpc-2" }, "terraform apply: quota exceeded");

        Assert.Equal((DeploymentStatus.Failed, "terraform apply: quota exceeded"), (failed.Status, failed.StatusMessage));
        var env = (await platform.GetEnvironmentAsync("dev"))!;
        Assert.Equal((DeploymentStatus.Failed, "vpc-1", create.Id), (env.DeploymentStatus, env.Outputs["VpcId"], env.LastSucceededDeploymentId));
    }

    [Fact]
    public async Task Reconcile_LeavesAWaitingDeploymentAlone_EvenLongAfter_AndCancelEndsIt()
    {
        var store = new InMemoryProtonStore();
        var provisioner = new HandOffProvisioner();
        var platform = await NewAsync(store, provisioner);
        var waiting = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env" });
        var later = await NewAsync(store, provisioner, new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromDays(2)));

        Assert.Empty(await later.ReconcileAsync());
        Assert.Equal(DeploymentStatus.AwaitingExternalApply, (await later.GetDeploymentAsync(waiting.Id))!.Status);

        var cancelled = await later.CancelDeploymentAsync(waiting.Id);

        Assert.Equal(DeploymentStatus.Cancelled, cancelled.Status);
        Assert.Equal(DeploymentStatus.Cancelled, (await later.GetEnvironmentAsync("dev"))!.DeploymentStatus);
    }

    [Fact]
    public async Task Delete_HandedToAnExternalDestroy_RemovesTheResourceOnlyWhenNotified()
    {
        var platform = await NewAsync(new InMemoryProtonStore(), new HandOffProvisioner());
        var create = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "env" });
        await platform.NotifyDeploymentAsync(create.Id, true);

        var delete = await platform.DeleteEnvironmentAsync("dev");

        Assert.Equal(DeploymentStatus.AwaitingExternalApply, delete.Status);
        Assert.NotNull(await platform.GetEnvironmentAsync("dev"));
        Assert.Equal(DeploymentStatus.DeleteComplete, (await platform.NotifyDeploymentAsync(delete.Id, true)).Status);
        Assert.Null(await platform.GetEnvironmentAsync("dev"));
    }

    [Fact]
    public async Task Notify_OfAnUnknownDeployment_IsNotFound()
    {
        var platform = await NewAsync(new InMemoryProtonStore(), new HandOffProvisioner());

        var ex = await Assert.ThrowsAsync<PlatformException>(() => platform.NotifyDeploymentAsync("nope", true));

        Assert.Equal(PlatformErrorCodes.NotFound, ex.ErrorCode);
    }
}
