using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Rendering;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Platform;

/// <summary>
/// The entry point for hosts: environments, services, instances and pipelines over an <see cref="IProtonStore"/> and an
/// <see cref="IProvisioner"/>, with Proton's update semantics, recorded deployments, rollback, reconcile after a crash,
/// a summary and fleet upgrades. A deployment in progress is the lock on its target: a second one fails fast with
/// <c>platform.conflict</c>; different targets deploy in parallel. Safe to share between threads and hosts.
/// </summary>
/// <remarks>
/// A facade over collaborators with one responsibility each: a record repository over the store, a version resolver
/// (Proton's update types, compatibility, inputs), a request factory (rendering, stack names, tags), a deployment engine
/// (record, lock, lease, run, cancel, reconcile), the environment and service lifecycles, and a fleet planner.
/// </remarks>
public sealed class ProtonPlatform : ITemplateUsage
{
    private readonly PlatformRecords _records;
    private readonly VersionResolver _versions;
    private readonly DeploymentEngine _engine;
    private readonly EnvironmentLifecycle _environments;
    private readonly ServiceLifecycle _services;
    private readonly FleetPlanner _fleet;
    private readonly UpgradeImpactAnalyzer _impact;

    /// <summary>Creates the platform.</summary>
    /// <param name="store">Where templates, resources and deployments live.</param>
    /// <param name="provisioner">What deploys stacks of CloudFormation bundles (<see cref="LocalProvisioner"/> offline); other provisioning methods use <see cref="ProtonPlatformOptions.Provisioners"/>.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="renderer">The renderer; <see cref="TemplateRenderer.Default"/> when null.</param>
    /// <param name="timeProvider">The clock; system time when null.</param>
    /// <param name="logger">Where to log deployments (ids, targets, versions and statuses; never inputs); none when null.</param>
    public ProtonPlatform(IProtonStore store, IProvisioner provisioner, ProtonPlatformOptions? options = null, ITemplateRenderer? renderer = null, TimeProvider? timeProvider = null, ILogger<ProtonPlatform>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(provisioner);
        options ??= new ProtonPlatformOptions();
        renderer ??= TemplateRenderer.Default;
        var time = timeProvider ?? TimeProvider.System;
        Provisioner = provisioner;
        Registry = new TemplateRegistry(store, renderer, this, time);
        _records = new PlatformRecords(store);
        _versions = new VersionResolver(Registry);
        var provisioners = new ProvisionerSelector(provisioner, options);
        var requests = new DeployRequestFactory(options, renderer);
        Requests = requests;
        _engine = new DeploymentEngine(_records, provisioners, options, time, (ILogger?)logger ?? NullLogger.Instance);
        _environments = new EnvironmentLifecycle(_records, _versions, requests, _engine, provisioners, options, time);
        _services = new ServiceLifecycle(_records, _versions, requests, _engine, options, time);
        _fleet = new FleetPlanner(_records, _versions);
        _impact = new UpgradeImpactAnalyzer(_records, _versions, _environments, _services, provisioners, options);
    }

    /// <summary>The template registry over the same store; it refuses to delete versions that resources run on.</summary>
    public TemplateRegistry Registry { get; }

    /// <summary>The provisioner of CloudFormation bundles (the default one).</summary>
    public IProvisioner Provisioner { get; }

    internal static System.Text.Json.JsonSerializerOptions Json => PlatformRecords.Json;

    // For Migration (adoption of Proton's stacks): the same records, versions, requests and deployments the lifecycles use.
    internal PlatformRecords Records => _records;

    internal VersionResolver Versions => _versions;

    internal DeployRequestFactory Requests { get; }

    internal DeploymentEngine Engine => _engine;

    // Environments

    /// <summary>Creates an environment from a template version and deploys it.</summary>
    /// <param name="request">The environment.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the deployment (recorded as cancelled).</param>
    /// <returns>The deployment; its status says whether the environment is up.</returns>
    /// <exception cref="PlatformException">The environment exists, the version is not available, or the template is not deployable.</exception>
    /// <exception cref="ProtonValidationException">The inputs do not satisfy the schema; every failure with its path.</exception>
    public Task<DeploymentRecord> CreateEnvironmentAsync(CreateEnvironmentRequest request, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
        => _environments.CreateAsync(request, progress, cancellationToken);

    /// <summary>Adopts an environment that exists already: a stack (outputs read through the provisioner) or a customer-managed one (outputs given).</summary>
    /// <param name="request">The environment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The recorded import, a succeeded deployment with the outputs.</returns>
    public Task<DeploymentRecord> ImportEnvironmentAsync(ImportEnvironmentRequest request, CancellationToken cancellationToken = default)
        => _environments.ImportAsync(request, cancellationToken);

    /// <summary>Reads an environment.</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The environment or null.</returns>
    public Task<EnvironmentRecord?> GetEnvironmentAsync(string name, CancellationToken cancellationToken = default)
        => _records.GetEnvironmentAsync(name, cancellationToken);

    /// <summary>Lists environments by name.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The environments.</returns>
    public Task<IReadOnlyList<EnvironmentRecord>> ListEnvironmentsAsync(CancellationToken cancellationToken = default)
        => _records.ListEnvironmentsAsync(cancellationToken);

    /// <summary>Updates an environment with one of Proton's deployment types.</summary>
    /// <param name="name">The environment.</param>
    /// <param name="request">The update.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the deployment.</param>
    /// <returns>The deployment, or null for <see cref="DeploymentUpdateType.None"/>. When outputs changed, <see cref="DeploymentRecord.DependentsToRedeploy"/> lists the instances that need a redeploy.</returns>
    public Task<DeploymentRecord?> UpdateEnvironmentAsync(string name, UpdateRequest request, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
        => _environments.UpdateAsync(name, request, progress, cancellationToken);

    /// <summary>Deletes an environment and its stack; refused while service instances run in it.</summary>
    /// <param name="name">The environment.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The delete deployment.</returns>
    public Task<DeploymentRecord> DeleteEnvironmentAsync(string name, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
        => _environments.DeleteAsync(name, progress, cancellationToken);

    /// <summary>The instances of an environment deployed with outputs older than the environment's current ones.</summary>
    /// <param name="environmentName">The environment.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The instances that need a redeploy.</returns>
    public async Task<IReadOnlyList<ServiceInstanceRecord>> GetInstancesNeedingRedeployAsync(string environmentName, CancellationToken cancellationToken = default)
    {
        var env = await _records.GetEnvironmentAsync(environmentName, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("environment", environmentName);
        return await _engine.InstancesNeedingRedeployAsync(env, cancellationToken).ConfigureAwait(false);
    }

    // Services, instances and pipelines

    /// <summary>
    /// Creates a service: validates the whole spec, checks that every instance's environment runs a compatible environment
    /// template major, deploys each instance, then the pipeline (when the template has one) with the instances' outputs.
    /// </summary>
    /// <param name="request">The service.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the deployments.</param>
    /// <returns>The service and the deployments that ran.</returns>
    public Task<ServiceOperationResult> CreateServiceAsync(CreateServiceRequest request, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
        => _services.CreateAsync(request, progress, cancellationToken);

    /// <summary>
    /// Updates a service's spec with Proton's rules: instances in the spec that do not exist are created, existing ones missing
    /// from the spec are deleted (at least one must remain), then the pipeline is redeployed. If a new instance fails, the new
    /// instances are removed again, nothing is deleted and the pipeline is not touched. Existing instances keep their inputs
    /// (update them with <see cref="UpdateServiceInstanceAsync"/>). When new instances are handed to an external apply
    /// (<see cref="DeploymentStatus.AwaitingExternalApply"/>), the service stays <see cref="ServiceStatus.UpdateInProgress"/>
    /// with the rest of the update recorded (<see cref="ServiceRecord.PendingUpdate"/>); it goes on when the last of them is
    /// notified (<see cref="NotifyDeploymentStatusAsync"/>) or cancelled: the removed instances are deleted and the pipeline
    /// redeployed once with the new instances' outputs, or, if one failed, the new instances are de-provisioned.
    /// </summary>
    /// <param name="name">The service.</param>
    /// <param name="spec">The new spec.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the deployments.</param>
    /// <returns>The service and the deployments that ran.</returns>
    public Task<ServiceOperationResult> UpdateServiceAsync(string name, ServiceSpec spec, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
        => _services.UpdateAsync(name, spec, progress, cancellationToken);

    /// <summary>Updates one service instance with one of Proton's deployment types; environment compatibility is checked again.</summary>
    /// <param name="serviceName">The service.</param>
    /// <param name="instanceName">The instance.</param>
    /// <param name="request">The update.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the deployment.</param>
    /// <returns>The deployment, or null for <see cref="DeploymentUpdateType.None"/>.</returns>
    public Task<DeploymentRecord?> UpdateServiceInstanceAsync(string serviceName, string instanceName, UpdateRequest request, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
        => _services.UpdateInstanceAsync(serviceName, instanceName, request, progress, cancellationToken);

    /// <summary>Updates a service's pipeline with one of Proton's deployment types.</summary>
    /// <param name="serviceName">The service.</param>
    /// <param name="request">The update.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the deployment.</param>
    /// <returns>The deployment, or null for <see cref="DeploymentUpdateType.None"/>.</returns>
    public Task<DeploymentRecord?> UpdateServicePipelineAsync(string serviceName, UpdateRequest request, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
        => _services.UpdatePipelineAsync(serviceName, request, progress, cancellationToken);

    /// <summary>Deletes a service: its instances, then its pipeline, then the record. Failures leave the rest in place, marked.</summary>
    /// <param name="name">The service.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the waits.</param>
    /// <returns>The deployments that ran; <see cref="ServiceOperationResult.Service"/> is null once deleted.</returns>
    public Task<ServiceOperationResult> DeleteServiceAsync(string name, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
        => _services.DeleteAsync(name, progress, cancellationToken);

    /// <summary>Reads a service.</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The service or null.</returns>
    public Task<ServiceRecord?> GetServiceAsync(string name, CancellationToken cancellationToken = default)
        => _records.GetServiceAsync(name, cancellationToken);

    /// <summary>Lists services by name.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The services.</returns>
    public Task<IReadOnlyList<ServiceRecord>> ListServicesAsync(CancellationToken cancellationToken = default)
        => _records.ListServicesAsync(cancellationToken);

    /// <summary>Reads a service instance.</summary>
    /// <param name="serviceName">The service.</param>
    /// <param name="instanceName">The instance.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The instance or null.</returns>
    public Task<ServiceInstanceRecord?> GetServiceInstanceAsync(string serviceName, string instanceName, CancellationToken cancellationToken = default)
        => _records.GetInstanceAsync(serviceName, instanceName, cancellationToken);

    /// <summary>Lists a service's instances by name.</summary>
    /// <param name="serviceName">The service.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The instances.</returns>
    public Task<IReadOnlyList<ServiceInstanceRecord>> ListServiceInstancesAsync(string serviceName, CancellationToken cancellationToken = default)
        => _records.ListInstancesAsync(serviceName, cancellationToken);

    // Deployments

    /// <summary>Reads a deployment.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The deployment or null.</returns>
    public Task<DeploymentRecord?> GetDeploymentAsync(string id, CancellationToken cancellationToken = default)
        => _records.GetDeploymentAsync(id, cancellationToken);

    /// <summary>Lists deployments, oldest first, optionally of one environment, service or instance.</summary>
    /// <param name="environmentName">Only this environment's own deployments and those of instances in it.</param>
    /// <param name="serviceName">Only this service's instances and pipeline.</param>
    /// <param name="instanceName">With <paramref name="serviceName"/>: only this instance.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The deployments.</returns>
    public async Task<IReadOnlyList<DeploymentRecord>> ListDeploymentsAsync(string? environmentName = null, string? serviceName = null, string? instanceName = null, CancellationToken cancellationToken = default)
        => await _records.ListDeploymentsAsync(environmentName, serviceName, instanceName, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Cancels a deployment (Proton's <c>Cancel*Deployment</c>), wherever it runs: one running in this instance stops at
    /// once; one running in another process or host is marked <see cref="DeploymentStatus.Cancelling"/> and its owner stops
    /// it at its next lease renewal (<see cref="ProtonPlatformOptions.LeaseDuration"/>); one whose owner has gone is
    /// completed now from the stack's real state.
    /// </summary>
    /// <param name="id">The deployment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deployment: <see cref="DeploymentStatus.Cancelling"/> while its owner stops it, or its final state.</returns>
    /// <exception cref="PlatformException"><c>platform.not-cancellable</c> when it has finished; <c>platform.not-found</c> when there is no such deployment.</exception>
    public async Task<DeploymentRecord> CancelDeploymentAsync(string id, CancellationToken cancellationToken = default)
    {
        var d = await _engine.CancelAsync(id, cancellationToken).ConfigureAwait(false);
        if (d.IsFinished && !d.IsDelete && d.TargetType == DeploymentTargetType.ServiceInstance && d.ServiceName is { } service)
        {
            // A new instance of a service update that waited for an external apply: the update goes on (here, as a failed create).
            await _services.ContinueUpdateAsync(service, null, cancellationToken).ConfigureAwait(false);
        }

        return d;
    }

    /// <summary>
    /// Reports the outcome of a deployment that waits for an external apply (<see cref="DeploymentStatus.AwaitingExternalApply"/>,
    /// for example Terraform's pull-request mode), as Proton's <c>NotifyResourceDeploymentStatusChange</c> did: on success the
    /// outputs are recorded on the resource (and environment outputs flow to its instances as after any deployment); the
    /// deployment's status becomes terminal either way.
    /// </summary>
    /// <param name="id">The waiting deployment.</param>
    /// <param name="succeeded">True when the external apply succeeded.</param>
    /// <param name="outputs">The resource's outputs after the apply (ignored on failure).</param>
    /// <param name="statusMessage">A one-line message (the reason of a failure); a default one when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The finished deployment.</returns>
    /// <exception cref="PlatformException"><c>platform.not-found</c> when there is no such deployment; <c>platform.not-awaiting</c> when it does not wait for an external apply.</exception>
    public Task<DeploymentRecord> NotifyDeploymentAsync(string id, bool succeeded, IReadOnlyDictionary<string, string>? outputs = null, string? statusMessage = null, CancellationToken cancellationToken = default)
        => NotifyDeploymentStatusAsync(id, succeeded ? ExternalApplyStatus.Succeeded : ExternalApplyStatus.Failed, outputs, statusMessage, cancellationToken);

    /// <summary>
    /// Reports the status of a deployment that waits for an external apply, as Proton's
    /// <c>NotifyResourceDeploymentStatusChange</c> did. <see cref="ExternalApplyStatus.InProgress"/> keeps it waiting and
    /// records <paramref name="statusMessage"/> on it and its resource. <see cref="ExternalApplyStatus.Succeeded"/> records
    /// the outputs on the resource and then does what follows any successful deployment: environment outputs flow to the
    /// instances (<see cref="DeploymentRecord.DependentsToRedeploy"/>), and when the last instance of a service created
    /// while its instances waited succeeds, the service's pipeline (which waits on its instances) is created. When the last
    /// waiting new instance of a service update (<see cref="ServiceRecord.PendingUpdate"/>) is notified, succeeded or failed,
    /// the update goes on (<see cref="UpdateServiceAsync"/>) before this returns.
    /// <see cref="ExternalApplyStatus.Failed"/> keeps the previous state with the reason.
    /// </summary>
    /// <param name="id">The waiting deployment.</param>
    /// <param name="status">What the external apply reports.</param>
    /// <param name="outputs">The resource's outputs after the apply (only read on success).</param>
    /// <param name="statusMessage">A one-line message; a default one when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The notified deployment: terminal, or still waiting for <see cref="ExternalApplyStatus.InProgress"/>.</returns>
    /// <exception cref="PlatformException"><c>platform.not-found</c> when there is no such deployment; <c>platform.not-awaiting</c> when it has finished or does not wait for an external apply.</exception>
    public async Task<DeploymentRecord> NotifyDeploymentStatusAsync(string id, ExternalApplyStatus status, IReadOnlyDictionary<string, string>? outputs = null, string? statusMessage = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (status == ExternalApplyStatus.InProgress)
        {
            return await _engine.NotifyInProgressAsync(id, statusMessage, cancellationToken).ConfigureAwait(false);
        }

        var finished = await _engine.NotifyAsync(id, status == ExternalApplyStatus.Succeeded, outputs, statusMessage, cancellationToken).ConfigureAwait(false);
        if (!finished.IsDelete && finished.TargetType == DeploymentTargetType.ServiceInstance && finished.ServiceName is { } service)
        {
            if (finished.Status == DeploymentStatus.Succeeded)
            {
                await _services.CreatePendingPipelineAsync(service, cancellationToken).ConfigureAwait(false);
            }

            await _services.ContinueUpdateAsync(service, null, cancellationToken).ConfigureAwait(false);
        }

        return finished;
    }

    /// <summary>
    /// Completes deployments left in progress by a process that stopped (a crash, a killed CI job) from the provisioner's real
    /// state: a stack that reached its goal for that deployment succeeds, a failed or missing one fails, one still running is
    /// left. Only deployments whose lease has run out are touched, so deployments running in other live processes are safe.
    /// Service operations (create, update, delete) whose process stopped are marked failed, so the next command works.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deployments it completed.</returns>
    public async Task<IReadOnlyList<DeploymentRecord>> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var done = await _engine.ReconcileAsync(await _records.ListRunningDeploymentsAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await _services.ReconcileAsync(cancellationToken).ConfigureAwait(false);
        return done;
    }

    /// <summary>
    /// Rebuilds the template index (what <see cref="GetSummaryAsync"/> and <see cref="PlanUpgradeAsync"/> read) from the
    /// environment, instance and service records. A process that stopped between writing a record and its index shard
    /// leaves the index behind; the next write to that resource repairs its entry, and this pass repairs every entry (for
    /// example that of a resource deleted by the stopped process). It reads the whole fleet: run it after a crash, not on a
    /// schedule. Safe beside live writers (each shard is written at the revision read, and retried on a conflict).
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the index matches the records.</returns>
    public Task RepairIndexAsync(CancellationToken cancellationToken = default) => _records.RepairTemplateIndexAsync(cancellationToken);

    /// <summary>
    /// Redeploys the state (template version and inputs) of an earlier successful deployment of the same target, as a new
    /// deployment; Proton never offered this. Secret inputs are never stored, so a state with secrets needs them again.
    /// </summary>
    /// <param name="deploymentId">The earlier successful deployment.</param>
    /// <param name="secretInputs">Values of secret inputs, when the state has any.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the deployment.</param>
    /// <returns>The new deployment, with <see cref="DeploymentRecord.RollbackOf"/> set.</returns>
    public async Task<DeploymentRecord> RollbackAsync(string deploymentId, IReadOnlyDictionary<string, object?>? secretInputs = null, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var earlier = await _records.GetDeploymentAsync(deploymentId, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("deployment", deploymentId);
        if (earlier.Status != DeploymentStatus.Succeeded || earlier.TargetState is null || earlier.IsDelete)
        {
            throw new PlatformException(PlatformErrorCodes.InvalidRollback, $"Deployment {deploymentId} of {earlier.Target} is {(earlier.IsDelete ? "a delete" : earlier.Status.ToString())}; a rollback restores a succeeded deployment.");
        }

        var state = earlier.TargetState;
        var version = await Registry.GetVersionAsync(state.TemplateName, state.TemplateVersion, cancellationToken).ConfigureAwait(false)
            ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"Rolling back to {deploymentId}: {state.TemplateName} {state.TemplateVersion} is no longer in the registry.");
        var inputs = new Dictionary<string, object?>(state.Inputs, StringComparer.Ordinal);
        foreach (var (k, v) in secretInputs ?? new Dictionary<string, object?>())
        {
            inputs[k] = v;
        }

        switch (earlier.TargetType)
        {
            case DeploymentTargetType.Environment:
                var env = await _records.GetEnvironmentAsync(earlier.EnvironmentName!, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("environment", earlier.EnvironmentName!);
                return await _environments.DeployAsync(env, version, inputs, null, deploymentId, progress, cancellationToken).ConfigureAwait(false);
            case DeploymentTargetType.ServiceInstance:
                var instance = await _records.GetInstanceAsync(earlier.ServiceName!, earlier.InstanceName!, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("service instance", earlier.Target);
                return await _services.DeployInstanceAsync(instance, version, inputs, null, deploymentId, progress, cancellationToken).ConfigureAwait(false);
            default:
                var service = await _records.GetServiceAsync(earlier.ServiceName!, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("service", earlier.ServiceName!);
                return await _services.DeployPipelineAsync(service, version, inputs, null, deploymentId, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    // Fleet

    /// <summary>Per template and resource type: up to date, behind a minor, behind a major, failed (Proton's <c>GetResourcesSummary</c>).</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>One row per template and resource type that has resources.</returns>
    public Task<IReadOnlyList<SummaryCounts>> GetSummaryAsync(CancellationToken cancellationToken = default)
        => _fleet.GetSummaryAsync(cancellationToken);

    /// <summary>
    /// Plans moving every environment, instance or pipeline of a template to the recommended (or a given) version. Changes
    /// nothing, and reads the template's index, not the fleet: the cost does not grow with the number of resources. Steps
    /// have no <see cref="UpgradeStep.Impact"/> yet; <see cref="AnalyzeUpgradeAsync"/> computes it.
    /// </summary>
    /// <param name="templateName">The template.</param>
    /// <param name="toVersion">A version or constraint; the recommended version when null.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>One step per resource below that version, with the reason when it cannot move.</returns>
    public Task<UpgradePlan> PlanUpgradeAsync(string templateName, string? toVersion = null, CancellationToken cancellationToken = default)
        => _fleet.PlanUpgradeAsync(templateName, toVersion, cancellationToken);

    /// <summary>
    /// Computes each step's <see cref="UpgradeStep.Impact"/>: the rendered template diff with the resource's own inputs, the
    /// provisioner's plan (replacements and deletions), the IAM actions it adds and the stateful resources it would replace
    /// or delete. Reads each resource's record and asks the provisioner for a plan per step (on CloudFormation, a change set),
    /// so its cost grows with the plan. Deploys nothing; steps that already have an impact keep it.
    /// </summary>
    /// <param name="plan">The plan, from <see cref="PlanUpgradeAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the analysis.</param>
    /// <returns>The same plan with every step's impact (a step whose impact cannot be computed gets <see cref="UpgradeImpact.Error"/>).</returns>
    public Task<UpgradePlan> AnalyzeUpgradeAsync(UpgradePlan plan, CancellationToken cancellationToken = default)
        => _impact.AnalyzeAsync(plan, cancellationToken);

    /// <summary>
    /// Runs a fleet upgrade: at most <see cref="UpgradeOptions.MaxConcurrency"/> deployments at once; once more than
    /// <see cref="UpgradeOptions.FailureTolerance"/> steps have failed, no new step starts (running ones finish).
    /// </summary>
    /// <param name="plan">The plan, from <see cref="PlanUpgradeAsync"/>.</param>
    /// <param name="options">Concurrency and tolerance.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels running deployments and stops the rollout.</param>
    /// <returns>Each step's outcome.</returns>
    /// <exception cref="PlatformException">With <c>platform.stateful-replacement</c>: a step replaces or deletes a stateful resource (<see cref="UpgradePlan.HasStatefulChanges"/>) and <see cref="UpgradeOptions.AllowStatefulReplacement"/> is not set; nothing is deployed.</exception>
    public async Task<UpgradeResult> UpgradeAsync(UpgradePlan plan, UpgradeOptions? options = null, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (options?.AllowStatefulReplacement != true && plan.Steps.Any(s => s.BlockedReason is null && s.Impact is null))
        {
            // Without the impact the stateful check cannot see a replacement: compute what the plan lacks first.
            plan = await _impact.AnalyzeAsync(plan, cancellationToken).ConfigureAwait(false);
        }

        UpgradeImpactAnalyzer.CheckStateful(plan, options);
        return await FleetPlanner.UpgradeAsync(plan, options, (step, ct) => RunStepAsync(step, progress, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    async ValueTask<IReadOnlyList<string>> ITemplateUsage.GetUsersAsync(string templateName, SemanticVersion version, CancellationToken cancellationToken)
    {
        bool On(TemplateIndexEntry r) => SemanticVersion.TryParse(r.Version, out var v) && v == version;
        return (await _records.ListIndexedResourcesAsync(templateName, cancellationToken).ConfigureAwait(false)).Where(r => r.Template == templateName && On(r.Entry)).Select(r => r.Entry.Type switch
        {
            DeploymentTargetType.Environment => "environment/" + r.Display,
            DeploymentTargetType.ServiceInstance => $"service/{r.Display[..r.Display.IndexOf('/', StringComparison.Ordinal)]}/service-instance/{r.Display[(r.Display.IndexOf('/', StringComparison.Ordinal) + 1)..]}",
            _ => $"service/{r.Display}/pipeline",
        }).ToList();
    }

    private Task<DeploymentRecord?> RunStepAsync(UpgradeStep step, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        var request = new UpdateRequest { UpdateType = step.UpdateType, TemplateVersion = step.ToVersion };
        switch (step.TargetType)
        {
            case DeploymentTargetType.Environment:
                return UpdateEnvironmentAsync(step.Target, request, progress, cancellationToken);
            case DeploymentTargetType.ServiceInstance:
                var slash = step.Target.IndexOf('/', StringComparison.Ordinal);
                return UpdateServiceInstanceAsync(step.Target[..slash], step.Target[(slash + 1)..], request, progress, cancellationToken);
            default:
                return UpdateServicePipelineAsync(step.Target, request, progress, cancellationToken);
        }
    }
}
