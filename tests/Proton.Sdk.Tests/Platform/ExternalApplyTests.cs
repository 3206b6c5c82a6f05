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
