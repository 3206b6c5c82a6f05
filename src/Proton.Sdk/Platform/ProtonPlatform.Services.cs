using Proton.Sdk.Provisioning;
using Proton.Sdk.Rendering;
using Proton.Sdk.Schema;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Platform;

/// <summary>Services, their instances and pipelines.</summary>
public sealed partial class ProtonPlatform
{
    /// <summary>
    /// Creates a service: validates the whole spec, checks that every instance's environment runs a compatible environment
    /// template major, deploys each instance, then the pipeline (when the template has one) with the instances' outputs.
    /// </summary>
    /// <param name="request">The service.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the deployments.</param>
    /// <returns>The service and the deployments that ran.</returns>
    public async Task<ServiceOperationResult> CreateServiceAsync(CreateServiceRequest request, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckName(request.Name, "service");
        if (await GetServiceAsync(request.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new PlatformException(PlatformErrorCodes.AlreadyExists, $"Service {request.Name} exists already.");
        }

        var version = await ResolveForCreateAsync(request.TemplateName, request.TemplateVersion, TemplateKind.Service, cancellationToken).ConfigureAwait(false);
        var (bundle, schema) = await LoadAsync(version, cancellationToken).ConfigureAwait(false);
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
        var service = new ServiceRecord
        {
            Name = request.Name,
            TemplateName = version.TemplateName,
            Status = ServiceStatus.CreateInProgress,
            RepositoryId = request.RepositoryId,
            BranchName = request.BranchName,
            RepositoryConnectionArn = request.RepositoryConnectionArn,
            Description = request.Description,
            CreatedAt = _time.GetUtcNow(),
        };

        // Render every instance before anything is written: a template error leaves no state behind.
        var requests = request.Spec.Instances.Select(i => InstanceRequest(service, i.Name, environments[i.Environment], bundle, validation.Instances[i.Name])).ToList();
        try
        {
            await PutAsync(Services, service.Name, service, null, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreConflictException)
        {
            throw new PlatformException(PlatformErrorCodes.AlreadyExists, $"Service {request.Name} exists already.");
        }

        var deployments = new List<DeploymentRecord>();
        for (var i = 0; i < request.Spec.Instances.Count; i++)
        {
            var spec = request.Spec.Instances[i];
            deployments.Add(await CreateInstanceAsync(service, spec.Name, environments[spec.Environment], version, validation.Instances[spec.Name], requests[i], progress, cancellationToken).ConfigureAwait(false));
        }

        if (deployments.All(d => d.Status == DeploymentStatus.Succeeded) && bundle.HasPipeline)
        {
            deployments.Add(await CreatePipelineAsync(service.Name, version, validation.Pipeline ?? InputValues.Empty, progress, cancellationToken).ConfigureAwait(false));
        }

        var failed = deployments.FirstOrDefault(d => d.Status != DeploymentStatus.Succeeded);
        var final = await SetServiceStatusAsync(service.Name, failed is null ? ServiceStatus.Active : ServiceStatus.CreateFailed, failed is null ? null : $"{failed.Target}: {failed.StatusMessage}", cancellationToken).ConfigureAwait(false);
        return new ServiceOperationResult(final, deployments);
    }

    /// <summary>
    /// Updates a service's spec with Proton's rules: instances in the spec that do not exist are created, existing ones missing
    /// from the spec are deleted (at least one must remain), then the pipeline is redeployed. If a new instance fails, the new
    /// instances are removed again, nothing is deleted and the pipeline is not touched. Existing instances keep their inputs
    /// (update them with <see cref="UpdateServiceInstanceAsync"/>).
    /// </summary>
    /// <param name="name">The service.</param>
    /// <param name="spec">The new spec.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the deployments.</param>
    /// <returns>The service and the deployments that ran.</returns>
    public async Task<ServiceOperationResult> UpdateServiceAsync(string name, ServiceSpec spec, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var service = await GetServiceAsync(name, cancellationToken).ConfigureAwait(false) ?? throw NotFound("service", name);
        if (spec.Instances.Count == 0)
        {
            throw new PlatformException(PlatformErrorCodes.InvalidSpec, $"Service {name}: a service keeps at least one instance.");
        }

        CheckInstanceNames(name, spec.Instances);
        var existing = await ListServiceInstancesAsync(name, cancellationToken).ConfigureAwait(false);
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
        var versionText = existing.GroupBy(i => i.TemplateVersion).OrderByDescending(g => g.Count()).ThenByDescending(g => SemanticVersion.Parse(g.Key)).First().Key;
        var version = await Registry.GetVersionAsync(service.TemplateName, versionText, cancellationToken).ConfigureAwait(false)
            ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"Service {name}: {service.TemplateName} {versionText} is no longer in the registry.");
        var (bundle, schema) = await LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var validator = new SpecValidator(schema);
        var addedSpec = spec with { Instances = added, Pipeline = spec.Pipeline };
        var validation = validator.Validate(addedSpec, new CurrentInputs { Pipeline = service.Pipeline?.Inputs });
        if (!validation.IsValid)
        {
            throw new ProtonValidationException(PlatformErrorCodes.InvalidInputs, validation.ToDiagnostics(addedSpec));
        }

        var environments = await CheckEnvironmentsAsync(version, added.Select(i => (i.Name, i.Environment)), cancellationToken).ConfigureAwait(false);
        var requests = added.Select(i => InstanceRequest(service, i.Name, environments[i.Environment], bundle, validation.Instances[i.Name])).ToList();
        service = await ClaimServiceAsync(name, ServiceStatus.UpdateInProgress, cancellationToken).ConfigureAwait(false);

        var deployments = new List<DeploymentRecord>();
        for (var i = 0; i < added.Count; i++)
        {
            deployments.Add(await CreateInstanceAsync(service, added[i].Name, environments[added[i].Environment], version, validation.Instances[added[i].Name], requests[i], progress, cancellationToken).ConfigureAwait(false));
        }

        if (deployments.FirstOrDefault(d => d.Status != DeploymentStatus.Succeeded) is { } failedCreate)
        {
            // Proton: de-provision the new instances, revert the spec, delete nothing, leave the pipeline alone.
            foreach (var d in deployments.ToList())
            {
                if (await GetServiceInstanceAsync(name, d.InstanceName!, CancellationToken.None).ConfigureAwait(false) is { } created)
                {
                    deployments.Add(await DeleteInstanceAsync(created, progress, CancellationToken.None).ConfigureAwait(false));
                }
            }

            var reverted = await SetServiceStatusAsync(name, ServiceStatus.UpdateFailed, $"{failedCreate.Target}: {failedCreate.StatusMessage}; new instances removed, nothing deleted", CancellationToken.None).ConfigureAwait(false);
            return new ServiceOperationResult(reverted, deployments);
        }

        foreach (var r in removed)
        {
            deployments.Add(await DeleteInstanceAsync(r, progress, cancellationToken).ConfigureAwait(false));
        }

        if (service.Pipeline is not null)
        {
            var pipelineVersion = await Registry.GetVersionAsync(service.TemplateName, service.Pipeline.TemplateVersion, cancellationToken).ConfigureAwait(false) ?? version;
            deployments.Add(await DeployPipelineAsync(service, pipelineVersion, spec.Pipeline, DeploymentUpdateType.CurrentVersion, null, progress, cancellationToken).ConfigureAwait(false));
        }

        var failed = deployments.FirstOrDefault(d => d.Status is not (DeploymentStatus.Succeeded or DeploymentStatus.DeleteComplete));
        var final = await SetServiceStatusAsync(name, failed is null ? ServiceStatus.Active : ServiceStatus.UpdateFailed, failed is null ? null : $"{failed.Target}: {failed.StatusMessage}", cancellationToken).ConfigureAwait(false);
        return new ServiceOperationResult(final, deployments);
    }

    /// <summary>Updates one service instance with one of Proton's deployment types; environment compatibility is checked again.</summary>
    /// <param name="serviceName">The service.</param>
    /// <param name="instanceName">The instance.</param>
    /// <param name="request">The update.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the deployment.</param>
    /// <returns>The deployment, or null for <see cref="DeploymentUpdateType.None"/>.</returns>
    public async Task<DeploymentRecord?> UpdateServiceInstanceAsync(string serviceName, string instanceName, UpdateRequest request, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var instance = await GetServiceInstanceAsync(serviceName, instanceName, cancellationToken).ConfigureAwait(false) ?? throw NotFound("service instance", $"{serviceName}/{instanceName}");
        if (request.UpdateType == DeploymentUpdateType.None)
        {
            await UpdateDescriptionAsync(InstanceTarget(serviceName, instanceName, instance.EnvironmentName), request, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var version = await ResolveForUpdateAsync(instance, request, $"service instance {serviceName}/{instanceName}", cancellationToken).ConfigureAwait(false);
        return await DeployInstanceAsync(instance, version, request.Inputs, request.UpdateType, null, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Updates a service's pipeline with one of Proton's deployment types.</summary>
    /// <param name="serviceName">The service.</param>
    /// <param name="request">The update.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the deployment.</param>
    /// <returns>The deployment, or null for <see cref="DeploymentUpdateType.None"/>.</returns>
    public async Task<DeploymentRecord?> UpdateServicePipelineAsync(string serviceName, UpdateRequest request, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var service = await GetServiceAsync(serviceName, cancellationToken).ConfigureAwait(false) ?? throw NotFound("service", serviceName);
        var pipeline = service.Pipeline ?? throw new PlatformException(PlatformErrorCodes.NoPipeline, $"Service {serviceName} has no pipeline.");
        if (request.UpdateType == DeploymentUpdateType.None)
        {
            await UpdateDescriptionAsync(PipelineTarget(serviceName), request, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var version = await ResolveForUpdateAsync(pipeline, request, $"pipeline of service {serviceName}", cancellationToken).ConfigureAwait(false);
        return await DeployPipelineAsync(service, version, request.Inputs, request.UpdateType, null, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a service: its instances, then its pipeline, then the record. Failures leave the rest in place, marked.</summary>
    /// <param name="name">The service.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the waits.</param>
    /// <returns>The deployments that ran; <see cref="ServiceOperationResult.Service"/> is null once deleted.</returns>
    public async Task<ServiceOperationResult> DeleteServiceAsync(string name, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var service = await ClaimServiceAsync(name, ServiceStatus.DeleteInProgress, cancellationToken).ConfigureAwait(false);
        var deployments = new List<DeploymentRecord>();
        foreach (var instance in await ListServiceInstancesAsync(name, cancellationToken).ConfigureAwait(false))
        {
            deployments.Add(await DeleteInstanceAsync(instance, progress, cancellationToken).ConfigureAwait(false));
        }

        if (deployments.All(d => d.Status == DeploymentStatus.DeleteComplete) && service.Pipeline is { } pipeline)
        {
            var deployment = NewDeployment(PipelineTarget(name), State(pipeline), null, null) with { IsDelete = true, Status = DeploymentStatus.DeleteInProgress, StackName = pipeline.StackName };
            deployments.Add(await ExecuteAsync(PipelineTarget(name), deployment, null, null, progress, cancellationToken).ConfigureAwait(false));
        }

        if (deployments.FirstOrDefault(d => d.Status != DeploymentStatus.DeleteComplete) is { } failed)
        {
            return new ServiceOperationResult(await SetServiceStatusAsync(name, ServiceStatus.DeleteFailed, $"{failed.Target}: {failed.StatusMessage}", CancellationToken.None).ConfigureAwait(false), deployments);
        }

        await DeleteRecordAsync(Services, name, CancellationToken.None).ConfigureAwait(false);
        return new ServiceOperationResult(null, deployments);
    }

    /// <summary>Reads a service.</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The service or null.</returns>
    public async Task<ServiceRecord?> GetServiceAsync(string name, CancellationToken cancellationToken = default)
        => (await ReadAsync<ServiceRecord>(Services, name, cancellationToken).ConfigureAwait(false))?.Value;

    /// <summary>Lists services by name.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The services.</returns>
    public async Task<IReadOnlyList<ServiceRecord>> ListServicesAsync(CancellationToken cancellationToken = default)
        => await ListAsync<ServiceRecord>(Services, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a service instance.</summary>
    /// <param name="serviceName">The service.</param>
    /// <param name="instanceName">The instance.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The instance or null.</returns>
    public async Task<ServiceInstanceRecord?> GetServiceInstanceAsync(string serviceName, string instanceName, CancellationToken cancellationToken = default)
        => (await ReadAsync<ServiceInstanceRecord>(Instances, InstanceKey(serviceName, instanceName), cancellationToken).ConfigureAwait(false))?.Value;

    /// <summary>Lists a service's instances by name.</summary>
    /// <param name="serviceName">The service.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The instances.</returns>
    public async Task<IReadOnlyList<ServiceInstanceRecord>> ListServiceInstancesAsync(string serviceName, CancellationToken cancellationToken = default)
        => await ListAsync<ServiceInstanceRecord>(Instances, serviceName + "@", cancellationToken).ConfigureAwait(false);

    private async Task<List<ServiceInstanceRecord>> ListAllInstancesAsync(CancellationToken cancellationToken)
        => await ListAsync<ServiceInstanceRecord>(Instances, null, cancellationToken).ConfigureAwait(false);

    private static void CheckInstanceNames(string service, IReadOnlyList<ServiceInstanceSpec> instances)
    {
        foreach (var i in instances)
        {
            CheckName(i.Name, "service instance");
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
                if (await GetEnvironmentAsync(envName, cancellationToken).ConfigureAwait(false) is not { } env)
                {
                    problems.Add($"instance {instance}: no environment {envName}");
                    continue;
                }

                environments[envName] = env;
            }

            if (Incompatibility(version, environments[envName]) is { } why)
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

    private static string? Incompatibility(TemplateVersionRecord version, EnvironmentRecord env)
    {
        if (env.LastSucceededDeploymentId is null)
        {
            return $"environment {env.Name} has not deployed successfully ({env.DeploymentStatus})";
        }

        var major = SemanticVersion.Parse(env.TemplateVersion).Major;
        return version.CompatibleEnvironments.Any(c => c.TemplateName == env.TemplateName && c.MajorVersion == major)
            ? null
            : $"environment {env.Name} runs {env.TemplateName} {env.TemplateVersion} (major {major}); {version.TemplateName} {version.Version} runs in {(version.CompatibleEnvironments.Count == 0 ? "no environment template" : string.Join(", ", version.CompatibleEnvironments.Select(c => $"{c.TemplateName} major {c.MajorVersion}")))}";
    }

    private DeployRequest InstanceRequest(ServiceRecord service, string instanceName, EnvironmentRecord env, TemplateBundle bundle, InputValues inputs)
    {
        var envInfo = new EnvironmentInfo(env.Name) { AccountId = env.AccountId, Outputs = env.Outputs };
        var context = ProtonContexts.ForServiceInstance(ServiceInfoOf(service), new ServiceInstanceInfo(instanceName, envInfo) { Inputs = inputs });
        return new DeployRequest
        {
            StackName = StackName(service.Name, instanceName),
            TemplateBody = Render(bundle, InfrastructurePartKind.InstanceInfrastructure, context, $"service instance {service.Name}/{instanceName}"),
            Part = bundle.Part(InfrastructurePartKind.InstanceInfrastructure),
            Variables = context.Variables,
            Tags = Tags(("proton:environment", env.Name), ("proton:service", service.Name), ("proton:service-instance", instanceName), ("proton:template", service.TemplateName)),
            SecretValues = Secrets(inputs),
        };
    }

    private static ServiceInfo ServiceInfoOf(ServiceRecord service) => new(service.Name)
    {
        BranchName = service.BranchName,
        RepositoryId = service.RepositoryId,
        RepositoryConnectionArn = service.RepositoryConnectionArn,
    };

    private Task<DeploymentRecord> CreateInstanceAsync(ServiceRecord service, string name, EnvironmentRecord env, TemplateVersionRecord version, InputValues inputs, DeployRequest request, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        var target = InstanceTarget(service.Name, name, env.Name);
        var record = new ServiceInstanceRecord
        {
            ServiceName = service.Name,
            Name = name,
            EnvironmentName = env.Name,
            TemplateName = version.TemplateName,
            TemplateVersion = version.Version,
            Inputs = inputs.Redacted(),
            StackName = request.StackName,
            CreatedAt = _time.GetUtcNow(),
        };
        var deployment = NewDeployment(target, null, new DeploymentState(version.TemplateName, version.Version, inputs.Redacted()), null) with { StackName = request.StackName };
        return ExecuteAsync(target, deployment, request, record, progress, cancellationToken, onSuccess: r => ((ServiceInstanceRecord)r) with { EnvironmentDeploymentId = env.OutputsDeploymentId });
    }

    private async Task<DeploymentRecord> DeployInstanceAsync(ServiceInstanceRecord instance, TemplateVersionRecord version, IReadOnlyDictionary<string, object?>? newInputs, DeploymentUpdateType? type, string? rollbackOf, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        var env = await GetEnvironmentAsync(instance.EnvironmentName, cancellationToken).ConfigureAwait(false) ?? throw NotFound("environment", instance.EnvironmentName);
        if (Incompatibility(version, env) is { } why)
        {
            throw new PlatformException(PlatformErrorCodes.IncompatibleEnvironment, $"Service instance {instance.ServiceName}/{instance.Name}: {why}.");
        }

        var service = await GetServiceAsync(instance.ServiceName, cancellationToken).ConfigureAwait(false) ?? throw NotFound("service", instance.ServiceName);
        var (bundle, schema) = await LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var what = $"service instance {instance.ServiceName}/{instance.Name}";
        var inputs = Validate(schema, InputKind.ServiceInstance, MergeInputs(instance.Inputs, newInputs, schema.ServiceInput, what), instance.Inputs, $"instances[{instance.Name}].spec");
        var request = InstanceRequest(service, instance.Name, env, bundle, inputs) with { StackName = instance.StackName ?? StackName(service.Name, instance.Name) };
        var target = InstanceTarget(instance.ServiceName, instance.Name, instance.EnvironmentName);
        var deployment = NewDeployment(target, State(instance), new DeploymentState(version.TemplateName, version.Version, inputs.Redacted()), type) with { RollbackOf = rollbackOf, StackName = request.StackName };
        return await ExecuteAsync(target, deployment, request, null, progress, cancellationToken, onSuccess: r => ((ServiceInstanceRecord)r) with { EnvironmentDeploymentId = env.OutputsDeploymentId }).ConfigureAwait(false);
    }

    private Task<DeploymentRecord> DeleteInstanceAsync(ServiceInstanceRecord instance, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        var target = InstanceTarget(instance.ServiceName, instance.Name, instance.EnvironmentName);
        var deployment = NewDeployment(target, State(instance), null, null) with { IsDelete = true, Status = DeploymentStatus.DeleteInProgress, StackName = instance.StackName };
        return ExecuteAsync(target, deployment, null, null, progress, cancellationToken);
    }

    private async Task<DeploymentRecord> CreatePipelineAsync(string serviceName, TemplateVersionRecord version, InputValues inputs, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        var service = await GetServiceAsync(serviceName, cancellationToken).ConfigureAwait(false) ?? throw NotFound("service", serviceName);
        var (bundle, _) = await LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var request = await PipelineRequestAsync(service, bundle, inputs, cancellationToken).ConfigureAwait(false);
        var record = new PipelineRecord
        {
            TemplateName = version.TemplateName,
            TemplateVersion = version.Version,
            Inputs = inputs.Redacted(),
            StackName = request.StackName,
            CreatedAt = _time.GetUtcNow(),
        };
        var deployment = NewDeployment(PipelineTarget(serviceName), null, new DeploymentState(version.TemplateName, version.Version, inputs.Redacted()), null) with { StackName = request.StackName };
        return await ExecuteAsync(PipelineTarget(serviceName), deployment, request, record, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DeploymentRecord> DeployPipelineAsync(ServiceRecord service, TemplateVersionRecord version, IReadOnlyDictionary<string, object?>? newInputs, DeploymentUpdateType? type, string? rollbackOf, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        var pipeline = service.Pipeline ?? throw new PlatformException(PlatformErrorCodes.NoPipeline, $"Service {service.Name} has no pipeline.");
        var (bundle, schema) = await LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var inputs = Validate(schema, InputKind.Pipeline, MergeInputs(pipeline.Inputs, newInputs, schema.PipelineInput, $"pipeline of service {service.Name}"), pipeline.Inputs, "pipeline");
        var request = await PipelineRequestAsync(service, bundle, inputs, cancellationToken).ConfigureAwait(false);
        var deployment = NewDeployment(PipelineTarget(service.Name), State(pipeline), new DeploymentState(version.TemplateName, version.Version, inputs.Redacted()), type) with { RollbackOf = rollbackOf, StackName = request.StackName };
        return await ExecuteAsync(PipelineTarget(service.Name), deployment, request, null, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The pipeline sees every instance with its inputs, outputs and environment (Proton's <c>service_instances</c>).</summary>
    private async Task<DeployRequest> PipelineRequestAsync(ServiceRecord service, TemplateBundle bundle, InputValues inputs, CancellationToken cancellationToken)
    {
        var infos = new List<ServiceInstanceInfo>();
        foreach (var i in await ListServiceInstancesAsync(service.Name, cancellationToken).ConfigureAwait(false))
        {
            var env = await GetEnvironmentAsync(i.EnvironmentName, cancellationToken).ConfigureAwait(false);
            var envInfo = new EnvironmentInfo(i.EnvironmentName) { AccountId = env?.AccountId, Outputs = env?.Outputs ?? new Dictionary<string, string>() };
            infos.Add(new ServiceInstanceInfo(i.Name, envInfo) { Inputs = i.Inputs, Outputs = i.Outputs });
        }

        var context = ProtonContexts.ForPipeline(ServiceInfoOf(service), inputs, infos);
        return new DeployRequest
        {
            StackName = service.Pipeline?.StackName ?? StackName(service.Name, "pipeline"),
            TemplateBody = Render(bundle, InfrastructurePartKind.PipelineInfrastructure, context, $"pipeline of service {service.Name}"),
            Part = bundle.Part(InfrastructurePartKind.PipelineInfrastructure),
            Variables = context.Variables,
            Tags = Tags(("proton:service", service.Name), ("proton:template", service.TemplateName)),
            SecretValues = Secrets(inputs),
        };
    }

    private async Task<ServiceRecord> ClaimServiceAsync(string name, ServiceStatus status, CancellationToken cancellationToken)
    {
        var current = await ReadAsync<ServiceRecord>(Services, name, cancellationToken).ConfigureAwait(false) ?? throw NotFound("service", name);
        if (current.Value.Status is ServiceStatus.CreateInProgress or ServiceStatus.UpdateInProgress or ServiceStatus.DeleteInProgress)
        {
            throw new PlatformException(PlatformErrorCodes.Conflict, $"Service {name} is busy ({current.Value.Status}).");
        }

        if (current.Value.Pipeline is { IsBusy: true } p)
        {
            throw new PlatformException(PlatformErrorCodes.Conflict, $"The pipeline of service {name} is busy with deployment {p.LastAttemptedDeploymentId}.");
        }

        var updated = current.Value with { Status = status, StatusMessage = null };
        try
        {
            await PutAsync(Services, name, updated, current.Revision, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreConflictException)
        {
            throw new PlatformException(PlatformErrorCodes.Conflict, $"Service {name} changed while this operation started; another operation runs on it.");
        }

        return updated;
    }

    private Task<ServiceRecord?> SetServiceStatusAsync(string name, ServiceStatus status, string? message, CancellationToken cancellationToken)
        => UpdateRecordAsync<ServiceRecord>(Services, name, r => r with { Status = status, StatusMessage = message }, cancellationToken);
}
