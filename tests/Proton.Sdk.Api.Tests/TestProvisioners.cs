using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Api.Tests;

/// <summary>The local provisioner behind a gate: deployments wait until the test opens it (or they are cancelled).</summary>
internal sealed class GatedProvisioner(string root) : IProvisioner
{
    private readonly LocalProvisioner _inner = new(new LocalProvisionerOptions { RootDirectory = root });
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "local";

    public void Open() => _gate.TrySetResult();

    public async Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        await _gate.Task.WaitAsync(cancellationToken);
        return await _inner.DeployAsync(request, progress, cancellationToken);
    }

    public Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default) => _inner.PlanAsync(request, cancellationToken);

    public async Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        await _gate.Task.WaitAsync(cancellationToken);
        return await _inner.DestroyAsync(stackName, progress, cancellationToken);
    }

    public Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default) => _inner.DescribeAsync(stackName, cancellationToken);
}

/// <summary>Hands every deployment to an external apply, as Terraform's pull-request mode does.</summary>
internal sealed class HandOffProvisioner : IProvisioner
{
    public string Name => "hand-off";

    public Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
        => Task.FromResult(new ProvisionResult { Status = ProvisionStatus.AwaitingExternalApply, State = StackState.InProgress, EngineStatus = "AWAITING_EXTERNAL_APPLY" });

    public Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default) => Task.FromResult(new StackPlan(request.StackName, false, []));

    public Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
        => Task.FromResult(new ProvisionResult { Status = ProvisionStatus.AwaitingExternalApply, State = StackState.InProgress, EngineStatus = "AWAITING_EXTERNAL_DESTROY" });

    public Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default)
        => Task.FromResult<StackDescription?>(new StackDescription(stackName, StackState.Failed) { EngineStatus = "NOT_APPLIED" });
}
