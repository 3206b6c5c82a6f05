using Proton.Sdk.Schema;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Platform;

/// <summary>The resources summary, upgrade plans and fleet upgrades with concurrency and failure tolerance.</summary>
internal sealed class FleetPlanner(PlatformRecords records, VersionResolver versions)
{
    public async Task<IReadOnlyList<SummaryCounts>> GetSummaryAsync(CancellationToken cancellationToken)
    {
        var rows = new List<SummaryCounts>();
        var resources = await records.ListIndexedResourcesAsync(null, cancellationToken).ConfigureAwait(false);
        foreach (var group in resources.GroupBy(r => (TemplateName: r.Template, r.Entry.Type)).OrderBy(g => g.Key.TemplateName, StringComparer.Ordinal).ThenBy(g => g.Key.Type))
        {
            var all = await versions.Registry.ListVersionsAsync(group.Key.TemplateName, cancellationToken).ConfigureAwait(false);
            var recommended = TemplateRegistry.Recommended(all);
            int upToDate = 0, behindMinor = 0, behindMajor = 0, failed = 0;
            foreach (var (_, display, r) in group)
            {
                if (r.Status is DeploymentStatus.Failed or DeploymentStatus.DeleteFailed)
                {
                    failed++;
                    continue;
                }

                var current = VersionResolver.ParseStored(r.Version, display);
                if (TemplateRegistry.Recommended(all, current.Major) is { } minor && minor.SemanticVersion > current)
                {
                    behindMinor++;
                }
                else if (recommended is not null && recommended.SemanticVersion.Major > current.Major)
                {
                    behindMajor++;
                }
                else
                {
                    upToDate++;
                }
            }

            rows.Add(new SummaryCounts(group.Key.TemplateName, group.Key.Type, recommended?.Version)
            {
                UpToDate = upToDate,
                BehindMinor = behindMinor,
                BehindMajor = behindMajor,
                Failed = failed,
                Total = group.Count(),
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
        var environments = new Dictionary<string, EnvironmentRecord>(StringComparer.Ordinal);
        if (resources.Any(r => r.Entry.Type == DeploymentTargetType.ServiceInstance))
        {
            foreach (var (envTemplate, name, e) in await records.ListIndexedResourcesAsync(null, cancellationToken).ConfigureAwait(false))
            {
                if (e.Type == DeploymentTargetType.Environment)
                {
                    environments[name] = new EnvironmentRecord { Name = name, TemplateName = envTemplate, TemplateVersion = e.Version, DeploymentStatus = e.Status, LastSucceededDeploymentId = e.Deployed ? "indexed" : null };
                }
            }
        }

        foreach (var (_, display, r) in resources)
        {
            var type = r.Type;
            var from = VersionResolver.ParseStored(r.Version, display);
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
                blocked = environments.TryGetValue(envName, out var env) ? VersionResolver.Incompatibility(target, env) : $"environment {envName} is gone";
            }

            var kind = type switch { DeploymentTargetType.Environment => InputKind.Environment, DeploymentTargetType.ServiceInstance => InputKind.ServiceInstance, _ => InputKind.Pipeline };
            var masked = r.Masked?.Split(',') ?? [];
            var secrets = (schema.InputType(kind)?.Properties ?? []).Where(p => p.IsSecret && masked.Contains(p.Name, StringComparer.Ordinal)).Select(p => p.Name).ToList();
            if (blocked is null && secrets.Count > 0)
            {
                blocked = $"secret inputs {string.Join(", ", secrets)} must be given again; update it on its own";
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
