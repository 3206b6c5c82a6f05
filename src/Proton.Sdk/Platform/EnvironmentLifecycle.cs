using Proton.Sdk.Schema;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Platform;

/// <summary>Environments: create, import of an existing stack or a customer-managed environment, update with Proton's deployment types, delete.</summary>
internal sealed class EnvironmentLifecycle(PlatformRecords records, VersionResolver versions, DeployRequestFactory requests, DeploymentEngine engine, ProvisionerSelector provisioners, ProtonPlatformOptions options, TimeProvider time)
{
    public async Task<DeploymentRecord> CreateAsync(CreateEnvironmentRequest request, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PlatformNames.Check(request.Name, "environment");
        if (await records.GetEnvironmentAsync(request.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new PlatformException(PlatformErrorCodes.AlreadyExists, $"Environment {request.Name} exists already.");
        }

        var version = await versions.ResolveForCreateAsync(request.TemplateName, request.TemplateVersion, TemplateKind.Environment, cancellationToken).ConfigureAwait(false);
        var (bundle, schema) = await versions.LoadAsync(version, cancellationToken).ConfigureAwait(false);
        if (bundle.IsCustomerManaged)
        {
            throw new PlatformException(PlatformErrorCodes.CustomerManaged, $"{version.TemplateName} {version.Version} has no infrastructure (a customer-managed environment template); use ImportEnvironmentAsync with the environment's outputs.");
        }

        var inputs = VersionResolver.Validate(schema, InputKind.Environment, request.Inputs, null, "spec");
        var env = new EnvironmentRecord
        {
            Name = request.Name,
            TemplateName = version.TemplateName,
            TemplateVersion = version.Version,
            Inputs = inputs.Redacted(),
            AccountId = request.AccountId ?? await DefaultAccountIdAsync(cancellationToken).ConfigureAwait(false),
            Description = request.Description,
            StackName = requests.StackName(request.Name),
            CreatedAt = time.GetUtcNow(),
        };
        var deployRequest = requests.ForEnvironment(env, bundle, inputs);
        var target = TargetRef.ForEnvironment(request.Name);
        var deployment = engine.NewDeployment(target, null, new DeploymentState(version.TemplateName, version.Version, inputs.Redacted()), null, null) with { StackName = env.StackName };
        return await engine.ExecuteAsync(target, deployment, deployRequest, env, progress, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeploymentRecord> ImportAsync(ImportEnvironmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PlatformNames.Check(request.Name, "environment");
        if ((request.StackName is null) == (request.Outputs is null))
        {
            throw new PlatformException(PlatformErrorCodes.InvalidImport, $"Importing {request.Name}: give either a stack to adopt or the outputs of a customer-managed environment, not both and not neither.");
        }

        if (await records.GetEnvironmentAsync(request.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new PlatformException(PlatformErrorCodes.AlreadyExists, $"Environment {request.Name} exists already.");
        }

        var version = await versions.ResolveForCreateAsync(request.TemplateName, request.TemplateVersion, TemplateKind.Environment, cancellationToken).ConfigureAwait(false);
        var (bundle, schema) = await versions.LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var inputs = VersionResolver.Validate(schema, InputKind.Environment, request.Inputs, null, "spec");
        IReadOnlyDictionary<string, string> outputs;
        var provisioner = provisioners.Default;
        if (request.StackName is { } stack)
        {
            provisioner = provisioners.For(bundle.Part(InfrastructurePartKind.Infrastructure), $"importing {request.Name}");
            var description = await provisioner.DescribeAsync(stack, cancellationToken).ConfigureAwait(false)
                ?? throw new PlatformException(PlatformErrorCodes.StackNotFound, $"Importing {request.Name}: stack {stack} does not exist ({provisioner.Name} provisioner).");
            if (!description.IsStable)
            {
                throw new PlatformException(PlatformErrorCodes.StackNotStable, $"Importing {request.Name}: stack {stack} is {description.DisplayStatus}; import a stack whose last operation succeeded (CREATE_COMPLETE or UPDATE_COMPLETE).");
            }

            outputs = description.Outputs;
        }
        else
        {
            outputs = request.Outputs!;
        }

        var now = time.GetUtcNow();
        var state = new DeploymentState(version.TemplateName, version.Version, inputs.Redacted());
        var deployment = engine.NewDeployment(TargetRef.ForEnvironment(request.Name), null, state, null, provisioner.Name) with
        {
            Status = DeploymentStatus.Succeeded,
            StatusMessage = request.StackName is null ? "imported a customer-managed environment" : $"imported stack {request.StackName}",
            Outputs = outputs,
            CompletedAt = now,
            StackName = request.StackName,
        };
        var env = new EnvironmentRecord
        {
            Name = request.Name,
            TemplateName = version.TemplateName,
            TemplateVersion = version.Version,
            Inputs = inputs.Redacted(),
            Outputs = outputs,
            AccountId = request.AccountId ?? await DefaultAccountIdAsync(cancellationToken).ConfigureAwait(false),
            Description = request.Description,
            StackName = request.StackName,
            Provisioning = request.StackName is null ? EnvironmentProvisioning.CustomerManaged : EnvironmentProvisioning.ImportedStack,
            DeploymentStatus = DeploymentStatus.Succeeded,
            LastAttemptedDeploymentId = deployment.Id,
            LastSucceededDeploymentId = deployment.Id,
            OutputsDeploymentId = deployment.Id,
            LastDeploymentAttemptedAt = now,
            LastDeploymentSucceededAt = now,
            CreatedAt = now,
        };
        await records.PutAsync(PlatformRecords.Deployments, deployment.Id, deployment, null, cancellationToken).ConfigureAwait(false);
        try
        {
            await records.PutAsync(PlatformRecords.Environments, env.Name, env, null, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreConflictException)
        {
            await records.DeleteAsync(PlatformRecords.Deployments, deployment.Id, CancellationToken.None).ConfigureAwait(false);
            throw new PlatformException(PlatformErrorCodes.AlreadyExists, $"Environment {request.Name} exists already.");
        }

        return deployment;
    }

    public async Task<DeploymentRecord?> UpdateAsync(string name, UpdateRequest request, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PlatformNames.Check(name, "environment");
        var env = await records.GetEnvironmentAsync(name, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("environment", name);
        var target = TargetRef.ForEnvironment(name);
        if (request.UpdateType == DeploymentUpdateType.None)
        {
            await PlatformNames.UpdateDescriptionAsync(records, target, request, cancellationToken).ConfigureAwait(false);
            return null;
        }

        PlatformNames.CheckAccountId(target, request);
        if (env.Provisioning == EnvironmentProvisioning.CustomerManaged)
        {
            throw new PlatformException(PlatformErrorCodes.CustomerManaged, $"Environment {name} is customer-managed: the platform does not deploy it. Import it again with new outputs, or delete it.");
        }

        var version = await versions.ResolveForUpdateAsync(env, request, $"environment {name}", cancellationToken).ConfigureAwait(false);
        var deployment = await DeployAsync(env with { AccountId = request.AccountId ?? env.AccountId, Description = request.Description ?? env.Description }, version, request.Inputs, request.UpdateType, null, progress, cancellationToken).ConfigureAwait(false);
        return deployment;
    }

    /// <summary>Deploys an environment with a version and (new or current) inputs; account id and description changes go with a successful deployment.</summary>
    public async Task<DeploymentRecord> DeployAsync(EnvironmentRecord env, TemplateVersionRecord version, IReadOnlyDictionary<string, object?>? newInputs, DeploymentUpdateType? type, string? rollbackOf, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        var (bundle, schema) = await versions.LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var inputs = VersionResolver.Validate(schema, InputKind.Environment, VersionResolver.MergeInputs(env.Inputs, newInputs, schema.EnvironmentInput, $"environment {env.Name}"), env.Inputs, "spec");
        var deployRequest = requests.ForEnvironment(env, bundle, inputs);
        var target = TargetRef.ForEnvironment(env.Name);
        var deployment = engine.NewDeployment(target, PlatformNames.State(env), new DeploymentState(version.TemplateName, version.Version, inputs.Redacted()), type, null) with { RollbackOf = rollbackOf, StackName = env.StackName };
        return await engine.ExecuteAsync(target, deployment, deployRequest, null, progress, cancellationToken, onSuccess: r => ((EnvironmentRecord)r) with { AccountId = env.AccountId, Description = env.Description }).ConfigureAwait(false);
    }

    /// <summary>The request a deployment of <paramref name="version"/> with the environment's current inputs would send (rendered, guarded); deploys nothing.</summary>
    public async Task<Provisioning.DeployRequest> RequestForAsync(EnvironmentRecord env, TemplateVersionRecord version, CancellationToken cancellationToken)
    {
        var (bundle, schema) = await versions.LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var inputs = VersionResolver.Validate(schema, InputKind.Environment, VersionResolver.MergeInputs(env.Inputs, null, schema.EnvironmentInput, $"environment {env.Name}"), env.Inputs, "spec");
        return requests.ForEnvironment(env, bundle, inputs);
    }

    public async Task<DeploymentRecord> DeleteAsync(string name, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        PlatformNames.Check(name, "environment");
        var env = await records.GetEnvironmentAsync(name, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("environment", name);
        var instances = await records.ListInstancesInEnvironmentAsync(name, cancellationToken).ConfigureAwait(false);
        if (instances.Count > 0)
        {
            throw new PlatformException(PlatformErrorCodes.InUse, $"Environment {name} cannot be deleted: service instances {string.Join(", ", instances.Select(i => i.ServiceName + "/" + i.Name))} run in it.");
        }

        var target = TargetRef.ForEnvironment(name);
        var deployment = engine.NewDeployment(target, PlatformNames.State(env), null, null, null) with { IsDelete = true, Status = DeploymentStatus.DeleteInProgress, StackName = env.StackName };
        Provisioning.DeployRequest? destroy = null;
        if (env.Provisioning != EnvironmentProvisioning.CustomerManaged && env.StackName is not null)
        {
            var bundle = await versions.Registry.GetVersionAsync(env.TemplateName, env.TemplateVersion, cancellationToken).ConfigureAwait(false) is { } v
                ? (await versions.LoadAsync(v, cancellationToken).ConfigureAwait(false)).Bundle
                : null;
            destroy = DeployRequestFactory.ForDestroy(env.StackName, bundle, InfrastructurePartKind.Infrastructure, DeployRequestFactory.Names(env.Name));
        }

        return await engine.ExecuteAsync(target, deployment, null, null, progress, cancellationToken, destroy).ConfigureAwait(false);
    }

    private async ValueTask<string?> DefaultAccountIdAsync(CancellationToken cancellationToken)
        => options.DefaultAccountId ?? (options.AccountIdSource is { } source ? await source.GetAccountIdAsync(cancellationToken).ConfigureAwait(false) : null);
}
