using System.Text.Json.Serialization;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Platform;

/// <summary>Proton's deployment types for updates (<c>DeploymentUpdateType</c>).</summary>
public enum DeploymentUpdateType
{
    /// <summary>No deployment; only metadata (the description) changes.</summary>
    None,

    /// <summary>Redeploy the same template version, with a new spec when one is given.</summary>
    CurrentVersion,

    /// <summary>Move to the recommended (or a given) newer minor of the current major.</summary>
    MinorVersion,

    /// <summary>Move to the recommended (or a given) version of a higher major; compatibility is checked again.</summary>
    MajorVersion,
}

/// <summary>A deployment's or a resource's deployment status (Proton's <c>DeploymentStatus</c>).</summary>
public enum DeploymentStatus
{
    /// <summary>Running.</summary>
    InProgress,

    /// <summary>Reached its target state.</summary>
    Succeeded,

    /// <summary>Did not reach its target state; the resource keeps its previous version and inputs.</summary>
    Failed,

    /// <summary>A cancel was asked for and is under way.</summary>
    Cancelling,

    /// <summary>Cancelled; the resource keeps its previous version and inputs.</summary>
    Cancelled,

    /// <summary>Being deleted.</summary>
    DeleteInProgress,

    /// <summary>Deleted.</summary>
    DeleteComplete,

    /// <summary>The delete failed; the resource is still there.</summary>
    DeleteFailed,
}

/// <summary>What a deployment targets.</summary>
public enum DeploymentTargetType
{
    /// <summary>An environment.</summary>
    Environment,

    /// <summary>A service instance.</summary>
    ServiceInstance,

    /// <summary>A service pipeline.</summary>
    ServicePipeline,
}

/// <summary>How an environment's infrastructure is managed.</summary>
public enum EnvironmentProvisioning
{
    /// <summary>Rendered and provisioned by the platform.</summary>
    Managed,

    /// <summary>Adopted from an existing stack (migration off Proton); later updates deploy to that stack.</summary>
    ImportedStack,

    /// <summary>Provisioned elsewhere; the platform only knows its outputs (Proton's customer-managed environments).</summary>
    CustomerManaged,
}

/// <summary>A service's status (a subset of Proton's <c>ServiceStatus</c>).</summary>
public enum ServiceStatus
{
    /// <summary>Being created.</summary>
    CreateInProgress,

    /// <summary>Creating an instance or the pipeline failed.</summary>
    CreateFailed,

    /// <summary>Running.</summary>
    Active,

    /// <summary>Its spec is being updated.</summary>
    UpdateInProgress,

    /// <summary>A spec update failed (the pipeline, or the new instances which were removed again).</summary>
    UpdateFailed,

    /// <summary>Being deleted.</summary>
    DeleteInProgress,

    /// <summary>Deleting an instance or the pipeline failed.</summary>
    DeleteFailed,
}

/// <summary>A template version and inputs: what a target runs, before and after a deployment.</summary>
/// <param name="TemplateName">The template.</param>
/// <param name="TemplateVersion">The version.</param>
/// <param name="Inputs">The inputs after defaults; secret inputs hold <see cref="Schema.InputValues.Mask"/>.</param>
public sealed record DeploymentState(string TemplateName, string TemplateVersion, IReadOnlyDictionary<string, object?> Inputs);

/// <summary>The fields every deployable resource carries (Proton's <c>lastDeployment*</c>).</summary>
public abstract record DeployableRecord
{
    /// <summary>The template.</summary>
    public required string TemplateName { get; init; }

    /// <summary>The version the last successful deployment put in place (or the version being created).</summary>
    public required string TemplateVersion { get; init; }

    /// <summary>The inputs of that deployment; secret inputs hold <see cref="Schema.InputValues.Mask"/>.</summary>
    public IReadOnlyDictionary<string, object?> Inputs { get; init; } = new Dictionary<string, object?>();

    /// <summary>The outputs of the last successful deployment.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

    /// <summary>The stack, when the platform provisions one.</summary>
    public string? StackName { get; init; }

    /// <summary>The status of the last deployment attempt.</summary>
    public DeploymentStatus DeploymentStatus { get; init; }

    /// <summary>Why the last attempt failed, when it did.</summary>
    public string? DeploymentStatusMessage { get; init; }

    /// <summary>The last attempted deployment; while it runs, it is the lock on this target.</summary>
    public string? LastAttemptedDeploymentId { get; init; }

    /// <summary>The last successful deployment.</summary>
    public string? LastSucceededDeploymentId { get; init; }

    /// <summary>When the last deployment was attempted.</summary>
    public DateTimeOffset? LastDeploymentAttemptedAt { get; init; }

    /// <summary>When the last deployment succeeded.</summary>
    public DateTimeOffset? LastDeploymentSucceededAt { get; init; }

    /// <summary>When the resource was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>True while a deployment of this target runs.</summary>
    [JsonIgnore]
    public bool IsBusy => DeploymentStatus is DeploymentStatus.InProgress or DeploymentStatus.Cancelling or DeploymentStatus.DeleteInProgress;
}

/// <summary>An environment.</summary>
public sealed record EnvironmentRecord : DeployableRecord
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The AWS account it runs in, when known (<c>environment.account_id</c>).</summary>
    public string? AccountId { get; init; }

    /// <summary>How its infrastructure is managed.</summary>
    public EnvironmentProvisioning Provisioning { get; init; }

    /// <summary>The deployment whose outputs are current; instances deployed with older outputs need a redeploy.</summary>
    public string? OutputsDeploymentId { get; init; }
}

/// <summary>A service's pipeline.</summary>
public sealed record PipelineRecord : DeployableRecord
{
}

/// <summary>A service: its instances are separate records; its pipeline lives here.</summary>
public sealed record ServiceRecord
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The service template.</summary>
    public required string TemplateName { get; init; }

    /// <summary>The status.</summary>
    public ServiceStatus Status { get; init; }

    /// <summary>Why the last operation failed, when it did.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>The pipeline, when the template has one.</summary>
    public PipelineRecord? Pipeline { get; init; }

    /// <summary>The source repository (<c>owner/name</c>) for the pipeline.</summary>
    public string? RepositoryId { get; init; }

    /// <summary>The source branch for the pipeline.</summary>
    public string? BranchName { get; init; }

    /// <summary>The CodeStar connection of the repository.</summary>
    public string? RepositoryConnectionArn { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A service instance.</summary>
public sealed record ServiceInstanceRecord : DeployableRecord
{
    /// <summary>The service.</summary>
    public required string ServiceName { get; init; }

    /// <summary>The instance's name.</summary>
    public required string Name { get; init; }

    /// <summary>The environment it runs in.</summary>
    public required string EnvironmentName { get; init; }

    /// <summary>The environment deployment whose outputs the last successful deployment used.</summary>
    public string? EnvironmentDeploymentId { get; init; }
}

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
    public bool IsFinished => Status is not (DeploymentStatus.InProgress or DeploymentStatus.Cancelling or DeploymentStatus.DeleteInProgress);

    /// <summary>The duration, once finished.</summary>
    [JsonIgnore]
    public TimeSpan? Duration => CompletedAt - CreatedAt;
}

/// <summary>Progress of platform work: a message or a provisioning event, with the deployment it belongs to.</summary>
/// <param name="DeploymentId">The deployment.</param>
/// <param name="Target">The target (<c>env</c>, <c>service/instance</c>, <c>service</c>).</param>
/// <param name="Message">What happens.</param>
/// <param name="Event">The provisioning event, when this is one.</param>
public sealed record DeploymentProgress(string DeploymentId, string Target, string Message, ProvisioningEvent? Event = null);

/// <summary>An error of the platform; <see cref="ProtonException.ErrorCode"/> says which rule (<c>platform.conflict</c>, ...).</summary>
/// <param name="errorCode">The stable code.</param>
/// <param name="message">What happened and what would do.</param>
public sealed class PlatformException(string errorCode, string message) : ProtonException(errorCode, message);

/// <summary>Creates an environment.</summary>
public sealed record CreateEnvironmentRequest
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The environment template.</summary>
    public required string TemplateName { get; init; }

    /// <summary>A version or constraint (<c>1.2.0</c>, <c>^1</c>); the recommended version when null.</summary>
    public string? TemplateVersion { get; init; }

    /// <summary>The spec's inputs.</summary>
    public IReadOnlyDictionary<string, object?> Inputs { get; init; } = new Dictionary<string, object?>();

    /// <summary>The AWS account, when known.</summary>
    public string? AccountId { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }
}

/// <summary>Adopts an environment that exists already (migration off Proton).</summary>
public sealed record ImportEnvironmentRequest
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The environment template it was made from.</summary>
    public required string TemplateName { get; init; }

    /// <summary>A version or constraint; the recommended version when null.</summary>
    public string? TemplateVersion { get; init; }

    /// <summary>The inputs it was deployed with.</summary>
    public IReadOnlyDictionary<string, object?> Inputs { get; init; } = new Dictionary<string, object?>();

    /// <summary>An existing stack to adopt: its outputs are read through the provisioner. Null with <see cref="Outputs"/> for a customer-managed environment.</summary>
    public string? StackName { get; init; }

    /// <summary>The outputs of a customer-managed environment.</summary>
    public IReadOnlyDictionary<string, string>? Outputs { get; init; }

    /// <summary>The AWS account, when known.</summary>
    public string? AccountId { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }
}

/// <summary>Updates an environment, an instance or a pipeline with one of Proton's deployment types.</summary>
public sealed record UpdateRequest
{
    /// <summary>The deployment type.</summary>
    public required DeploymentUpdateType UpdateType { get; init; }

    /// <summary>For minor and major updates: a version or constraint; the recommended one when null.</summary>
    public string? TemplateVersion { get; init; }

    /// <summary>New inputs (values may be <c>${Proton::CURRENT_VAL}</c>); the current inputs when null.</summary>
    public IReadOnlyDictionary<string, object?>? Inputs { get; init; }

    /// <summary>A new description (the only change <see cref="DeploymentUpdateType.None"/> makes).</summary>
    public string? Description { get; init; }
}

/// <summary>Creates a service with its instances and pipeline.</summary>
public sealed record CreateServiceRequest
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The service template.</summary>
    public required string TemplateName { get; init; }

    /// <summary>A version or constraint; the recommended version when null.</summary>
    public string? TemplateVersion { get; init; }

    /// <summary>The spec: at least one instance, and the pipeline's inputs when the template has a pipeline.</summary>
    public required Templates.ServiceSpec Spec { get; init; }

    /// <summary>The source repository (<c>owner/name</c>).</summary>
    public string? RepositoryId { get; init; }

    /// <summary>The source branch.</summary>
    public string? BranchName { get; init; }

    /// <summary>The repository connection ARN.</summary>
    public string? RepositoryConnectionArn { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }
}

/// <summary>The outcome of service work: the deployments it ran, in order.</summary>
/// <param name="Service">The service as it is now (null once deleted).</param>
/// <param name="Deployments">The deployments, in the order they ran.</param>
public sealed record ServiceOperationResult(ServiceRecord? Service, IReadOnlyList<DeploymentRecord> Deployments)
{
    /// <summary>True when every deployment succeeded.</summary>
    public bool Succeeded => Deployments.All(d => d.Status is DeploymentStatus.Succeeded or DeploymentStatus.DeleteComplete);
}

/// <summary>Counts of resources per template, like Proton's <c>GetResourcesSummary</c>.</summary>
/// <param name="TemplateName">The template.</param>
/// <param name="ResourceType">Environments, service instances or pipelines.</param>
/// <param name="RecommendedVersion">The template's recommended version, if any.</param>
public sealed record SummaryCounts(string TemplateName, DeploymentTargetType ResourceType, string? RecommendedVersion)
{
    /// <summary>On the recommended version of their major, with no newer major recommended.</summary>
    public int UpToDate { get; init; }

    /// <summary>Behind the recommended minor of their major.</summary>
    public int BehindMinor { get; init; }

    /// <summary>Up to date in their major, but a higher major is recommended.</summary>
    public int BehindMajor { get; init; }

    /// <summary>Whose last deployment failed.</summary>
    public int Failed { get; init; }

    /// <summary>All of them.</summary>
    public int Total { get; init; }
}

/// <summary>One move of a fleet upgrade.</summary>
/// <param name="TargetType">Environment, instance or pipeline.</param>
/// <param name="Target">The target.</param>
/// <param name="FromVersion">The version it runs.</param>
/// <param name="ToVersion">The version it moves to.</param>
/// <param name="UpdateType">Minor or major.</param>
public sealed record UpgradeStep(DeploymentTargetType TargetType, string Target, string FromVersion, string ToVersion, DeploymentUpdateType UpdateType)
{
    /// <summary>Why the step cannot run (an incompatible environment, a running deployment, a secret to supply), or null.</summary>
    public string? BlockedReason { get; init; }
}

/// <summary>A fleet upgrade, shown before it runs.</summary>
/// <param name="TemplateName">The template.</param>
/// <param name="ToVersion">The version the fleet moves to.</param>
/// <param name="Steps">One step per resource not on that version.</param>
public sealed record UpgradePlan(string TemplateName, string ToVersion, IReadOnlyList<UpgradeStep> Steps);

/// <summary>How a fleet upgrade runs.</summary>
public sealed record UpgradeOptions
{
    /// <summary>How many deployments run at once (at least 1).</summary>
    public int MaxConcurrency { get; init; } = 1;

    /// <summary>How many failures are tolerated; one more stops the rollout (no new deployment starts).</summary>
    public int FailureTolerance { get; init; }
}

/// <summary>The outcome of one upgrade step.</summary>
/// <param name="Step">The step.</param>
/// <param name="Deployment">Its deployment, or null when it did not run.</param>
/// <param name="Outcome"><c>succeeded</c>, <c>failed</c>, <c>blocked</c> or <c>not-started</c>.</param>
public sealed record UpgradeStepResult(UpgradeStep Step, DeploymentRecord? Deployment, string Outcome)
{
    /// <summary>Why it failed or did not run.</summary>
    public string? Message { get; init; }
}

/// <summary>The outcome of a fleet upgrade.</summary>
/// <param name="Plan">The plan it ran.</param>
/// <param name="Steps">Each step's outcome, in plan order.</param>
/// <param name="Stopped">True when failures passed the tolerance and the rollout stopped.</param>
public sealed record UpgradeResult(UpgradePlan Plan, IReadOnlyList<UpgradeStepResult> Steps, bool Stopped);

/// <summary>Options of the <see cref="ProtonPlatform"/>.</summary>
public sealed class ProtonPlatformOptions
{
    /// <summary>The prefix of stack names. Default <c>proton</c>.</summary>
    public string StackNamePrefix { get; set; } = "proton";

    /// <summary>
    /// The account environments run in when a create or import does not say (<c>environment.account_id</c>, which
    /// pipeline templates read). Null leaves it unknown: templates that read it then fail to render, naming it.
    /// </summary>
    public string? DefaultAccountId { get; set; }

    /// <summary>Asked for the account when neither a request nor <see cref="DefaultAccountId"/> gives one (Proton.Sdk.Aws: STS GetCallerIdentity). Default null.</summary>
    public IAccountIdSource? AccountIdSource { get; set; }

    /// <summary>
    /// When set, every deployment first derives the actions its template needs (<see cref="Policies.PolicyBuilder"/>) and
    /// checks them against this role policy; a deployment that would fail for lack of permissions is refused up front with
    /// <c>platform.missing-permissions</c>, naming the actions.
    /// </summary>
    public PermissionCheck? PermissionCheck { get; set; }

    /// <summary>Extra tags on every stack (the platform adds Proton's <c>proton:*</c> tags).</summary>
    public IDictionary<string, string> Tags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>The provisioning role's policy and where resource-type permissions come from, for checks before deployments.</summary>
/// <param name="RolePolicyJson">The role's identity policy document (JSON).</param>
/// <param name="Source">Where handler permissions come from.</param>
public sealed record PermissionCheck(string RolePolicyJson, Policies.IResourcePermissionSource Source);
