using Proton.Sdk.Rendering;
using Proton.Sdk.Schema;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Platform;

/// <summary>
/// Services, their instances and pipelines with Proton's rules. Every request is validated and every template it needs
/// (instances and pipeline) is rendered before the first stack is touched, and every operation ends in a terminal,
/// recorded service status, whatever fails on the way.
/// </summary>
internal sealed class ServiceLifecycle(PlatformRecords records, VersionResolver versions, DeployRequestFactory requests, DeploymentEngine engine, ProtonPlatformOptions options, TimeProvider time)
{
    private TimeSpan Lease => options.LeaseDuration < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : options.LeaseDuration;

    public async Task<ServiceOperationResult> CreateAsync(CreateServiceRequest request, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PlatformNames.Check(request.Name, "service");
        if (await records.GetServiceAsync(request.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new PlatformException(PlatformErrorCodes.AlreadyExists, $"Service {request.Name} exists already.");
        }

        var version = await versions.ResolveForCreateAsync(request.TemplateName, request.TemplateVersion, TemplateKind.Service, cancellationToken).ConfigureAwait(false);
        var (bundle, schema) = await versions.LoadAsync(version, cancellationToken).ConfigureAwait(false);
        if (request.Spec.Instances.Count == 0)
        {
            throw new PlatformException(PlatformErrorCodes.InvalidSpec, $"Service {request.Name}: a service needs at least one instance.");
        }

        CheckInstanceNames(request.Name, request.Spec.Instances);
        var validation = new SpecValidator(schema).Validate(request.Spec);
        if (!validation.IsValid)
        {
            throw new ProtonValidationException(PlatformErrorCodes.InvalidInputs, validation.ToDiagnostics(request.Spec));
        }

        var environments = await CheckEnvironmentsAsync(version, request.Spec.Instances.Select(i => (i.Name, i.Environment)), cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var service = new ServiceRecord
        {
            Name = request.Name,
            TemplateName = version.TemplateName,
            Status = ServiceStatus.CreateInProgress,
            RepositoryId = request.RepositoryId,
            BranchName = request.BranchName,
            RepositoryConnectionArn = request.RepositoryConnectionArn,
            Description = request.Description,
            CreatedAt = now,
            Owner = engine.Owner,
            LeaseExpiresAt = now + Lease,
        };

        // Render every instance and the pipeline before anything is written: a template error leaves no state behind.
        var instanceRequests = request.Spec.Instances.Select(i => requests.ForInstance(service, i.Name, environments[i.Environment], bundle, validation.Instances[i.Name])).ToList();
        var pipelineInputs = validation.Pipeline ?? InputValues.Empty;
        if (bundle.HasPipeline)
        {
            // Instance inputs as the pipeline will see them once stored: secrets masked.
            var planned = request.Spec.Instances.Select(i => new ServiceInstanceInfo(i.Name, EnvironmentInfoOf(environments[i.Environment])) { Inputs = validation.Instances[i.Name].Redacted(), Outputs = new PlaceholderOutputs() }).ToList();
            CheckPipelineSecrets(service.Name, requests.ForPipeline(service, bundle, pipelineInputs, planned), planned);
        }

        try
        {
            await records.PutAsync(PlatformRecords.Services, service.Name, service, null, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreConflictException)
        {
            throw new PlatformException(PlatformErrorCodes.AlreadyExists, $"Service {request.Name} exists already.");
        }

        var deployments = new List<DeploymentRecord>();
        return await EndInTerminalStateAsync(service.Name, ServiceStatus.CreateFailed, deployments, async () =>
        {
            for (var i = 0; i < request.Spec.Instances.Count; i++)
            {
                var spec = request.Spec.Instances[i];
                await RenewAsync(service.Name, cancellationToken).ConfigureAwait(false);
                deployments.Add(await CreateInstanceAsync(service, spec.Name, environments[spec.Environment], version, validation.Instances[spec.Name], instanceRequests[i], progress, cancellationToken).ConfigureAwait(false));
            }

            if (deployments.All(d => d.Status == DeploymentStatus.Succeeded) && bundle.HasPipeline)
            {
                await RenewAsync(service.Name, cancellationToken).ConfigureAwait(false);
                deployments.Add(await CreatePipelineAsync(service.Name, version, pipelineInputs, progress, cancellationToken).ConfigureAwait(false));
            }

            var failed = deployments.FirstOrDefault(d => d.Status is not (DeploymentStatus.Succeeded or DeploymentStatus.AwaitingExternalApply));
            if (failed is null && bundle.HasPipeline && deployments.Any(d => d.Status == DeploymentStatus.AwaitingExternalApply))
            {
                // The pipeline waits on its instances: it is created when the last of them is notified succeeded.
                await records.UpdateAsync<ServiceRecord>(PlatformRecords.Services, service.Name, r => r with { PendingPipelineInputs = pipelineInputs.Redacted() }, CancellationToken.None).ConfigureAwait(false);
            }

            var final = await SetStatusAsync(service.Name, failed is null ? ServiceStatus.Active : ServiceStatus.CreateFailed, failed is null ? null : $"{failed.Target}: {failed.StatusMessage}", CancellationToken.None).ConfigureAwait(false);
            return new ServiceOperationResult(final, deployments);
        }).ConfigureAwait(false);
    }

    public async Task<ServiceOperationResult> UpdateAsync(string name, ServiceSpec spec, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var service = await records.GetServiceAsync(name, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("service", name);
        if (service.PendingUpdate is not null)
        {
            throw WaitingForUpdate(service);
        }

        if (spec.Instances.Count == 0)
        {
            throw new PlatformException(PlatformErrorCodes.InvalidSpec, $"Service {name}: a service keeps at least one instance.");
        }

        CheckInstanceNames(name, spec.Instances);
        var existing = await records.ListInstancesAsync(name, cancellationToken).ConfigureAwait(false);
        var added = spec.Instances.Where(i => existing.All(e => e.Name != i.Name)).ToList();
        var removed = existing.Where(e => spec.Instances.All(i => i.Name != e.Name)).ToList();
        foreach (var moved in spec.Instances.Where(i => existing.Any(e => e.Name == i.Name && e.EnvironmentName != i.Environment)))
        {
            throw new PlatformException(PlatformErrorCodes.InvalidSpec, $"Service {name}: instance {moved.Name} runs in {existing.First(e => e.Name == moved.Name).EnvironmentName}; an instance cannot move to {moved.Environment} (remove it and add a new one).");
        }

        if (existing.FirstOrDefault(i => i.IsBusy) is { } busy)
        {
            throw new PlatformException(PlatformErrorCodes.Conflict, $"Service {name}: instance {busy.Name} is busy with deployment {busy.LastAttemptedDeploymentId}.");
        }

        // New instances run on the version most instances run (Proton: the service's template version for new instances).
        var versionText = existing.Count == 0
            ? service.Pipeline?.TemplateVersion ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"Service {name} has no instance and no pipeline to take a template version from.")
            : existing.GroupBy(i => i.TemplateVersion).OrderByDescending(g => g.Count()).ThenByDescending(g => VersionResolver.ParseStored(g.Key, $"service {name}")).First().Key;
        var version = await versions.Registry.GetVersionAsync(service.TemplateName, versionText, cancellationToken).ConfigureAwait(false)
            ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"Service {name}: {service.TemplateName} {versionText} is no longer in the registry.");
        var (bundle, schema) = await versions.LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var addedSpec = spec with { Instances = added, Pipeline = spec.Pipeline };
        var validation = new SpecValidator(schema).Validate(addedSpec, new CurrentInputs { Pipeline = service.Pipeline?.Inputs });
        if (!validation.IsValid)
        {
            throw new ProtonValidationException(PlatformErrorCodes.InvalidInputs, validation.ToDiagnostics(addedSpec));
        }

        var environments = await CheckEnvironmentsAsync(version, added.Select(i => (i.Name, i.Environment)), cancellationToken).ConfigureAwait(false);
        var instanceRequests = added.Select(i => requests.ForInstance(service, i.Name, environments[i.Environment], bundle, validation.Instances[i.Name])).ToList();
        TemplateVersionRecord? pipelineVersion = null;
        if (service.Pipeline is not null)
        {
            pipelineVersion = await versions.Registry.GetVersionAsync(service.TemplateName, service.Pipeline.TemplateVersion, cancellationToken).ConfigureAwait(false) ?? version;
            await PipelineRequestAsync(service, pipelineVersion, spec.Pipeline, placeholdersFor: added.Select(i => (i, environments[i.Environment], validation.Instances[i.Name])).ToList(), without: removed.Select(r => r.Name).ToHashSet(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        }

        service = await ClaimAsync(name, ServiceStatus.UpdateInProgress, cancellationToken).ConfigureAwait(false);
        var deployments = new List<DeploymentRecord>();
        return await EndInTerminalStateAsync(name, ServiceStatus.UpdateFailed, deployments, async () =>
        {
            for (var i = 0; i < added.Count; i++)
            {
                await RenewAsync(name, cancellationToken).ConfigureAwait(false);
                deployments.Add(await CreateInstanceAsync(service, added[i].Name, environments[added[i].Environment], version, validation.Instances[added[i].Name], instanceRequests[i], progress, cancellationToken).ConfigureAwait(false));
            }

            if (deployments.Any(d => d.Status == DeploymentStatus.AwaitingExternalApply))
            {
                // Proton goes on once the new instances exist: deleting the removed ones and redeploying the pipeline wait
                // until the last of them is notified (ContinueUpdateAsync). The service stays UpdateInProgress, without a lease.
                var pending = new PendingServiceUpdate
                {
                    NewInstances = added.Select(a => a.Name).ToList(),
                    RemovedInstances = removed.Select(r => r.Name).ToList(),
                    PipelineInputs = spec.Pipeline is null ? null : validation.Pipeline?.Redacted() ?? spec.Pipeline,
                    PipelineTemplateVersion = pipelineVersion?.Version,
                };
                var waiting = await records.UpdateAsync<ServiceRecord>(PlatformRecords.Services, name, r => r with { PendingUpdate = pending, StatusMessage = WaitingMessage(deployments), Owner = null, LeaseExpiresAt = null }, CancellationToken.None).ConfigureAwait(false);

                // A notification that came in before the update was recorded as pending found nothing to continue: go on here.
                if (await ContinueUpdateAsync(name, progress, cancellationToken).ConfigureAwait(false) is { } continued)
                {
                    return continued with { Deployments = [.. deployments, .. continued.Deployments] };
                }

                return new ServiceOperationResult(waiting, deployments);
            }

            if (deployments.FirstOrDefault(d => d.Status != DeploymentStatus.Succeeded) is { } failedCreate)
            {
                return await RevertNewInstancesAsync(name, added.Select(a => a.Name).ToList(), $"{failedCreate.Target}: {failedCreate.StatusMessage}", deployments, progress).ConfigureAwait(false);
            }

            return await FinishUpdateAsync(service, removed, pipelineVersion, spec.Pipeline, deployments, progress, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Goes on with a service update whose new instances waited for an external apply (<see cref="ServiceRecord.PendingUpdate"/>),
    /// once none of them waits any more: all succeeded ⇒ the removed instances are deleted and the pipeline is redeployed
    /// with every instance's outputs, as the update would have; one failed or was cancelled ⇒ Proton's failed instance
    /// create (the new instances are de-provisioned, nothing is deleted, the pipeline is left alone). The continuation is
    /// claimed on the service record, so it runs once however many notifications race. Null when there is nothing to do yet.
    /// </summary>
    public async Task<ServiceOperationResult?> ContinueUpdateAsync(string serviceName, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        var service = await records.GetServiceAsync(serviceName, cancellationToken).ConfigureAwait(false);
        if (service is not { Status: ServiceStatus.UpdateInProgress, PendingUpdate: { } pending, Owner: null })
        {
            return null;
        }

        var instances = await records.ListInstancesAsync(serviceName, cancellationToken).ConfigureAwait(false);
        var created = instances.Where(i => pending.NewInstances.Contains(i.Name, StringComparer.Ordinal)).ToList();
        if (created.Any(i => i.IsBusy))
        {
            return null;
        }

        var claimed = false;
        var claimedService = await records.UpdateAsync<ServiceRecord>(PlatformRecords.Services, serviceName, r =>
        {
            claimed = r is { Status: ServiceStatus.UpdateInProgress, PendingUpdate: not null, Owner: null };
            return claimed ? r with { PendingUpdate = null, StatusMessage = null, Owner = engine.Owner, LeaseExpiresAt = time.GetUtcNow() + Lease } : r;
        }, cancellationToken).ConfigureAwait(false);
        if (!claimed || claimedService is null)
        {
            return null;
        }

        var deployments = new List<DeploymentRecord>();
        return await EndInTerminalStateAsync(serviceName, ServiceStatus.UpdateFailed, deployments, async () =>
        {
            var failures = pending.NewInstances
                .Select(n => created.FirstOrDefault(i => i.Name == n) is { } i
                    ? i.DeploymentStatus == DeploymentStatus.Succeeded ? null : $"{serviceName}/{n}: {i.DeploymentStatus}{(i.DeploymentStatusMessage is null ? string.Empty : " - " + i.DeploymentStatusMessage)}"
                    : $"{serviceName}/{n}: its record is gone")
                .OfType<string>().ToList();
            if (failures.Count > 0)
            {
                return await RevertNewInstancesAsync(serviceName, pending.NewInstances, string.Join("; ", failures), deployments, progress).ConfigureAwait(false);
            }

            TemplateVersionRecord? pipelineVersion = null;
            if (pending.PipelineTemplateVersion is { } v)
            {
                pipelineVersion = await versions.Registry.GetVersionAsync(claimedService.TemplateName, v, cancellationToken).ConfigureAwait(false)
                    ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"Service {serviceName}: {claimedService.TemplateName} {v} is no longer in the registry; the pipeline cannot be redeployed.");
            }

            var removed = instances.Where(i => pending.RemovedInstances.Contains(i.Name, StringComparer.Ordinal)).ToList();
            return await FinishUpdateAsync(claimedService, removed, pipelineVersion, pending.PipelineInputs, deployments, progress, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>Proton's failed instance create in an update: de-provisions the new instances, deletes nothing, leaves the pipeline, and records the service <see cref="ServiceStatus.UpdateFailed"/>.</summary>
    private async Task<ServiceOperationResult> RevertNewInstancesAsync(string name, IReadOnlyList<string> newInstances, string reason, List<DeploymentRecord> deployments, IProgress<DeploymentProgress>? progress)
    {
        foreach (var instanceName in newInstances)
        {
            if (await records.GetInstanceAsync(name, instanceName, CancellationToken.None).ConfigureAwait(false) is { } created)
            {
                deployments.Add(await DeleteInstanceAsync(created, progress, CancellationToken.None).ConfigureAwait(false));
            }
        }

        var waiting = deployments.Where(d => d.IsDelete && d.Status == DeploymentStatus.AwaitingExternalApply).ToList();
        var failed = deployments.Where(d => d.IsDelete && d.Status is not (DeploymentStatus.DeleteComplete or DeploymentStatus.AwaitingExternalApply)).ToList();
        var message = $"{reason}; new instances removed, nothing deleted"
            + (waiting.Count == 0 ? string.Empty : $" (the removal of {string.Join(", ", waiting.Select(d => d.Target))} waits for its external destroy: notify {string.Join(", ", waiting.Select(d => d.Id))})")
            + (failed.Count == 0 ? string.Empty : $" (the removal of {string.Join("; ", failed.Select(d => $"{d.Target} failed: {d.StatusMessage}"))})");
        var reverted = await SetStatusAsync(name, ServiceStatus.UpdateFailed, message, CancellationToken.None).ConfigureAwait(false);
        return new ServiceOperationResult(reverted, deployments);
    }

    /// <summary>
    /// The rest of Proton's update once the new instances exist: deletes the removed instances, then redeploys the pipeline
    /// over the instances that stay (a removed instance whose delete failed or waits is left out, as Proton did), and records
    /// the service <see cref="ServiceStatus.Active"/> or <see cref="ServiceStatus.UpdateFailed"/>. A delete or pipeline
    /// deployment handed to an external apply is not a failure: it waits for its own notification.
    /// </summary>
    private async Task<ServiceOperationResult> FinishUpdateAsync(ServiceRecord service, IReadOnlyList<ServiceInstanceRecord> removed, TemplateVersionRecord? pipelineVersion, IReadOnlyDictionary<string, object?>? pipelineInputs, List<DeploymentRecord> deployments, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        foreach (var r in removed)
        {
            await RenewAsync(service.Name, cancellationToken).ConfigureAwait(false);
            deployments.Add(await DeleteInstanceAsync(r, progress, cancellationToken).ConfigureAwait(false));
        }

        if (service.Pipeline is not null && pipelineVersion is not null)
        {
            await RenewAsync(service.Name, cancellationToken).ConfigureAwait(false);
            deployments.Add(await DeployPipelineAsync(service, pipelineVersion, pipelineInputs, DeploymentUpdateType.CurrentVersion, null, progress, removed.Select(r => r.Name).ToHashSet(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false));
        }

        var failed = deployments.FirstOrDefault(d => d.Status is not (DeploymentStatus.Succeeded or DeploymentStatus.DeleteComplete or DeploymentStatus.AwaitingExternalApply));
        var final = await SetStatusAsync(service.Name, failed is null ? ServiceStatus.Active : ServiceStatus.UpdateFailed, failed is null ? null : $"{failed.Target}: {failed.StatusMessage}", CancellationToken.None).ConfigureAwait(false);
        return new ServiceOperationResult(final, deployments);
    }

    private static PlatformException WaitingForUpdate(ServiceRecord service)
        => new(PlatformErrorCodes.Conflict, $"Service {service.Name} is busy ({service.Status}): its update is {service.StatusMessage}.");

    private static string WaitingMessage(IEnumerable<DeploymentRecord> deployments)
    {
        var waiting = deployments.Where(d => d.Status == DeploymentStatus.AwaitingExternalApply).ToList();
        return $"waiting for the external apply of {string.Join(", ", waiting.Select(d => d.Target))}: report it with `proton deployments notify <id> --status succeeded|failed` (ProtonPlatform.NotifyDeploymentStatusAsync) for {string.Join(", ", waiting.Select(d => d.Id))}; the removed instances and the pipeline follow the last one";
    }

    public async Task<DeploymentRecord?> UpdateInstanceAsync(string serviceName, string instanceName, UpdateRequest request, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PlatformNames.Check(serviceName, "service");
        PlatformNames.Check(instanceName, "service instance");
        var instance = await records.GetInstanceAsync(serviceName, instanceName, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("service instance", $"{serviceName}/{instanceName}");
        if (request.UpdateType == DeploymentUpdateType.None)
        {
            await PlatformNames.UpdateDescriptionAsync(records, TargetRef.ForInstance(serviceName, instanceName, instance.EnvironmentName), request, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var version = await versions.ResolveForUpdateAsync(instance, request, $"service instance {serviceName}/{instanceName}", cancellationToken).ConfigureAwait(false);
        return await DeployInstanceAsync(instance, version, request.Inputs, request.UpdateType, null, progress, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeploymentRecord?> UpdatePipelineAsync(string serviceName, UpdateRequest request, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PlatformNames.Check(serviceName, "service");
        var service = await records.GetServiceAsync(serviceName, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("service", serviceName);
        var pipeline = service.Pipeline ?? throw new PlatformException(PlatformErrorCodes.NoPipeline, $"Service {serviceName} has no pipeline.");
        if (request.UpdateType == DeploymentUpdateType.None)
        {
            await PlatformNames.UpdateDescriptionAsync(records, TargetRef.ForPipeline(serviceName), request, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var version = await versions.ResolveForUpdateAsync(pipeline, request, $"pipeline of service {serviceName}", cancellationToken).ConfigureAwait(false);
        return await DeployPipelineAsync(service, version, request.Inputs, request.UpdateType, null, progress, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ServiceOperationResult> DeleteAsync(string name, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        PlatformNames.Check(name, "service");
        var service = await ClaimAsync(name, ServiceStatus.DeleteInProgress, cancellationToken).ConfigureAwait(false);
        var deployments = new List<DeploymentRecord>();
        return await EndInTerminalStateAsync(name, ServiceStatus.DeleteFailed, deployments, async () =>
        {
            foreach (var instance in await records.ListInstancesAsync(name, cancellationToken).ConfigureAwait(false))
            {
                await RenewAsync(name, cancellationToken).ConfigureAwait(false);
                deployments.Add(await DeleteInstanceAsync(instance, progress, cancellationToken).ConfigureAwait(false));
            }

            if (deployments.All(d => d.Status == DeploymentStatus.DeleteComplete) && service.Pipeline is { } pipeline)
            {
                await RenewAsync(name, cancellationToken).ConfigureAwait(false);
                var target = TargetRef.ForPipeline(name);
                var bundle = await BundleOrNullAsync(pipeline, cancellationToken).ConfigureAwait(false);
                var deployment = engine.NewDeployment(target, PlatformNames.State(pipeline), null, null, null) with { IsDelete = true, Status = DeploymentStatus.DeleteInProgress, StackName = pipeline.StackName };
                var destroy = pipeline.StackName is null ? null : DeployRequestFactory.ForDestroy(pipeline.StackName, bundle, InfrastructurePartKind.PipelineInfrastructure, DeployRequestFactory.Names(null, name));
                deployments.Add(await engine.ExecuteAsync(target, deployment, null, null, progress, cancellationToken, destroy).ConfigureAwait(false));
            }

            if (deployments.FirstOrDefault(d => d.Status != DeploymentStatus.DeleteComplete) is { } failed)
            {
                return new ServiceOperationResult(await SetStatusAsync(name, ServiceStatus.DeleteFailed, $"{failed.Target}: {failed.StatusMessage}", CancellationToken.None).ConfigureAwait(false), deployments);
            }

            await records.DeleteAsync(PlatformRecords.Services, name, CancellationToken.None).ConfigureAwait(false);
            return new ServiceOperationResult(null, deployments);
        }).ConfigureAwait(false);
    }

    /// <summary>Redeploys an instance with a version and (new or current) inputs.</summary>
    public async Task<DeploymentRecord> DeployInstanceAsync(ServiceInstanceRecord instance, TemplateVersionRecord version, IReadOnlyDictionary<string, object?>? newInputs, DeploymentUpdateType? type, string? rollbackOf, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        var env = await records.GetEnvironmentAsync(instance.EnvironmentName, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("environment", instance.EnvironmentName);
        if (VersionResolver.Incompatibility(version, env) is { } why)
        {
            throw new PlatformException(PlatformErrorCodes.IncompatibleEnvironment, $"Service instance {instance.ServiceName}/{instance.Name}: {why}.");
        }

        var service = await records.GetServiceAsync(instance.ServiceName, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("service", instance.ServiceName);
        var (bundle, schema) = await versions.LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var what = $"service instance {instance.ServiceName}/{instance.Name}";
        var inputs = VersionResolver.Validate(schema, InputKind.ServiceInstance, VersionResolver.MergeInputs(instance.Inputs, newInputs, schema.ServiceInput, what), instance.Inputs, $"instances[{instance.Name}].spec");
        var request = requests.ForInstance(service, instance.Name, env, bundle, inputs, instance.StackName);
        var target = TargetRef.ForInstance(instance.ServiceName, instance.Name, instance.EnvironmentName);
        var deployment = engine.NewDeployment(target, PlatformNames.State(instance), new DeploymentState(version.TemplateName, version.Version, inputs.Redacted()), type, null) with { RollbackOf = rollbackOf, StackName = request.StackName };
        return await engine.ExecuteAsync(target, deployment, request, null, progress, cancellationToken, onSuccess: r => ((ServiceInstanceRecord)r) with { EnvironmentDeploymentId = env.OutputsDeploymentId }).ConfigureAwait(false);
    }

    /// <summary>Redeploys the pipeline with a version and (new or current) inputs.</summary>
    public Task<DeploymentRecord> DeployPipelineAsync(ServiceRecord service, TemplateVersionRecord version, IReadOnlyDictionary<string, object?>? newInputs, DeploymentUpdateType? type, string? rollbackOf, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
        => DeployPipelineAsync(service, version, newInputs, type, rollbackOf, progress, null, cancellationToken);

    /// <summary>Redeploys the pipeline over the service's instances except <paramref name="without"/> (instances being removed).</summary>
    private async Task<DeploymentRecord> DeployPipelineAsync(ServiceRecord service, TemplateVersionRecord version, IReadOnlyDictionary<string, object?>? newInputs, DeploymentUpdateType? type, string? rollbackOf, IProgress<DeploymentProgress>? progress, IReadOnlySet<string>? without, CancellationToken cancellationToken)
    {
        var pipeline = service.Pipeline ?? throw new PlatformException(PlatformErrorCodes.NoPipeline, $"Service {service.Name} has no pipeline.");
        var (request, inputs) = await PipelineRequestAsync(service, version, newInputs, null, without, cancellationToken).ConfigureAwait(false);
        var target = TargetRef.ForPipeline(service.Name);
        var deployment = engine.NewDeployment(target, PlatformNames.State(pipeline), new DeploymentState(version.TemplateName, version.Version, inputs.Redacted()), type, null) with { RollbackOf = rollbackOf, StackName = request.StackName };
        return await engine.ExecuteAsync(target, deployment, request, null, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The request a deployment of <paramref name="version"/> with the instance's current inputs would send (rendered, guarded); deploys nothing.</summary>
    public async Task<Provisioning.DeployRequest> InstanceRequestForAsync(ServiceInstanceRecord instance, TemplateVersionRecord version, CancellationToken cancellationToken)
    {
        var env = await records.GetEnvironmentAsync(instance.EnvironmentName, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("environment", instance.EnvironmentName);
        var service = await records.GetServiceAsync(instance.ServiceName, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("service", instance.ServiceName);
        var (bundle, schema) = await versions.LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var what = $"service instance {instance.ServiceName}/{instance.Name}";
        var inputs = VersionResolver.Validate(schema, InputKind.ServiceInstance, VersionResolver.MergeInputs(instance.Inputs, null, schema.ServiceInput, what), instance.Inputs, $"instances[{instance.Name}].spec");
        return requests.ForInstance(service, instance.Name, env, bundle, inputs, instance.StackName);
    }

    /// <summary>The request a deployment of the pipeline at <paramref name="version"/> with its current inputs would send; deploys nothing.</summary>
    public async Task<Provisioning.DeployRequest> PipelineRequestForAsync(ServiceRecord service, TemplateVersionRecord version, CancellationToken cancellationToken)
        => (await PipelineRequestAsync(service, version, null, null, null, cancellationToken).ConfigureAwait(false)).Request;

    /// <summary>Marks service operations whose process has gone (lease expired, none of its deployments running) as failed, so the next command works.</summary>
    public async Task<IReadOnlyList<ServiceRecord>> ReconcileAsync(CancellationToken cancellationToken)
    {
        var done = new List<ServiceRecord>();
        var now = time.GetUtcNow();
        foreach (var s in await records.ListServicesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (s.Status is not (ServiceStatus.CreateInProgress or ServiceStatus.UpdateInProgress or ServiceStatus.DeleteInProgress)
                || s.LeaseExpiresAt > now || s.Pipeline is { IsBusy: true }
                || (await records.ListInstancesAsync(s.Name, cancellationToken).ConfigureAwait(false)).Any(i => i.IsBusy))
            {
                continue;
            }

            if (s.PendingUpdate is not null)
            {
                // None of its new instances waits any more (a notification whose process stopped before going on): go on.
                if (await ContinueUpdateAsync(s.Name, null, cancellationToken).ConfigureAwait(false) is { Service: { } continued })
                {
                    done.Add(continued);
                }

                continue;
            }

            var status = s.Status switch { ServiceStatus.CreateInProgress => ServiceStatus.CreateFailed, ServiceStatus.UpdateInProgress => ServiceStatus.UpdateFailed, _ => ServiceStatus.DeleteFailed };
            if (await records.UpdateAsync<ServiceRecord>(PlatformRecords.Services, s.Name, r => r.Status == s.Status && !(r.LeaseExpiresAt > time.GetUtcNow()) ? r with { Status = status, StatusMessage = "reconciled: the operation's process stopped before it finished", Owner = null, LeaseExpiresAt = null } : r, cancellationToken).ConfigureAwait(false) is { } updated && updated.Status == status)
            {
                done.Add(updated);
            }
        }

        return done;
    }

    /// <summary>Runs a service operation; if it throws, the service still ends in <paramref name="failedStatus"/> with the reason, then the exception goes on.</summary>
    private async Task<ServiceOperationResult> EndInTerminalStateAsync(string name, ServiceStatus failedStatus, List<DeploymentRecord> deployments, Func<Task<ServiceOperationResult>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var reason = ex is OperationCanceledException ? "cancelled" : ex is ProtonException pe ? $"{pe.ErrorCode}: {pe.Message}" : $"{ex.GetType().Name}: {ex.Message}";
            await SetStatusAsync(name, failedStatus, $"{reason} (after {deployments.Count} deployment(s))", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static void CheckInstanceNames(string service, IReadOnlyList<ServiceInstanceSpec> instances)
    {
        foreach (var i in instances)
        {
            PlatformNames.Check(i.Name, "service instance");
        }

        if (instances.GroupBy(i => i.Name).FirstOrDefault(g => g.Count() > 1) is { } dup)
        {
            throw new PlatformException(PlatformErrorCodes.InvalidSpec, $"Service {service}: instance {dup.Key} appears {dup.Count()} times.");
        }
    }

    /// <summary>Every instance's environment must exist, have deployed, and run a major the service version lists as compatible.</summary>
    private async Task<Dictionary<string, EnvironmentRecord>> CheckEnvironmentsAsync(TemplateVersionRecord version, IEnumerable<(string Instance, string Environment)> instances, CancellationToken cancellationToken)
    {
        var environments = new Dictionary<string, EnvironmentRecord>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (instance, envName) in instances)
        {
            if (!environments.ContainsKey(envName))
            {
                if (await records.GetEnvironmentAsync(envName, cancellationToken).ConfigureAwait(false) is not { } env)
                {
                    problems.Add($"instance {instance}: no environment {envName}");
                    continue;
                }

                environments[envName] = env;
            }

            if (VersionResolver.Incompatibility(version, environments[envName]) is { } why)
            {
                problems.Add($"instance {instance}: {why}");
            }
        }

        if (problems.Count > 0)
        {
            throw new PlatformException(problems.Any(p => p.Contains("runs in", StringComparison.Ordinal)) ? PlatformErrorCodes.IncompatibleEnvironment : PlatformErrorCodes.EnvironmentNotReady, string.Join("; ", problems) + ".");
        }

        return environments;
    }

    private static EnvironmentInfo EnvironmentInfoOf(EnvironmentRecord? env, string? name = null)
        => new(env?.Name ?? name!) { AccountId = env?.AccountId, Outputs = env?.Outputs ?? new Dictionary<string, string>() };

    private Task<DeploymentRecord> CreateInstanceAsync(ServiceRecord service, string name, EnvironmentRecord env, TemplateVersionRecord version, InputValues inputs, Provisioning.DeployRequest request, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        var target = TargetRef.ForInstance(service.Name, name, env.Name);
        var record = new ServiceInstanceRecord
        {
            ServiceName = service.Name,
            Name = name,
            EnvironmentName = env.Name,
            TemplateName = version.TemplateName,
            TemplateVersion = version.Version,
            Inputs = inputs.Redacted(),
            StackName = request.StackName,
            CreatedAt = time.GetUtcNow(),
        };
        var deployment = engine.NewDeployment(target, null, new DeploymentState(version.TemplateName, version.Version, inputs.Redacted()), null, null) with { StackName = request.StackName };
        return engine.ExecuteAsync(target, deployment, request, record, progress, cancellationToken, onSuccess: r => ((ServiceInstanceRecord)r) with { EnvironmentDeploymentId = env.OutputsDeploymentId });
    }

    private async Task<DeploymentRecord> DeleteInstanceAsync(ServiceInstanceRecord instance, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        var target = TargetRef.ForInstance(instance.ServiceName, instance.Name, instance.EnvironmentName);
        var bundle = await BundleOrNullAsync(instance, cancellationToken).ConfigureAwait(false);
        var deployment = engine.NewDeployment(target, PlatformNames.State(instance), null, null, null) with { IsDelete = true, Status = DeploymentStatus.DeleteInProgress, StackName = instance.StackName };
        var destroy = instance.StackName is null ? null : DeployRequestFactory.ForDestroy(instance.StackName, bundle, InfrastructurePartKind.InstanceInfrastructure, DeployRequestFactory.Names(instance.EnvironmentName, instance.ServiceName, instance.Name));
        return await engine.ExecuteAsync(target, deployment, null, null, progress, cancellationToken, destroy).ConfigureAwait(false);
    }

    private async Task<TemplateBundle?> BundleOrNullAsync(DeployableRecord record, CancellationToken cancellationToken)
        => await versions.Registry.GetVersionAsync(record.TemplateName, record.TemplateVersion, cancellationToken).ConfigureAwait(false) is { } v
            ? (await versions.LoadAsync(v, cancellationToken).ConfigureAwait(false)).Bundle
            : null;

    private async Task<DeploymentRecord> CreatePipelineAsync(string serviceName, TemplateVersionRecord version, InputValues inputs, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        var service = await records.GetServiceAsync(serviceName, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("service", serviceName);
        var (request, _) = await PipelineRequestAsync(service, version, inputs, null, null, cancellationToken).ConfigureAwait(false);
        var record = new PipelineRecord
        {
            TemplateName = version.TemplateName,
            TemplateVersion = version.Version,
            Inputs = inputs.Redacted(),
            StackName = request.StackName,
            CreatedAt = time.GetUtcNow(),
        };
        var target = TargetRef.ForPipeline(serviceName);
        var deployment = engine.NewDeployment(target, null, new DeploymentState(version.TemplateName, version.Version, inputs.Redacted()), null, null) with { StackName = request.StackName };
        return await engine.ExecuteAsync(target, deployment, request, record, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After an instance's external apply is notified succeeded: creates the pipeline that a create left for its waiting
    /// instances (<see cref="ServiceRecord.PendingPipelineInputs"/>) once every instance of the service has succeeded, as the
    /// create would have after its instances. Null when there is nothing to create yet.
    /// </summary>
    public async Task<DeploymentRecord?> CreatePendingPipelineAsync(string serviceName, CancellationToken cancellationToken)
    {
        var service = await records.GetServiceAsync(serviceName, cancellationToken).ConfigureAwait(false);
        if (service is not { PendingPipelineInputs: { } pending, Pipeline: null })
        {
            return null;
        }

        var instances = await records.ListInstancesAsync(serviceName, cancellationToken).ConfigureAwait(false);
        if (instances.Count == 0 || instances.Any(i => i.DeploymentStatus != DeploymentStatus.Succeeded))
        {
            return null;
        }

        var version = await versions.Registry.GetVersionAsync(service.TemplateName, instances[0].TemplateVersion, cancellationToken).ConfigureAwait(false)
            ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"Service {serviceName}: version {instances[0].TemplateVersion} of {service.TemplateName} is gone; the pipeline cannot be created.");
        await records.UpdateAsync<ServiceRecord>(PlatformRecords.Services, serviceName, r => r with { PendingPipelineInputs = null }, cancellationToken).ConfigureAwait(false);
        return await CreatePipelineAsync(serviceName, version, new InputValues(pending), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The pipeline's request over the service's instances as they are recorded, with <paramref name="placeholdersFor"/>
    /// added (instances about to be created: outputs unknown, every name answers a placeholder) and <paramref name="without"/>
    /// left out (instances about to be deleted). Renders the template, so a pipeline that cannot render fails here.
    /// </summary>
    private async Task<(Provisioning.DeployRequest Request, InputValues Inputs)> PipelineRequestAsync(ServiceRecord service, TemplateVersionRecord version, IReadOnlyDictionary<string, object?>? newInputs, IReadOnlyList<(ServiceInstanceSpec Spec, EnvironmentRecord Env, InputValues Inputs)>? placeholdersFor, IReadOnlySet<string>? without, CancellationToken cancellationToken)
    {
        var (bundle, schema) = await versions.LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var current = service.Pipeline?.Inputs ?? new Dictionary<string, object?>();
        var inputs = newInputs is InputValues given ? given
            : VersionResolver.Validate(schema, InputKind.Pipeline, service.Pipeline is null ? newInputs ?? current : VersionResolver.MergeInputs(current, newInputs, schema.PipelineInput, $"pipeline of service {service.Name}"), current, "pipeline");
        var infos = new List<ServiceInstanceInfo>();
        foreach (var i in await records.ListInstancesAsync(service.Name, cancellationToken).ConfigureAwait(false))
        {
            if (without?.Contains(i.Name) == true)
            {
                continue;
            }

            var env = await records.GetEnvironmentAsync(i.EnvironmentName, cancellationToken).ConfigureAwait(false);
            infos.Add(new ServiceInstanceInfo(i.Name, EnvironmentInfoOf(env, i.EnvironmentName)) { Inputs = i.Inputs, Outputs = i.Outputs });
        }

        foreach (var (spec, env, instanceInputs) in placeholdersFor ?? [])
        {
            infos.Add(new ServiceInstanceInfo(spec.Name, EnvironmentInfoOf(env)) { Inputs = instanceInputs.Redacted(), Outputs = new PlaceholderOutputs() });
        }

        var request = requests.ForPipeline(service, bundle, inputs, infos);
        CheckPipelineSecrets(service.Name, request, infos);
        return (request, inputs);
    }

    /// <summary>Instance secrets are never stored, so a pipeline that reads one would deploy the mask itself: refuse instead.</summary>
    private static void CheckPipelineSecrets(string service, Provisioning.DeployRequest request, IReadOnlyList<ServiceInstanceInfo> instances)
    {
        var maskedSecrets = instances.SelectMany(i => i.Inputs.Where(kv => Equals(kv.Value, InputValues.Mask)).Select(kv => $"{i.Name}.{kv.Key}")).ToList();
        if (maskedSecrets.Count > 0 && request.TemplateBody.Contains(InputValues.Mask, StringComparison.Ordinal))
        {
            throw new PlatformException(PlatformErrorCodes.SecretRequired, $"The pipeline template of service {service} reads secret instance inputs ({string.Join(", ", maskedSecrets)}); secrets are never stored, so the pipeline cannot get their values. Give the pipeline its own secret input instead.");
        }
    }

    private async Task<ServiceRecord> ClaimAsync(string name, ServiceStatus status, CancellationToken cancellationToken)
    {
        var current = await records.ReadAsync<ServiceRecord>(PlatformRecords.Services, name, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("service", name);
        if (current.Value.PendingUpdate is not null)
        {
            throw WaitingForUpdate(current.Value);
        }

        if (current.Value.Status is ServiceStatus.CreateInProgress or ServiceStatus.UpdateInProgress or ServiceStatus.DeleteInProgress)
        {
            throw new PlatformException(PlatformErrorCodes.Conflict, $"Service {name} is busy ({current.Value.Status}); if the process running it died, `proton reconcile` (ProtonPlatform.ReconcileAsync) releases it once its lease runs out.");
        }

        if (current.Value.Pipeline is { IsBusy: true } p)
        {
            throw new PlatformException(PlatformErrorCodes.Conflict, $"The pipeline of service {name} is busy with deployment {p.LastAttemptedDeploymentId}.");
        }

        var updated = current.Value with { Status = status, StatusMessage = null, Owner = engine.Owner, LeaseExpiresAt = time.GetUtcNow() + Lease };
        try
        {
            await records.PutAsync(PlatformRecords.Services, name, updated, current.Revision, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreConflictException)
        {
            throw new PlatformException(PlatformErrorCodes.Conflict, $"Service {name} changed while this operation started; another operation runs on it.");
        }

        return updated;
    }

    private Task RenewAsync(string name, CancellationToken cancellationToken)
        => records.UpdateAsync<ServiceRecord>(PlatformRecords.Services, name, r => r with { LeaseExpiresAt = time.GetUtcNow() + Lease }, cancellationToken);

    private Task<ServiceRecord?> SetStatusAsync(string name, ServiceStatus status, string? message, CancellationToken cancellationToken)
        => records.UpdateAsync<ServiceRecord>(PlatformRecords.Services, name, r => r with { Status = status, StatusMessage = message, Owner = null, LeaseExpiresAt = null }, cancellationToken);
}
