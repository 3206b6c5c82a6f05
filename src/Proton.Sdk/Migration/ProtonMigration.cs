using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Proton.Sdk.Platform;
using Proton.Sdk.Rendering;
using Proton.Sdk.Schema;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Migration;

/// <summary>
/// Takes over an AWS Proton estate in place: discovers the stacks Proton made, proves for each which template version
/// renders exactly its deployed template (with the spec and the context Proton built: environment outputs for instances,
/// the instances for pipelines), and records it on the platform with its existing stack name and current outputs.
/// Changes nothing in the account: later updates, plans, rollbacks and deletes act on the same stacks by name.
/// </summary>
public sealed class ProtonMigration
{
    private static readonly Regex VersionFolder = new(@"^v(?<major>0|[1-9][0-9]{0,8})(\.(?<minor>0|[1-9][0-9]{0,8}))?$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private readonly ProtonPlatform _platform;
    private readonly IStackInventory _inventory;
    private readonly TimeProvider _time;

    /// <summary>Creates the migration over a platform (where resources are recorded) and an inventory (where stacks are read).</summary>
    /// <param name="platform">The platform.</param>
    /// <param name="inventory">The account's stacks.</param>
    /// <param name="timeProvider">The clock; system time when null.</param>
    public ProtonMigration(ProtonPlatform platform, IStackInventory inventory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(inventory);
        _platform = platform;
        _inventory = inventory;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Discovers the Proton estate of the account (<see cref="ProtonEstate.DiscoverAsync"/>).</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The estate.</returns>
    public Task<ProtonEstate> DiscoverAsync(CancellationToken cancellationToken = default) => ProtonEstate.DiscoverAsync(_inventory, cancellationToken);

    /// <summary>
    /// Registers the bundles of <see cref="AdoptRequest.TemplatesDirectory"/>, then proves and records every discovered
    /// environment, service instance and pipeline. A resource is recorded when a version renders its deployed template
    /// exactly, or, with <see cref="AdoptRequest.AcceptDrift"/>, with the closest version. Nothing in the account changes.
    /// </summary>
    /// <param name="request">Templates, specs, dry run, drift.</param>
    /// <param name="cancellationToken">Cancels the run (resources already recorded stay recorded).</param>
    /// <returns>One result per resource.</returns>
    /// <exception cref="PlatformException"><c>platform.invalid-import</c>: the templates or specs folder does not exist.</exception>
    public async Task<AdoptionReport> AdoptAsync(AdoptRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Directory.Exists(request.SpecsDirectory))
        {
            throw new PlatformException(PlatformErrorCodes.InvalidImport, $"The specs folder '{request.SpecsDirectory}' does not exist (it holds environments/<env>.yaml and services/<service>.yaml).");
        }

        if (request.TemplatesDirectory is { } t && !Directory.Exists(t))
        {
            throw new PlatformException(PlatformErrorCodes.InvalidImport, $"The templates folder '{t}' does not exist (Proton's template-sync layout: <template>/v<major>/...).");
        }

        var estate = request.Estate ?? await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        var run = new Run(request, new Dictionary<string, List<Candidate>>(StringComparer.Ordinal), [], []);
        await LoadCandidatesAsync(run, estate, cancellationToken).ConfigureAwait(false);

        var results = new List<AdoptionResult>();
        var environments = new Dictionary<string, (EnvironmentRecord Record, bool Adopted)>(StringComparer.Ordinal);
        foreach (var env in estate.Environments)
        {
            var (result, record) = await AdoptEnvironmentAsync(run, env, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            if (record is not null)
            {
                environments[env.Name] = (record, true);
            }
        }

        foreach (var service in estate.Services)
        {
            results.AddRange(await AdoptServiceAsync(run, service, environments, cancellationToken).ConfigureAwait(false));
        }

        results.AddRange(estate.Components.Select(c => new AdoptionResult { Resource = c, Outcome = AdoptionOutcome.NotAdoptable, Reason = "components are not supported by Proton.Sdk yet" }));
        return new AdoptionReport
        {
            DryRun = request.DryRun,
            Results = results,
            TemplateVersions = run.Found,
            TemplateProblems = run.Problems,
            Unclassified = estate.Unclassified,
        };
    }

    // ------------------------------------------------------------------ templates

    private async Task LoadCandidatesAsync(Run run, ProtonEstate estate, CancellationToken cancellationToken)
    {
        var registry = _platform.Registry;
        if (run.Request.TemplatesDirectory is { } dir)
        {
            foreach (var (name, version, path) in SyncLayout(dir))
            {
                try
                {
                    var bundle = (await TemplateBundleLoader.LoadAsync(path, null, cancellationToken).ConfigureAwait(false)).GetBundleOrThrow();
                    var schema = SchemaParser.Parse(bundle).GetSchemaOrThrow();
                    if (!run.Request.DryRun)
                    {
                        if (await registry.GetTemplateAsync(name, cancellationToken).ConfigureAwait(false) is null)
                        {
                            await registry.CreateTemplateAsync(name, bundle.Kind, cancellationToken: cancellationToken).ConfigureAwait(false);
                        }

                        var existing = await registry.GetVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
                        if (existing is null || existing.ContentHash != bundle.ContentHash)
                        {
                            existing = (await registry.RegisterVersionAsync(name, new DirectoryBundleSource(path), new RegisterVersionOptions { Version = version, Description = "adopted from AWS Proton" }, cancellationToken).ConfigureAwait(false)).Version;
                        }

                        if (existing.Status == TemplateVersionStatus.Draft)
                        {
                            await registry.PublishAsync(name, version, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    Add(run, name, new Candidate(version, bundle, schema));
                    run.Found.Add($"{name}@{version}");
                }
                catch (ProtonException ex)
                {
                    var detail = ex is ProtonValidationException v && v.Diagnostics.Count > 0 ? string.Join("; ", v.Diagnostics.Take(5).Select(d => d.ToString())) : ex.Message;
                    run.Problems.Add($"{path}: {ex.ErrorCode}: {detail}");
                }
            }
        }

        foreach (var name in estate.Resources.Select(r => r.TemplateName).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (await registry.GetTemplateAsync(name, cancellationToken).ConfigureAwait(false) is null)
            {
                continue;
            }

            foreach (var v in await registry.ListVersionsAsync(name, cancellationToken).ConfigureAwait(false))
            {
                if (run.Candidates.TryGetValue(name, out var list) && list.Any(c => c.Version == v.Version))
                {
                    continue;
                }

                var bundle = await registry.LoadBundleAsync(v, cancellationToken).ConfigureAwait(false);
                Add(run, name, new Candidate(v.Version, bundle, SchemaParser.Parse(bundle).GetSchemaOrThrow()));
            }
        }

        foreach (var list in run.Candidates.Values)
        {
            list.Sort((a, b) => SemanticVersion.Parse(b.Version).CompareTo(SemanticVersion.Parse(a.Version)));
        }
    }

    private static void Add(Run run, string name, Candidate candidate)
    {
        if (!run.Candidates.TryGetValue(name, out var list))
        {
            run.Candidates[name] = list = [];
        }

        list.RemoveAll(c => c.Version == candidate.Version);
        list.Add(candidate);
    }

    /// <summary>The version folders of a template-sync tree: <c>[subdir/]&lt;template&gt;/v&lt;major&gt;[.&lt;minor&gt;]</c>, by template then version.</summary>
    internal static List<(string Template, string Version, string Path)> SyncLayout(string root)
    {
        var found = new List<(string Template, string Version, string Path)>();
        void Scan(string dir, int depth)
        {
            foreach (var sub in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(sub);
                var m = VersionFolder.Match(name);
                var template = Path.GetFileName(dir);
                if (m.Success && depth > 0 && ProtonNames.Explain(template) is null)
                {
                    found.Add((template, $"{m.Groups["major"].Value}.{(m.Groups["minor"].Success ? m.Groups["minor"].Value : "0")}.0", sub));
                }
                else if (!m.Success && depth < 3 && !name.StartsWith('.'))
                {
                    Scan(sub, depth + 1);
                }
            }
        }

        Scan(root, 0);
        return found.OrderBy(f => f.Template, StringComparer.Ordinal).ThenBy(f => SemanticVersion.Parse(f.Version)).ToList();
    }

    // ------------------------------------------------------------------ environments

    private async Task<(AdoptionResult Result, EnvironmentRecord? Record)> AdoptEnvironmentAsync(Run run, DiscoveredResource env, CancellationToken cancellationToken)
    {
        var specPath = Path.Combine(run.Request.SpecsDirectory, "environments", env.Name + ".yaml");
        var result = new AdoptionResult { Resource = env, Outcome = AdoptionOutcome.NotAdoptable, SpecPath = specPath };
        var existing = await _platform.GetEnvironmentAsync(env.Name, cancellationToken).ConfigureAwait(false);
        if (Precheck(run, env, existing is null ? null : $"environment {env.Name} is already recorded (stack {existing.StackName})") is { } refused)
        {
            return (result with { Reason = refused, TemplateVersion = existing?.TemplateVersion }, existing is not null && existing.StackName == env.Stack.StackName ? existing : null);
        }

        var candidates = run.Candidates[env.TemplateName!];
        if (!File.Exists(specPath))
        {
            var draft = SpecDraft.Environment(candidates[0], env.Name);
            return (result with { Reason = $"no spec file {specPath}: a draft from {env.TemplateName} {candidates[0].Version}'s schema is in the result; correct it until the rendering matches", SpecDraft = draft }, null);
        }

        EnvironmentSpec spec;
        try
        {
            spec = (await SpecParser.ParseFileAsync(specPath, null, cancellationToken).ConfigureAwait(false)).GetSpecOrThrow() as EnvironmentSpec
                ?? throw new PlatformException(PlatformErrorCodes.InvalidImport, $"{specPath}: a service spec; an environment spec (proton: EnvironmentSpec) is needed");
        }
        catch (ProtonException ex)
        {
            return (result with { Reason = Describe(ex) }, null);
        }

        var deployed = await _inventory.GetTemplateBodyAsync(env.Stack.StackName, cancellationToken).ConfigureAwait(false);
        var proof = Prove(candidates, deployed, c =>
        {
            var inputs = VersionResolver.Validate(c.Schema, InputKind.Environment, spec.Spec, null, "spec");
            var record = EnvironmentOf(env, c.Version, inputs);
            return (_platform.Requests.ForEnvironment(record, c.Bundle, inputs).TemplateBody, inputs);
        });
        result = Decide(run, result, proof, deployed);
        if (result.Outcome is not (AdoptionOutcome.Adopted or AdoptionOutcome.AdoptedWithDrift))
        {
            return (result, null);
        }

        var adopted = EnvironmentOf(env, proof.Best!.Version, proof.Inputs!) with { Provisioning = EnvironmentProvisioning.ImportedStack };
        if (run.Request.DryRun)
        {
            return (result, adopted);
        }

        var target = TargetRef.ForEnvironment(env.Name);
        var deployment = Deployment(target, adopted, proof, env);
        adopted = Succeeded(adopted, deployment) with { OutputsDeploymentId = deployment.Id };
        var written = new List<(string Collection, string Key)>();
        try
        {
            await PutTrackedAsync(PlatformRecords.Deployments, deployment.Id, deployment, written, cancellationToken).ConfigureAwait(false);
            await PutTrackedAsync(PlatformRecords.Environments, env.Name, adopted, written, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            written.Reverse();
            await RollBackAsync(written).ConfigureAwait(false);
            throw;
        }

        return (result with { DeploymentId = deployment.Id }, adopted);
    }

    private static EnvironmentRecord EnvironmentOf(DiscoveredResource env, string version, InputValues inputs) => new()
    {
        Name = env.Name,
        TemplateName = env.TemplateName!,
        TemplateVersion = version,
        Inputs = inputs.Redacted(),
        Outputs = env.Stack.Outputs,
        AccountId = env.AccountId,
        StackName = env.Stack.StackName,
    };

    // ------------------------------------------------------------------ services

    private async Task<List<AdoptionResult>> AdoptServiceAsync(Run run, DiscoveredService service, Dictionary<string, (EnvironmentRecord Record, bool Adopted)> adoptedEnvironments, CancellationToken cancellationToken)
    {
        var specPath = Path.Combine(run.Request.SpecsDirectory, "services", service.Name + ".yaml");
        var resources = service.Pipeline is null ? service.Instances.ToList() : [.. service.Instances, service.Pipeline];
        List<AdoptionResult> All(string reason, string? draft = null)
            => resources.Select(r => new AdoptionResult { Resource = r, Outcome = AdoptionOutcome.NotAdoptable, Reason = reason, SpecPath = specPath, SpecDraft = draft }).ToList();

        // A service recorded already (by an earlier run that adopted part of it) gets the rest: instances and a pipeline not recorded yet.
        var existingService = await _platform.GetServiceAsync(service.Name, cancellationToken).ConfigureAwait(false);
        if (existingService is not null && existingService.TemplateName != service.TemplateName)
        {
            return All($"service {service.Name} is already recorded with template {existingService.TemplateName}; its stacks' proton:template names {service.TemplateName}");
        }

        if (!run.Candidates.TryGetValue(service.TemplateName, out var candidates) || candidates.Count == 0)
        {
            return All($"no version of service template {service.TemplateName}: add its bundle to the templates folder or register it");
        }

        if (!File.Exists(specPath))
        {
            return All($"no spec file {specPath}: a draft from {service.TemplateName} {candidates[0].Version}'s schema is in the result; correct it until the rendering matches", SpecDraft.Service(candidates[0], service));
        }

        ServiceSpec spec;
        try
        {
            spec = (await SpecParser.ParseFileAsync(specPath, null, cancellationToken).ConfigureAwait(false)).GetSpecOrThrow() as ServiceSpec
                ?? throw new PlatformException(PlatformErrorCodes.InvalidImport, $"{specPath}: an environment spec; a service spec (proton: ServiceSpec) is needed");
        }
        catch (ProtonException ex)
        {
            return All(Describe(ex));
        }

        var repository = run.Request.Services.FirstOrDefault(i => i.Name == service.Name);
        var serviceRecord = existingService ?? new ServiceRecord
        {
            Name = service.Name,
            TemplateName = service.TemplateName,
            Status = ServiceStatus.Active,
            CreatedAt = _time.GetUtcNow(),
            RepositoryId = repository?.RepositoryId,
            BranchName = repository?.BranchName,
            RepositoryConnectionArn = repository?.RepositoryConnectionArn,
        };
        var results = new List<AdoptionResult>();
        var adoptedInstances = new List<(DiscoveredResource Resource, ServiceInstanceRecord Record, Proof Proof, EnvironmentRecord Env)>();
        foreach (var instance in service.Instances)
        {
            var result = new AdoptionResult { Resource = instance, Outcome = AdoptionOutcome.NotAdoptable, SpecPath = specPath };
            if (Precheck(run, instance, null) is { } refused)
            {
                results.Add(result with { Reason = refused });
                continue;
            }

            if (existingService is not null && await _platform.GetServiceInstanceAsync(service.Name, instance.Name, cancellationToken).ConfigureAwait(false) is { } recorded)
            {
                results.Add(result with { Reason = $"instance {instance.Name} of service {service.Name} is already recorded (stack {recorded.StackName})", TemplateVersion = recorded.TemplateVersion });
                continue;
            }

            var instanceSpec = spec.Instances.FirstOrDefault(i => i.Name == instance.Name);
            if (instanceSpec is null)
            {
                results.Add(result with { Reason = $"{specPath}: instances has no entry named {instance.Name}" });
                continue;
            }

            if (instanceSpec.Environment != instance.EnvironmentName)
            {
                results.Add(result with { Reason = $"{specPath}: instance {instance.Name} names environment {instanceSpec.Environment}, its stack's proton:environment names {instance.EnvironmentName}" });
                continue;
            }

            var env = adoptedEnvironments.TryGetValue(instance.EnvironmentName!, out var a) ? a.Record : await _platform.GetEnvironmentAsync(instance.EnvironmentName!, cancellationToken).ConfigureAwait(false);
            if (env is null)
            {
                results.Add(result with { Reason = $"environment {instance.EnvironmentName} is not adopted or recorded: adopt it first" });
                continue;
            }

            var deployed = await _inventory.GetTemplateBodyAsync(instance.Stack.StackName, cancellationToken).ConfigureAwait(false);
            var proof = Prove(candidates, deployed, c =>
            {
                var inputs = VersionResolver.Validate(c.Schema, InputKind.ServiceInstance, instanceSpec.Spec, null, $"instances[{instance.Name}].spec");
                return (_platform.Requests.ForInstance(serviceRecord, instance.Name, env, c.Bundle, inputs, instance.Stack.StackName).TemplateBody, inputs);
            });
            result = Decide(run, result, proof, deployed);
            results.Add(result);
            if (result.Outcome is AdoptionOutcome.Adopted or AdoptionOutcome.AdoptedWithDrift)
            {
                var record = new ServiceInstanceRecord
                {
                    ServiceName = service.Name,
                    Name = instance.Name,
                    EnvironmentName = env.Name,
                    TemplateName = service.TemplateName,
                    TemplateVersion = proof.Best!.Version,
                    Inputs = proof.Inputs!.Redacted(),
                    Outputs = instance.Stack.Outputs,
                    StackName = instance.Stack.StackName,
                    EnvironmentDeploymentId = env.OutputsDeploymentId,
                };
                adoptedInstances.Add((instance, record, proof, env));
            }
        }

        (DiscoveredResource Resource, PipelineRecord Record, Proof Proof)? pipeline = null;
        if (service.Pipeline is { } p)
        {
            var result = new AdoptionResult { Resource = p, Outcome = AdoptionOutcome.NotAdoptable, SpecPath = specPath };
            var recordedPipeline = existingService?.Pipeline is { } rp ? $"the pipeline of service {service.Name} is already recorded (stack {rp.StackName})" : null;
            if (Precheck(run, p, recordedPipeline) is { } refused)
            {
                results.Add(result with { Reason = refused });
            }
            else
            {
                var deployed = await _inventory.GetTemplateBodyAsync(p.Stack.StackName, cancellationToken).ConfigureAwait(false);
                var instanceStacks = service.Instances.ToDictionary(i => i.Name, StringComparer.Ordinal);
                var proof = Prove(candidates.Where(c => c.Bundle.HasPipeline).ToList(), deployed, c =>
                {
                    // The context Proton built: every instance of the service, with its inputs, outputs and environment.
                    var infos = new List<ServiceInstanceInfo>();
                    foreach (var i in spec.Instances)
                    {
                        var inputs = VersionResolver.Validate(c.Schema, InputKind.ServiceInstance, i.Spec, null, $"instances[{i.Name}].spec");
                        var outputs = instanceStacks.TryGetValue(i.Name, out var s) ? s.Stack.Outputs : new Dictionary<string, string>();
                        var envRecord = adoptedEnvironments.TryGetValue(i.Environment, out var e) ? e.Record : null;
                        infos.Add(new ServiceInstanceInfo(i.Name, new EnvironmentInfo(i.Environment) { AccountId = envRecord?.AccountId ?? p.AccountId, Outputs = envRecord?.Outputs ?? new Dictionary<string, string>() }) { Inputs = inputs, Outputs = outputs });
                    }

                    var pipelineInputs = VersionResolver.Validate(c.Schema, InputKind.Pipeline, spec.Pipeline ?? new Dictionary<string, object?>(), null, "pipeline");
                    return (_platform.Requests.ForPipeline(serviceRecord with { Pipeline = new PipelineRecord { TemplateName = service.TemplateName, TemplateVersion = c.Version, StackName = p.Stack.StackName } }, c.Bundle, pipelineInputs, infos).TemplateBody, pipelineInputs);
                });
                result = Decide(run, result, proof, deployed);
                results.Add(result);
                if (result.Outcome is AdoptionOutcome.Adopted or AdoptionOutcome.AdoptedWithDrift)
                {
                    pipeline = (p, new PipelineRecord { TemplateName = service.TemplateName, TemplateVersion = proof.Best!.Version, Inputs = proof.Inputs!.Redacted(), Outputs = p.Stack.Outputs, StackName = p.Stack.StackName }, proof);
                }
            }
        }

        if (run.Request.DryRun || (adoptedInstances.Count == 0 && pipeline is null))
        {
            return results;
        }

        // Record: deployments first, then the service (with its pipeline), then the instances; a failure removes what this service wrote.
        var written = new List<(string Collection, string Key)>();
        try
        {
            PipelineRecord? pipelineRecord = null;
            if (pipeline is { } pl)
            {
                var d = Deployment(TargetRef.ForPipeline(service.Name), pl.Record, pl.Proof, pl.Resource);
                await PutTrackedAsync(PlatformRecords.Deployments, d.Id, d, written, cancellationToken).ConfigureAwait(false);
                pipelineRecord = Succeeded(pl.Record, d);
                results[results.FindIndex(r => r.Resource == pl.Resource)] = results.Find(r => r.Resource == pl.Resource)! with { DeploymentId = d.Id };
            }

            if (existingService is null)
            {
                await PutTrackedAsync(PlatformRecords.Services, service.Name, serviceRecord with { Pipeline = pipelineRecord }, written, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (resource, record, proof, env) in adoptedInstances)
            {
                var target = TargetRef.ForInstance(service.Name, record.Name, env.Name);
                var d = Deployment(target, record, proof, resource);
                await PutTrackedAsync(PlatformRecords.Deployments, d.Id, d, written, cancellationToken).ConfigureAwait(false);
                await PutTrackedAsync(PlatformRecords.Instances, PlatformRecords.InstanceKey(service.Name, record.Name), Succeeded(record, d), written, cancellationToken).ConfigureAwait(false);
                results[results.FindIndex(r => r.Resource == resource)] = results.Find(r => r.Resource == resource)! with { DeploymentId = d.Id };
            }

            if (existingService is not null && pipelineRecord is not null)
            {
                // Last, so that a failure before it leaves the recorded service as it was.
                var updated = await _platform.Records.UpdateAsync<ServiceRecord>(PlatformRecords.Services, service.Name, s => s.Pipeline is null ? s with { Pipeline = pipelineRecord } : s, cancellationToken).ConfigureAwait(false);
                if (updated?.Pipeline?.StackName != pipelineRecord.StackName)
                {
                    throw new PlatformException(PlatformErrorCodes.Conflict, $"service {service.Name} changed while its pipeline was adopted (deleted, or given another pipeline); nothing of this run's records for it is kept");
                }
            }
        }
        catch
        {
            written.Reverse();
            await RollBackAsync(written).ConfigureAwait(false);
            throw;
        }

        return results;
    }

    /// <summary>
    /// Creates a record and lists it for a roll-back: also when the put fails after the record landed (its indexes are
    /// written after it), but not when it fails because the record already existed (someone else's, never deleted here).
    /// </summary>
    private async Task PutTrackedAsync<T>(string collection, string key, T value, List<(string Collection, string Key)> written, CancellationToken cancellationToken)
    {
        try
        {
            await _platform.Records.PutAsync(collection, key, value, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not StoreConflictException)
        {
            written.Add((collection, key));
            throw;
        }

        written.Add((collection, key));
    }

    /// <summary>Deletes what an adoption wrote, newest first; one failed delete does not stop the others or hide the original error.</summary>
    private async Task RollBackAsync(IEnumerable<(string Collection, string Key)> written)
    {
        foreach (var (collection, key) in written)
        {
            try
            {
                await _platform.Records.DeleteAsync(collection, key, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ProtonException or IOException)
            {
                // Left for `proton store repair-index` / a rerun to report; the caller sees the error that stopped the adoption.
            }
        }
    }

    // ------------------------------------------------------------------ proof

    private static string? Precheck(Run run, DiscoveredResource resource, string? recorded)
    {
        if (recorded is not null)
        {
            return recorded;
        }

        if (!resource.Stack.IsStable)
        {
            return $"stack {resource.Stack.StackName} is {resource.Stack.Status}; adopt a stack whose last operation succeeded";
        }

        return !run.Candidates.TryGetValue(resource.TemplateName!, out var list) || list.Count == 0
            ? $"no version of template {resource.TemplateName}: add its bundle to the templates folder or register it"
            : null;
    }

    /// <summary>Tries each version, newest first; the first exact rendering wins, else the one with the fewest differences.</summary>
    private static Proof Prove(IReadOnlyList<Candidate> candidates, string deployed, Func<Candidate, (string Body, InputValues Inputs)> render)
    {
        var notes = new List<string>();
        if (string.IsNullOrWhiteSpace(deployed))
        {
            // Nothing to compare with: every version would "differ" in one place, and AcceptDrift would adopt the newest.
            notes.Add("the stack has no template body (GetTemplate returned none), so no version can be proved");
            return new Proof(null, [], null, notes);
        }

        Proof? best = null;
        foreach (var c in candidates)
        {
            string body;
            InputValues inputs;
            try
            {
                (body, inputs) = render(c);
            }
            catch (ProtonException ex)
            {
                notes.Add($"{c.Version}: {Describe(ex)}");
                continue;
            }

            IReadOnlyList<TemplateDifference> diffs;
            try
            {
                diffs = TemplateDocumentComparer.Compare(deployed, body);
            }
            catch (ProtonException ex)
            {
                notes.Add($"{c.Version}: {Describe(ex)}");
                continue;
            }

            if (diffs.Count == 0)
            {
                return new Proof(c, diffs, inputs, notes);
            }

            if (best is null || diffs.Count < best.Differences.Count)
            {
                best = new Proof(c, diffs, inputs, notes);
            }
        }

        return best ?? new Proof(null, [], null, notes);
    }

    private static AdoptionResult Decide(Run run, AdoptionResult result, Proof proof, string deployed)
    {
        if (proof.Best is null)
        {
            return result with { Reason = "no version renders with this spec: " + string.Join("; ", proof.Notes) };
        }

        if (proof.Differences.Count == 0)
        {
            return result with { Outcome = AdoptionOutcome.Adopted, TemplateVersion = proof.Best.Version, ExactMatch = true };
        }

        return result with
        {
            Outcome = run.Request.AcceptDrift ? AdoptionOutcome.AdoptedWithDrift : AdoptionOutcome.Differs,
            TemplateVersion = proof.Best.Version,
            Differences = proof.Differences,
            DifferenceText = TemplateDocumentComparer.Describe(proof.Differences, deployed),
            Reason = run.Request.AcceptDrift
                ? $"adopted with drift: {proof.Differences.Count} difference(s) with {proof.Best.Version}; its first update is a change (run plan first)"
                : $"the deployed template differs from every rendering; closest is {proof.Best.Version} with {proof.Differences.Count} difference(s) (adopt it anyway with AcceptDrift, or correct the spec)",
        };
    }

    private DeploymentRecord Deployment(TargetRef target, DeployableRecord record, Proof proof, DiscoveredResource resource)
    {
        var now = _time.GetUtcNow();
        var match = proof.Differences.Count == 0 ? "exact match" : $"with drift ({proof.Differences.Count} difference(s))";
        return _platform.Engine.NewDeployment(target, null, new DeploymentState(record.TemplateName, record.TemplateVersion, record.Inputs), null, _platform.Provisioner.Name) with
        {
            Status = DeploymentStatus.Succeeded,
            StatusMessage = $"adopted from AWS Proton: stack {resource.Stack.StackName}, {record.TemplateName} {record.TemplateVersion}, {match}",
            Outputs = resource.Stack.Outputs,
            CompletedAt = now,
            StackName = resource.Stack.StackName,
        };
    }

    private T Succeeded<T>(T record, DeploymentRecord deployment)
        where T : DeployableRecord
    {
        var now = _time.GetUtcNow();
        return record with
        {
            DeploymentStatus = DeploymentStatus.Succeeded,
            LastAttemptedDeploymentId = deployment.Id,
            LastSucceededDeploymentId = deployment.Id,
            LastDeploymentAttemptedAt = now,
            LastDeploymentSucceededAt = now,
            CreatedAt = now,
        };
    }

    private static string Describe(ProtonException ex)
        => ex is ProtonValidationException v && v.Diagnostics.Count > 0 ? $"{ex.ErrorCode}: " + string.Join("; ", v.Diagnostics.Take(5).Select(d => d.ToString())) : $"{ex.ErrorCode}: {ex.Message}";

    internal sealed record Candidate(string Version, TemplateBundle Bundle, ParameterSchema Schema);

    private sealed record Proof(Candidate? Best, IReadOnlyList<TemplateDifference> Differences, InputValues? Inputs, List<string> Notes);

    private sealed record Run(AdoptRequest Request, Dictionary<string, List<Candidate>> Candidates, List<string> Found, List<string> Problems);
}
