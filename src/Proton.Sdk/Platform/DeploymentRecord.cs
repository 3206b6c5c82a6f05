using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>One deployment attempt, recorded before it starts.</summary>
public sealed record DeploymentRecord
{
    /// <summary>The id (a UUID).</summary>
    public required string Id { get; init; }

    /// <summary>What it deploys.</summary>
    public required DeploymentTargetType TargetType { get; init; }

    /// <summary>The target: <c>env</c>, <c>service/instance</c> or <c>service</c> (pipeline).</summary>
    public required string Target { get; init; }

    /// <summary>The environment involved (the target, or the instance's environment).</summary>
    public string? EnvironmentName { get; init; }

    /// <summary>The service, for instances and pipelines.</summary>
    public string? ServiceName { get; init; }

    /// <summary>The instance, for instances.</summary>
    public string? InstanceName { get; init; }

    /// <summary>True for a delete.</summary>
    public bool IsDelete { get; init; }

    /// <summary>The status.</summary>
    public DeploymentStatus Status { get; init; }

    /// <summary>A one-line message: the outcome or the root cause.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>The resource failures behind a failed deployment.</summary>
    public IReadOnlyList<ResourceFailure> Failures { get; init; } = [];

    /// <summary>What the target ran before (null on create).</summary>
    public DeploymentState? InitialState { get; init; }

    /// <summary>What the target runs after success (null on delete).</summary>
    public DeploymentState? TargetState { get; init; }

    /// <summary>The outputs after success.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

    /// <summary>The update type that asked for it.</summary>
    public DeploymentUpdateType? UpdateType { get; init; }

    /// <summary>For a rollback: the earlier deployment whose state it restores.</summary>
    public string? RollbackOf { get; init; }

    /// <summary>The provisioner (<c>local</c>, <c>cloudformation</c>).</summary>
    public string? Provisioner { get; init; }

    /// <summary>The stack.</summary>
    public string? StackName { get; init; }

    /// <summary>The host and process that runs it (<c>host/pid/random</c>) while it runs; reconcile and cancel use it with <see cref="LeaseExpiresAt"/>.</summary>
    public string? Owner { get; init; }

    /// <summary>Until when the owner's lease holds; the owner renews it while the deployment runs. Once it has passed, the owner is taken to be gone and reconcile may complete the deployment.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>When it was recorded.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset LastModifiedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>For an environment: instances whose environment outputs changed with this deployment and need a redeploy.</summary>
    public IReadOnlyList<string> DependentsToRedeploy { get; init; } = [];

    /// <summary>True once it has ended.</summary>
    [JsonIgnore]
    public bool IsFinished => Status is not (DeploymentStatus.InProgress or DeploymentStatus.Cancelling or DeploymentStatus.DeleteInProgress or DeploymentStatus.AwaitingExternalApply);

    /// <summary>The duration, once finished.</summary>
    [JsonIgnore]
    public TimeSpan? Duration => CompletedAt - CreatedAt;
}
