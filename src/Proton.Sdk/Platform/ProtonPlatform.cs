using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Proton.Sdk.Internal;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Rendering;
using Proton.Sdk.Schema;
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
public sealed partial class ProtonPlatform : ITemplateUsage
{
    internal const string Environments = "environments";
    internal const string Services = "services";
    internal const string Instances = "instances";
    internal const string Deployments = "deployments";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(), new PlainValueConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly IProtonStore _store;
    private readonly ITemplateRenderer _renderer;
    private readonly TimeProvider _time;
    private readonly ProtonPlatformOptions _options;
    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (TemplateBundle Bundle, ParameterSchema Schema)> _bundles = new(StringComparer.Ordinal);

    /// <summary>Creates the platform.</summary>
    /// <param name="store">Where templates, resources and deployments live.</param>
    /// <param name="provisioner">What deploys stacks (<see cref="LocalProvisioner"/> offline).</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="renderer">The renderer; <see cref="TemplateRenderer.Default"/> when null.</param>
    /// <param name="timeProvider">The clock; system time when null.</param>
    /// <param name="logger">Where to log deployments (ids, targets, versions and statuses; never inputs); none when null.</param>
    public ProtonPlatform(IProtonStore store, IProvisioner provisioner, ProtonPlatformOptions? options = null, ITemplateRenderer? renderer = null, TimeProvider? timeProvider = null, Microsoft.Extensions.Logging.ILogger<ProtonPlatform>? logger = null)
    {
        _logger = (Microsoft.Extensions.Logging.ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(provisioner);
        _store = store;
        Provisioner = provisioner;
        _options = options ?? new ProtonPlatformOptions();
        _renderer = renderer ?? TemplateRenderer.Default;
        _time = timeProvider ?? TimeProvider.System;
        Registry = new TemplateRegistry(store, _renderer, this, _time);
    }

    /// <summary>The template registry over the same store; it refuses to delete versions that resources run on.</summary>
    public TemplateRegistry Registry { get; }

    /// <summary>The provisioner.</summary>
    public IProvisioner Provisioner { get; }

    // ---------------------------------------------------------------- environments

    /// <summary>Creates an environment from a template version and deploys it.</summary>
    /// <param name="request">The environment.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the deployment (recorded as cancelled).</param>
    /// <returns>The deployment; its status says whether the environment is up.</returns>
    /// <exception cref="PlatformException">The environment exists, the version is not available, or the template is not deployable.</exception>
    /// <exception cref="ProtonValidationException">The inputs do not satisfy the schema; every failure with its path.</exception>
    public async Task<DeploymentRecord> CreateEnvironmentAsync(CreateEnvironmentRequest request, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckName(request.Name, "environment");
        if (await GetEnvironmentAsync(request.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new PlatformException(PlatformErrorCodes.AlreadyExists, $"Environment {request.Name} exists already.");
        }

        var version = await ResolveForCreateAsync(request.TemplateName, request.TemplateVersion, TemplateKind.Environment, cancellationToken).ConfigureAwait(false);
        var (bundle, schema) = await LoadAsync(version, cancellationToken).ConfigureAwait(false);
        if (bundle.IsCustomerManaged)
        {
            throw new PlatformException(PlatformErrorCodes.CustomerManaged, $"{version.TemplateName} {version.Version} has no infrastructure (a customer-managed environment template); use ImportEnvironmentAsync with the environment's outputs.");
        }

        var inputs = Validate(schema, InputKind.Environment, request.Inputs, null, "spec");
        var env = new EnvironmentRecord
        {
            Name = request.Name,
            TemplateName = version.TemplateName,
            TemplateVersion = version.Version,
            Inputs = inputs.Redacted(),
            AccountId = request.AccountId ?? await DefaultAccountIdAsync(cancellationToken).ConfigureAwait(false),
            Description = request.Description,
            StackName = StackName(request.Name),
            CreatedAt = _time.GetUtcNow(),
        };
        var deployRequest = EnvironmentRequest(env, bundle, inputs);
        var deployment = NewDeployment(EnvironmentTarget(request.Name), null, new DeploymentState(version.TemplateName, version.Version, inputs.Redacted()), null) with { StackName = env.StackName };
        return await ExecuteAsync(EnvironmentTarget(request.Name), deployment, deployRequest, env, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adopts an environment that exists already: a stack (outputs read through the provisioner) or a customer-managed one (outputs given).</summary>
    /// <param name="request">The environment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The recorded import, a succeeded deployment with the outputs.</returns>
    public async Task<DeploymentRecord> ImportEnvironmentAsync(ImportEnvironmentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckName(request.Name, "environment");
        if ((request.StackName is null) == (request.Outputs is null))
        {
            throw new PlatformException(PlatformErrorCodes.InvalidImport, $"Importing {request.Name}: give either a stack to adopt or the outputs of a customer-managed environment, not both and not neither.");
        }

        if (await GetEnvironmentAsync(request.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new PlatformException(PlatformErrorCodes.AlreadyExists, $"Environment {request.Name} exists already.");
        }

        var version = await ResolveForCreateAsync(request.TemplateName, request.TemplateVersion, TemplateKind.Environment, cancellationToken).ConfigureAwait(false);
        var (_, schema) = await LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var inputs = Validate(schema, InputKind.Environment, request.Inputs, null, "spec");
        IReadOnlyDictionary<string, string> outputs;
        if (request.StackName is { } stack)
        {
            var description = await Provisioner.DescribeAsync(stack, cancellationToken).ConfigureAwait(false)
                ?? throw new PlatformException(PlatformErrorCodes.StackNotFound, $"Importing {request.Name}: stack {stack} does not exist ({Provisioner.Name} provisioner).");
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

        var now = _time.GetUtcNow();
        var state = new DeploymentState(version.TemplateName, version.Version, inputs.Redacted());
        var deployment = NewDeployment(EnvironmentTarget(request.Name), null, state, null) with
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
        await PutAsync(Deployments, deployment.Id, deployment, null, cancellationToken).ConfigureAwait(false);
        try
        {
            await PutAsync(Environments, env.Name, env, null, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreConflictException)
        {
            await DeleteRecordAsync(Deployments, deployment.Id, CancellationToken.None).ConfigureAwait(false);
            throw new PlatformException(PlatformErrorCodes.AlreadyExists, $"Environment {request.Name} exists already.");
        }

        return deployment;
    }

    /// <summary>Reads an environment.</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The environment or null.</returns>
    public async Task<EnvironmentRecord?> GetEnvironmentAsync(string name, CancellationToken cancellationToken = default)
        => (await ReadAsync<EnvironmentRecord>(Environments, name, cancellationToken).ConfigureAwait(false))?.Value;

    /// <summary>Lists environments by name.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The environments.</returns>
    public async Task<IReadOnlyList<EnvironmentRecord>> ListEnvironmentsAsync(CancellationToken cancellationToken = default)
        => await ListAsync<EnvironmentRecord>(Environments, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Updates an environment with one of Proton's deployment types.</summary>
    /// <param name="name">The environment.</param>
    /// <param name="request">The update.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the deployment.</param>
    /// <returns>The deployment, or null for <see cref="DeploymentUpdateType.None"/>. When outputs changed, <see cref="DeploymentRecord.DependentsToRedeploy"/> lists the instances that need a redeploy.</returns>
    public async Task<DeploymentRecord?> UpdateEnvironmentAsync(string name, UpdateRequest request, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var env = await GetEnvironmentAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound("environment", name);
        if (request.UpdateType == DeploymentUpdateType.None)
        {
            await UpdateDescriptionAsync(EnvironmentTarget(name), request, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (env.Provisioning == EnvironmentProvisioning.CustomerManaged)
        {
            throw new PlatformException(PlatformErrorCodes.CustomerManaged, $"Environment {name} is customer-managed: the platform does not deploy it. Import it again with new outputs, or delete it.");
        }

        var version = await ResolveForUpdateAsync(env, request, $"environment {name}", cancellationToken).ConfigureAwait(false);
        return await DeployEnvironmentAsync(env, version, request.Inputs, request.UpdateType, null, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DeploymentRecord> DeployEnvironmentAsync(EnvironmentRecord env, TemplateVersionRecord version, IReadOnlyDictionary<string, object?>? newInputs, DeploymentUpdateType? type, string? rollbackOf, IProgress<DeploymentProgress>? progress, CancellationToken cancellationToken)
    {
        var (bundle, schema) = await LoadAsync(version, cancellationToken).ConfigureAwait(false);
        var inputs = Validate(schema, InputKind.Environment, MergeInputs(env.Inputs, newInputs, schema.EnvironmentInput, $"environment {env.Name}"), env.Inputs, "spec");
        var deployRequest = EnvironmentRequest(env, bundle, inputs);
        var deployment = NewDeployment(EnvironmentTarget(env.Name), State(env), new DeploymentState(version.TemplateName, version.Version, inputs.Redacted()), type) with { RollbackOf = rollbackOf, StackName = env.StackName };
        return await ExecuteAsync(EnvironmentTarget(env.Name), deployment, deployRequest, null, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes an environment and its stack; refused while service instances run in it.</summary>
    /// <param name="name">The environment.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The delete deployment.</returns>
    public async Task<DeploymentRecord> DeleteEnvironmentAsync(string name, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var env = await GetEnvironmentAsync(name, cancellationToken).ConfigureAwait(false) ?? throw NotFound("environment", name);
        var instances = (await ListAllInstancesAsync(cancellationToken).ConfigureAwait(false)).Where(i => i.EnvironmentName == name).ToList();
        if (instances.Count > 0)
        {
            throw new PlatformException(PlatformErrorCodes.InUse, $"Environment {name} cannot be deleted: service instances {string.Join(", ", instances.Select(i => i.ServiceName + "/" + i.Name))} run in it.");
        }

        var deployment = NewDeployment(EnvironmentTarget(name), State(env), null, null) with { IsDelete = true, Status = DeploymentStatus.DeleteInProgress, StackName = env.StackName };
        return await ExecuteAsync(EnvironmentTarget(name), deployment, null, null, progress, cancellationToken, destroyStack: env.Provisioning != EnvironmentProvisioning.CustomerManaged).ConfigureAwait(false);
    }

    /// <summary>The instances of an environment deployed with outputs older than the environment's current ones.</summary>
    /// <param name="environmentName">The environment.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The instances that need a redeploy.</returns>
    public async Task<IReadOnlyList<ServiceInstanceRecord>> GetInstancesNeedingRedeployAsync(string environmentName, CancellationToken cancellationToken = default)
    {
        var env = await GetEnvironmentAsync(environmentName, cancellationToken).ConfigureAwait(false) ?? throw NotFound("environment", environmentName);
        return (await ListAllInstancesAsync(cancellationToken).ConfigureAwait(false))
            .Where(i => i.EnvironmentName == environmentName && i.LastSucceededDeploymentId is not null && i.EnvironmentDeploymentId != env.OutputsDeploymentId)
            .ToList();
    }

    private async ValueTask<string?> DefaultAccountIdAsync(CancellationToken cancellationToken)
        => _options.DefaultAccountId ?? (_options.AccountIdSource is { } source ? await source.GetAccountIdAsync(cancellationToken).ConfigureAwait(false) : null);

    private DeployRequest EnvironmentRequest(EnvironmentRecord env, TemplateBundle bundle, InputValues inputs)
    {
        var info = new EnvironmentInfo(env.Name) { AccountId = env.AccountId, Inputs = inputs };
        var context = ProtonContexts.ForEnvironment(info);
        var body = Render(bundle, InfrastructurePartKind.Infrastructure, context, $"environment {env.Name}");
        return new DeployRequest
        {
            StackName = env.StackName ?? StackName(env.Name),
            TemplateBody = body,
            Part = bundle.Part(InfrastructurePartKind.Infrastructure),
            Variables = context.Variables,
            Tags = Tags(("proton:environment", env.Name), ("proton:template", $"{env.TemplateName}")),
            SecretValues = Secrets(inputs),
        };
    }

    // ---------------------------------------------------------------- helpers shared by every target

    private static void CheckName(string name, string what)
    {
        if (ProtonNames.Explain(name) is { } bad)
        {
            throw new PlatformException(PlatformErrorCodes.InvalidName, $"Invalid {what} name: {bad}.");
        }
    }

    private static PlatformException NotFound(string what, string name) => new(PlatformErrorCodes.NotFound, $"No {what} {name}.");

    private string StackName(params string[] parts)
    {
        var identity = string.Join('/', parts);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity))).ToLowerInvariant()[..6];
        var readable = string.Join('-', parts.Select(p => p.Replace('_', '-')));
        var name = $"{_options.StackNamePrefix}-{readable}";
        return (name.Length > 120 ? name[..120] : name) + "-" + hash;
    }

    private Dictionary<string, string> Tags(params (string Key, string Value)[] tags)
    {
        var all = new Dictionary<string, string>(_options.Tags, StringComparer.Ordinal);
        foreach (var (k, v) in tags)
        {
            all[k] = v;
        }

        return all;
    }

    private static string[] Secrets(InputValues inputs)
        => inputs.SecretNames.Select(n => inputs.TryGetValue(n, out var v) ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null)
            .Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToArray();

    private static DeploymentState State(DeployableRecord r) => new(r.TemplateName, r.TemplateVersion, r.Inputs);

    private DeploymentRecord NewDeployment(TargetRef target, DeploymentState? initial, DeploymentState? targetState, DeploymentUpdateType? type)
    {
        var now = _time.GetUtcNow();
        return new DeploymentRecord
        {
            Id = Guid.NewGuid().ToString(),
            TargetType = target.Type,
            Target = target.Display,
            EnvironmentName = target.Environment,
            ServiceName = target.Service,
            InstanceName = target.Instance,
            Status = DeploymentStatus.InProgress,
            InitialState = initial,
            TargetState = targetState,
            UpdateType = type,
            Provisioner = Provisioner.Name,
            CreatedAt = now,
            LastModifiedAt = now,
        };
    }

    private string Render(TemplateBundle bundle, InfrastructurePartKind kind, RenderContext context, string what)
    {
        var part = bundle.Part(kind) ?? throw new PlatformException(PlatformErrorCodes.NoInfrastructure, $"{what}: the bundle has no {kind} folder.");
        if (part.ProvisioningMethod != ProvisioningMethod.CloudFormation)
        {
            throw new PlatformException(PlatformErrorCodes.UnsupportedProvisioning, $"{what}: {part.Folder} is provisioned with {part.ProvisioningMethod}; Proton.Sdk provisions CloudFormation bundles.");
        }

        var file = part.TemplateFiles[0];
        try
        {
            return _renderer.Render(_renderer.Compile(file.Text, file.Path, part.RenderingEngine), context);
        }
        catch (RenderException ex)
        {
            throw new ProtonValidationException(PlatformErrorCodes.RenderFailed, [ex.ToDiagnostic()]);
        }
    }

    private static InputValues Validate(ParameterSchema schema, InputKind kind, IReadOnlyDictionary<string, object?> inputs, IReadOnlyDictionary<string, object?>? current, string path)
    {
        var result = new SpecValidator(schema).ValidateInputs(kind, inputs, path, current);
        if (result.Values is null)
        {
            throw new ProtonValidationException(PlatformErrorCodes.InvalidInputs, result.Failures.Select(f => Diagnostic.Error(f.Code, f.Message, schema.SourceFile) with { Path = f.Path }).ToList());
        }

        return result.Values;
    }

    /// <summary>The inputs of a redeploy: the new ones, else the current ones; a secret that is only known masked must be given again.</summary>
    private static IReadOnlyDictionary<string, object?> MergeInputs(IReadOnlyDictionary<string, object?> current, IReadOnlyDictionary<string, object?>? given, SchemaInputType? type, string what)
    {
        var inputs = given ?? current;
        var masked = (type?.Properties ?? []).Where(p => p.IsSecret && inputs.TryGetValue(p.Name, out var v)
            && (Equals(v, InputValues.Mask) || (ProtonSpec.IsCurrentValue(v) && current.TryGetValue(p.Name, out var c) && Equals(c, InputValues.Mask)))).Select(p => p.Name).ToList();
        if (masked.Count > 0)
        {
            throw new PlatformException(PlatformErrorCodes.SecretRequired, $"{what}: secret inputs are never stored; give {string.Join(", ", masked)} again with this update.");
        }

        return inputs;
    }

    private async Task<(TemplateBundle Bundle, ParameterSchema Schema)> LoadAsync(TemplateVersionRecord version, CancellationToken cancellationToken)
    {
        if (_bundles.TryGetValue(version.ContentHash, out var cached))
        {
            return cached;
        }

        var bundle = await Registry.LoadBundleAsync(version, cancellationToken).ConfigureAwait(false);
        var schema = SchemaParser.Parse(bundle).GetSchemaOrThrow();
        return _bundles[version.ContentHash] = (bundle, schema);
    }

    private async Task<TemplateVersionRecord> ResolveForCreateAsync(string templateName, string? versionText, TemplateKind kind, CancellationToken cancellationToken)
    {
        var template = await Registry.GetTemplateAsync(templateName, cancellationToken).ConfigureAwait(false)
            ?? throw new PlatformException(PlatformErrorCodes.TemplateNotFound, $"No template {templateName}.");
        if (template.Kind != kind)
        {
            throw new PlatformException(PlatformErrorCodes.WrongTemplateKind, $"{templateName} is a {template.Kind.ToString().ToLowerInvariant()} template; a {kind.ToString().ToLowerInvariant()} template is needed.");
        }

        if (versionText is null)
        {
            return await Registry.GetRecommendedAsync(templateName, null, cancellationToken).ConfigureAwait(false)
                ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"{templateName} has no published version to create resources from.");
        }

        return await ResolveConstraintAsync(templateName, versionText, includeDeprecated: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TemplateVersionRecord> ResolveConstraintAsync(string templateName, string versionText, bool includeDeprecated, CancellationToken cancellationToken)
    {
        VersionConstraint constraint;
        try
        {
            constraint = VersionConstraint.Parse(versionText);
        }
        catch (FormatException ex)
        {
            throw new PlatformException(PlatformErrorCodes.InvalidVersion, $"'{versionText}' is not a version or constraint of {templateName}: {ex.Message}");
        }

        if (await Registry.ResolveAsync(templateName, constraint, includeDeprecated, cancellationToken).ConfigureAwait(false) is { } v)
        {
            return v;
        }

        var all = await Registry.ListVersionsAsync(templateName, cancellationToken).ConfigureAwait(false);
        throw new PlatformException(PlatformErrorCodes.VersionUnavailable,
            $"No {(includeDeprecated ? "published or deprecated" : "published")} version of {templateName} satisfies '{versionText}'; versions: {(all.Count == 0 ? "none" : string.Join(", ", all.Select(x => $"{x.Version} ({x.Status})")))}.");
    }

    /// <summary>Proton's rules for the version of an update.</summary>
    private async Task<TemplateVersionRecord> ResolveForUpdateAsync(DeployableRecord current, UpdateRequest request, string what, CancellationToken cancellationToken)
    {
        var currentVersion = SemanticVersion.Parse(current.TemplateVersion);
        switch (request.UpdateType)
        {
            case DeploymentUpdateType.CurrentVersion:
                if (request.TemplateVersion is not null && SemanticVersion.TryParse(request.TemplateVersion, out var asked) && asked != currentVersion)
                {
                    throw new PlatformException(PlatformErrorCodes.InvalidUpdate, $"{what}: CURRENT_VERSION redeploys {current.TemplateVersion}; leave the version out, or use MINOR_VERSION or MAJOR_VERSION to move to {request.TemplateVersion}.");
                }

                return await Registry.GetVersionAsync(current.TemplateName, current.TemplateVersion, cancellationToken).ConfigureAwait(false)
                    ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"{what}: its version {current.TemplateName} {current.TemplateVersion} is no longer in the registry.");
            case DeploymentUpdateType.MinorVersion:
            {
                TemplateVersionRecord target;
                if (request.TemplateVersion is null)
                {
                    target = await Registry.GetRecommendedAsync(current.TemplateName, currentVersion.Major, cancellationToken).ConfigureAwait(false)
                        ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"{what}: {current.TemplateName} has no published version in major {currentVersion.Major}.");
                }
                else
                {
                    target = await ResolveConstraintAsync(current.TemplateName, request.TemplateVersion, includeDeprecated: true, cancellationToken).ConfigureAwait(false);
                }

                var tv = target.SemanticVersion;
                if (tv.Major != currentVersion.Major)
                {
                    throw new PlatformException(PlatformErrorCodes.InvalidUpdate, $"{what}: MINOR_VERSION stays in major {currentVersion.Major}; {target.Version} is major {tv.Major} (use MAJOR_VERSION).");
                }

                if (tv <= currentVersion)
                {
                    throw new PlatformException(PlatformErrorCodes.InvalidUpdate, $"{what}: it runs {current.TemplateVersion} and {target.Version} is not newer; nothing to move to (CURRENT_VERSION redeploys, rollback goes back).");
                }

                return target;
            }

            case DeploymentUpdateType.MajorVersion:
            {
                TemplateVersionRecord target;
                if (request.TemplateVersion is null)
                {
                    target = await Registry.GetRecommendedAsync(current.TemplateName, null, cancellationToken).ConfigureAwait(false)
                        ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"{what}: {current.TemplateName} has no published version.");
                }
                else
                {
                    target = await ResolveConstraintAsync(current.TemplateName, request.TemplateVersion, includeDeprecated: true, cancellationToken).ConfigureAwait(false);
                }

                if (target.SemanticVersion.Major <= currentVersion.Major)
                {
                    throw new PlatformException(PlatformErrorCodes.InvalidUpdate, $"{what}: MAJOR_VERSION moves to a higher major than {currentVersion.Major}; {target.Version} is not (use MINOR_VERSION within a major).");
                }

                return target;
            }

            default:
                throw new PlatformException(PlatformErrorCodes.InvalidUpdate, $"{what}: NONE deploys nothing.");
        }
    }

    private async Task UpdateDescriptionAsync(TargetRef target, UpdateRequest request, CancellationToken cancellationToken)
    {
        if (request.Inputs is not null || request.TemplateVersion is not null)
        {
            throw new PlatformException(PlatformErrorCodes.InvalidUpdate, $"{target.Display}: NONE changes only the description; use CURRENT_VERSION to deploy new inputs.");
        }

        await UpdateTargetAsync(target, r => (r ?? throw NotFound(target.Kind, target.Display)) with { Description = request.Description }, cancellationToken).ConfigureAwait(false);
    }
}
