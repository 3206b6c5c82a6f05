namespace Proton.Sdk.Provisioning;

/// <summary>How a deployment ended.</summary>
public enum ProvisionStatus
{
    /// <summary>The stack reached the target state.</summary>
    Succeeded,

    /// <summary>There was nothing to change; the outputs are the current ones.</summary>
    NoChanges,

    /// <summary>The stack did not reach the target state; <see cref="ProvisionResult.Failures"/> says why.</summary>
    Failed,

    /// <summary>The caller cancelled and the provisioner stopped the operation.</summary>
    Cancelled,
}

/// <summary>What to deploy: one named stack from a rendered template.</summary>
public sealed record DeployRequest
{
    /// <summary>The stack's name.</summary>
    public required string StackName { get; init; }

    /// <summary>The rendered template (CloudFormation YAML or JSON).</summary>
    public required string TemplateBody { get; init; }

    /// <summary>Stack parameters.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Stack tags (Proton's <c>proton:*</c> tags are added by the platform).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The deployment's id: provisioners use it as an idempotency token, so a retried call does not deploy twice.</summary>
    public string? DeploymentId { get; init; }

    /// <summary>Capabilities to acknowledge (<c>CAPABILITY_IAM</c>, ...); null lets the provisioner detect them from the template.</summary>
    public IReadOnlyList<string>? Capabilities { get; init; }

    /// <summary>Values that must never reach logs, events or records (secret inputs); provisioners mask them.</summary>
    public IReadOnlyCollection<string> SecretValues { get; init; } = [];
}

/// <summary>One event of a stack operation, in the order the provisioner saw it.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="LogicalId">The resource (or the stack's own name).</param>
/// <param name="ResourceType">The resource type (<c>AWS::CloudFormation::Stack</c> for the stack).</param>
/// <param name="Status">The resource status (<c>CREATE_COMPLETE</c>, ...).</param>
/// <param name="Reason">The status reason, when given.</param>
public sealed record ProvisioningEvent(DateTimeOffset Timestamp, string LogicalId, string ResourceType, string Status, string? Reason = null)
{
    /// <summary>The physical id, when known.</summary>
    public string? PhysicalId { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Timestamp:HH:mm:ss} {LogicalId} ({ResourceType}) {Status}{(Reason is null ? string.Empty : ": " + Reason)}";
}

/// <summary>A resource that failed, as the root cause of a failed operation.</summary>
/// <param name="LogicalId">The resource.</param>
/// <param name="ResourceType">Its type.</param>
/// <param name="Status">The failed status.</param>
/// <param name="Reason">What the provider said.</param>
public sealed record ResourceFailure(string LogicalId, string ResourceType, string Status, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{LogicalId} ({ResourceType}) {Status}: {Reason}";
}

/// <summary>The result of a deploy or destroy.</summary>
public sealed record ProvisionResult
{
    /// <summary>How it ended.</summary>
    public required ProvisionStatus Status { get; init; }

    /// <summary>The stack's final status as the provisioner reports it (<c>CREATE_COMPLETE</c>, ...), when there is a stack.</summary>
    public string? StackStatus { get; init; }

    /// <summary>The stack's outputs after the operation.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

    /// <summary>A one-line summary.</summary>
    public string? Message { get; init; }

    /// <summary>The root cause of a failure: the first resource-level failures.</summary>
    public IReadOnlyList<ResourceFailure> Failures { get; init; } = [];

    /// <summary>True for <see cref="ProvisionStatus.Succeeded"/> and <see cref="ProvisionStatus.NoChanges"/>.</summary>
    public bool IsSuccess => Status is ProvisionStatus.Succeeded or ProvisionStatus.NoChanges;
}

/// <summary>What a deployment would do to one resource.</summary>
public enum ResourceChangeAction
{
    /// <summary>The resource is new.</summary>
    Add,

    /// <summary>The resource changes.</summary>
    Modify,

    /// <summary>The resource goes away.</summary>
    Remove,
}

/// <summary>One planned change.</summary>
/// <param name="Action">Add, modify or remove.</param>
/// <param name="LogicalId">The resource.</param>
/// <param name="ResourceType">Its type.</param>
/// <param name="Replacement">For a modification: <c>True</c>, <c>False</c> or <c>Conditional</c> as CloudFormation says; null otherwise.</param>
public sealed record ResourceChange(ResourceChangeAction Action, string LogicalId, string ResourceType, string? Replacement = null);

/// <summary>What a deployment would change, without changing anything.</summary>
/// <param name="StackName">The stack.</param>
/// <param name="StackExists">False when the deployment would create the stack.</param>
/// <param name="Changes">The resource changes, in template order.</param>
public sealed record StackPlan(string StackName, bool StackExists, IReadOnlyList<ResourceChange> Changes)
{
    /// <summary>True when nothing would change.</summary>
    public bool IsEmpty => StackExists && Changes.Count == 0;
}

/// <summary>A stack's current state.</summary>
/// <param name="StackName">The stack.</param>
/// <param name="Status">The provisioner's status text (<c>CREATE_COMPLETE</c>, <c>UPDATE_IN_PROGRESS</c>, ...).</param>
public sealed record StackDescription(string StackName, string Status)
{
    /// <summary>The outputs.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

    /// <summary>The status reason, when given.</summary>
    public string? StatusReason { get; init; }

    /// <summary>The deployment id (idempotency token) of the stack's last operation, when the provisioner knows it.</summary>
    public string? LastDeploymentId { get; init; }

    /// <summary>True while an operation runs (<c>*_IN_PROGRESS</c> other than cleanup of a finished update).</summary>
    public bool IsInProgress => Status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) && !Status.EndsWith("_COMPLETE_CLEANUP_IN_PROGRESS", StringComparison.Ordinal) && Status != "REVIEW_IN_PROGRESS";

    /// <summary>True when the last operation reached its goal (<c>CREATE_COMPLETE</c>, <c>UPDATE_COMPLETE</c>, <c>IMPORT_COMPLETE</c>).</summary>
    public bool IsStable => Status is "CREATE_COMPLETE" or "UPDATE_COMPLETE" or "IMPORT_COMPLETE" or "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS";
}

/// <summary>A provisioning operation could not start or its state could not be read (not a failed stack, which is a result).</summary>
/// <param name="errorCode">The stable code (<c>provisioning.busy</c>, <c>provisioning.invalid-template</c>, ...).</param>
/// <param name="message">What happened.</param>
/// <param name="innerException">The cause.</param>
public class ProvisioningException(string errorCode, string message, Exception? innerException = null) : ProtonException(errorCode, message, innerException);

/// <summary>
/// Deploys, plans and destroys one named stack from a rendered template. Implementations: <see cref="LocalProvisioner"/>
/// (offline) and the CloudFormation provisioner of Proton.Sdk.Aws. Failures of the stack itself come back as a
/// <see cref="ProvisionResult"/> with the root cause; exceptions are for operations that could not start.
/// </summary>
public interface IProvisioner
{
    /// <summary>A short name (<c>local</c>, <c>cloudformation</c>) recorded with each deployment.</summary>
    string Name { get; }

    /// <summary>Creates or updates the stack and waits for the end, streaming each event once, in order.</summary>
    /// <param name="request">What to deploy.</param>
    /// <param name="progress">Receives events as they happen.</param>
    /// <param name="cancellationToken">Cancels the deployment (the provisioner stops the operation where it can).</param>
    /// <returns>The outcome, with outputs or the root cause.</returns>
    Task<ProvisionResult> DeployAsync(DeployRequest request, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Says what <see cref="DeployAsync"/> would change, without changing anything.</summary>
    /// <param name="request">What would be deployed.</param>
    /// <param name="cancellationToken">Cancels the plan.</param>
    /// <returns>The planned changes.</returns>
    Task<StackPlan> PlanAsync(DeployRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes the stack and waits; a stack that does not exist is a success.</summary>
    /// <param name="stackName">The stack.</param>
    /// <param name="progress">Receives events as they happen.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The outcome; on failure, the resources that stayed.</returns>
    Task<ProvisionResult> DestroyAsync(string stackName, IProgress<ProvisioningEvent>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Reads the stack's state, or null when it does not exist.</summary>
    /// <param name="stackName">The stack.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state or null.</returns>
    Task<StackDescription?> DescribeAsync(string stackName, CancellationToken cancellationToken = default);
}
