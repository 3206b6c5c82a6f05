using System.Collections.Concurrent;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.ExternalImplementations;

/// <summary>A provisioner written outside Proton.Sdk: keeps stacks in memory, reads outputs with the public template reader, masks secrets with the public redactor.</summary>
public sealed class RecordingProvisioner : IProvisioner
{
    private readonly ConcurrentDictionary<string, StackDescription> _stacks = new(StringComparer.Ordinal);

    public string Name => "recording";

    public ConcurrentQueue<DeployRequest> Deployed { get; } = new();

    public ConcurrentQueue<string> Messages { get; } = new();

    public Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        Deployed.Enqueue(request);
        var template = CloudFormationTemplate.Parse(request.TemplateBody, request.StackName);
        var outputs = template.Outputs.ToDictionary(o => o.Key, o => CloudFormationTemplate.Text(o.Value) ?? "external:" + o.Key, StringComparer.Ordinal);
        foreach (var resource in template.Resources)
        {
            progress?.Report(new ProvisioningEvent(DateTimeOffset.UnixEpoch, resource.LogicalId, resource.Type, ResourceEventStatus.Succeeded) { Action = ResourceAction.Create, EngineStatus = "made" });
        }

        Messages.Enqueue(SecretRedactor.Redact($"deployed {request.StackName} with {string.Join(",", request.Parameters.Values)}", request.SecretValues));
        _stacks[request.StackName] = new StackDescription(request.StackName, StackState.Succeeded) { EngineStatus = "made", Outputs = outputs, LastDeploymentId = request.DeploymentId };
        return Task.FromResult(new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Succeeded, EngineStatus = "made", Outputs = outputs });
    }

    public Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default)
    {
        var template = CloudFormationTemplate.Parse(request.TemplateBody, request.StackName);
        var exists = _stacks.ContainsKey(request.StackName);
        return Task.FromResult(new StackPlan(request.StackName, exists, exists ? [] : template.Resources.Select(r => new ResourceChange(ResourceChangeAction.Add, r.LogicalId, r.Type)).ToList()));
    }

    public Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        _stacks.TryRemove(stackName, out _);
        return Task.FromResult(new ProvisionResult { Status = ProvisionStatus.Succeeded, State = StackState.Deleted, EngineStatus = "gone" });
    }

    public Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default)
        => Task.FromResult(_stacks.TryGetValue(stackName, out var s) ? s : null);
}
