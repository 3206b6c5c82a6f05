using Proton.Sdk.Schema;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Platform;

/// <summary>The resources summary, upgrade plans and fleet upgrades with concurrency and failure tolerance.</summary>
internal sealed class FleetPlanner(PlatformRecords records, VersionResolver versions)
{
    public async Task<IReadOnlyList<SummaryCounts>> GetSummaryAsync(CancellationToken cancellationToken)
    {
        // From the counts each index shard keeps by type and version: one version check per distinct version, not per resource.
        var rows = new List<SummaryCounts>();
        var counts = await records.ListIndexCountsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var group in counts.GroupBy(c => (TemplateName: c.Template, c.Count.Type)).OrderBy(g => g.Key.TemplateName, StringComparer.Ordinal).ThenBy(g => g.Key.Type))
        {
            var total = group.Sum(c => c.Count.Total);
            if (total == 0)
            {
                continue;
            }

            var all = await versions.Registry.ListVersionsAsync(group.Key.TemplateName, cancellationToken).ConfigureAwait(false);
            var recommended = TemplateRegistry.Recommended(all);
            int upToDate = 0, behindMinor = 0, behindMajor = 0, failed = 0;
            foreach (var byVersion in group.GroupBy(c => c.Count.Version, StringComparer.Ordinal))
            {
                var failedHere = byVersion.Sum(c => c.Count.Failed);
                var running = byVersion.Sum(c => c.Count.Total) - failedHere;
                failed += failedHere;
                if (running == 0)
                {
                    continue;
                }

                if (!SemanticVersion.TryParse(byVersion.Key, out var current) || current is null)
                {
                    // A damaged record: named as before, from the index entries.
                    var damaged = (await records.ListIndexedResourcesAsync(group.Key.TemplateName, cancellationToken).ConfigureAwait(false))
                        .First(r => r.Entry.Type == group.Key.Type && r.Entry.Version == byVersion.Key && !r.Entry.IsFailed);
                    _ = VersionResolver.ParseStored(damaged.Entry.Version, damaged.Display);
                    throw new InvalidOperationException("unreachable: the version did not parse");
                }

                if (TemplateRegistry.Recommended(all, current.Major) is { } minor && minor.SemanticVersion > current)
                {
                    behindMinor += running;
                }
                else if (recommended is not null && recommended.SemanticVersion.Major > current.Major)
                {
                    behindMajor += running;
                }
                else
                {
                    upToDate += running;
                }
            }

            rows.Add(new SummaryCounts(group.Key.TemplateName, group.Key.Type, recommended?.Version)
            {
                UpToDate = upToDate,
                BehindMinor = behindMinor,
                BehindMajor = behindMajor,
                Failed = failed,
                Total = total,
            });
        }

        return rows;
    }

    public async Task<UpgradePlan> PlanUpgradeAsync(string templateName, string? toVersion, CancellationToken cancellationToken)
    {
        var target = toVersion is null
            ? await versions.Registry.GetRecommendedAsync(templateName, null, cancellationToken).ConfigureAwait(false)
                ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"{templateName} has no recommended version to upgrade to.")
            : await versions.ResolveConstraintAsync(templateName, toVersion, includeDeprecated: true, cancellationToken).ConfigureAwait(false);
        var (_, schema) = await versions.LoadAsync(target, cancellationToken).ConfigureAwait(false);
        var to = target.SemanticVersion;
        var steps = new List<UpgradeStep>();
        // The template's resources from its index; environments (for the instances' compatibility) from every template's
        // index, read only when the template has instances, so a plan reads the index and never the fleet.
        var resources = await records.ListIndexedResourcesAsync(templateName, cancellationToken).ConfigureAwait(false);
        var environments = new Dictionary<string, (string Template, TemplateIndexEntry Entry)>(StringComparer.Ordinal);
        if (resources.Any(r => r.Entry.Type == DeploymentTargetType.ServiceInstance))
        {
            foreach (var (envTemplate, name, e) in await records.ListIndexedResourcesAsync(null, cancellationToken).ConfigureAwait(false))
            {
                if (e.Type == DeploymentTargetType.Environment)
                {
                    environments[name] = (envTemplate, e);
                }
            }
        }

        // Whether the target runs on an environment template and version: once per distinct pair, not per instance.
        var compatible = new Dictionary<(string Template, string Version), bool>();
        var parsed = new Dictionary<string, SemanticVersion>(StringComparer.Ordinal);
        var secretInputs = new Dictionary<DeploymentTargetType, List<string>>();

        foreach (var (_, display, r) in resources)
        {
            var type = r.Type;
            if (!parsed.TryGetValue(r.Version, out var from))
            {
                parsed[r.Version] = from = VersionResolver.ParseStored(r.Version, display);
            }

            if (from >= to)
            {
                continue;
            }

            var step = new UpgradeStep(type, display, r.Version, target.Version, from.Major == to.Major ? DeploymentUpdateType.MinorVersion : DeploymentUpdateType.MajorVersion);
            string? blocked = null;
            if (r.IsBusy)
            {
                blocked = $"deployment {r.Running} is running";
            }
            else if (r.CustomerManaged)
            {
                blocked = "customer-managed: the platform does not deploy it";
            }
            else if (type == DeploymentTargetType.ServiceInstance && r.Environment is { } envName)
            {
                if (!environments.TryGetValue(envName, out var env))
                {
                    blocked = $"environment {envName} is gone";
                }
                else if (!env.Entry.Deployed || !compatible.TryGetValue((env.Template, env.Entry.Version), out var ok) || !ok)
                {
                    var record = new EnvironmentRecord { Name = envName, TemplateName = env.Template, TemplateVersion = env.Entry.Version, DeploymentStatus = env.Entry.Status, LastSucceededDeploymentId = env.Entry.Deployed ? "indexed" : null };
                    blocked = VersionResolver.Incompatibility(target, record);
                    if (env.Entry.Deployed)
                    {
                        compatible[(env.Template, env.Entry.Version)] = blocked is null;
                    }
                }
            }

            if (blocked is null && r.Masked is { } maskedInputs)
            {
                if (!secretInputs.TryGetValue(type, out var secretNames))
                {
                    var kind = type switch { DeploymentTargetType.Environment => InputKind.Environment, DeploymentTargetType.ServiceInstance => InputKind.ServiceInstance, _ => InputKind.Pipeline };
                    secretInputs[type] = secretNames = [.. (schema.InputType(kind)?.Properties ?? []).Where(p => p.IsSecret).Select(p => p.Name)];
                }

                var masked = maskedInputs.Split(',');
                var secrets = secretNames.Where(n => masked.Contains(n, StringComparer.Ordinal)).ToList();
                if (secrets.Count > 0)
                {
                    blocked = $"secret inputs {string.Join(", ", secrets)} must be given again; update it on its own";
                }
            }

            steps.Add(step with { BlockedReason = blocked });
        }

        return new UpgradePlan(templateName, target.Version, steps);
    }

    public static async Task<UpgradeResult> UpgradeAsync(UpgradePlan plan, UpgradeOptions? options, Func<UpgradeStep, CancellationToken, Task<DeploymentRecord?>> runStep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        options ??= new UpgradeOptions();
        if (options.MaxConcurrency < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxConcurrency, "UpgradeOptions.MaxConcurrency is at least 1.");
        }

        if (options.FailureTolerance < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FailureTolerance, "UpgradeOptions.FailureTolerance is at least 0.");
        }

        var results = new UpgradeStepResult?[plan.Steps.Count];
        var failures = 0;
        var stopped = false;
        using var gate = new SemaphoreSlim(options.MaxConcurrency);
        var running = new List<Task>();
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            if (step.BlockedReason is not null)
            {
                results[i] = new UpgradeStepResult(step, null, "blocked") { Message = step.BlockedReason };
                continue;
            }

            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref failures) > options.FailureTolerance || cancellationToken.IsCancellationRequested)
            {
                gate.Release();
                stopped = true;
                break;
            }

            var index = i;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    var d = await runStep(step, cancellationToken).ConfigureAwait(false);
                    var ok = d?.Status == DeploymentStatus.Succeeded;
                    if (!ok)
                    {
                        Interlocked.Increment(ref failures);
                    }

                    results[index] = new UpgradeStepResult(step, d, ok ? "succeeded" : "failed") { Message = d?.StatusMessage };
                }
                catch (ProtonException ex)
                {
                    Interlocked.Increment(ref failures);
                    results[index] = new UpgradeStepResult(step, null, "failed") { Message = $"{ex.ErrorCode}: {ex.Message}" };
                }
                finally
                {
                    gate.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        stopped |= failures > options.FailureTolerance && results.Any(r => r is null);
        var final = plan.Steps.Select((s, i) => results[i] ?? new UpgradeStepResult(s, null, "not-started") { Message = "the rollout stopped: failures passed the tolerance" }).ToList();
        return new UpgradeResult(plan, final, stopped);
    }
}
