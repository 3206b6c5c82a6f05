using Proton.Sdk.Schema;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Platform;

/// <summary>The summary and fleet upgrades.</summary>
public sealed partial class ProtonPlatform
{
    /// <summary>Per template and resource type: up to date, behind a minor, behind a major, failed (Proton's <c>GetResourcesSummary</c>).</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>One row per template and resource type that has resources.</returns>
    public async Task<IReadOnlyList<SummaryCounts>> GetSummaryAsync(CancellationToken cancellationToken = default)
    {
        var rows = new List<SummaryCounts>();
        var resources = await AllResourcesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var group in resources.GroupBy(r => (r.Record.TemplateName, r.Type)).OrderBy(g => g.Key.TemplateName, StringComparer.Ordinal).ThenBy(g => g.Key.Type))
        {
            var versions = await Registry.ListVersionsAsync(group.Key.TemplateName, cancellationToken).ConfigureAwait(false);
            var recommended = TemplateRegistry.Recommended(versions);
            int upToDate = 0, behindMinor = 0, behindMajor = 0, failed = 0;
            foreach (var (_, _, r) in group)
            {
                if (r.DeploymentStatus is DeploymentStatus.Failed or DeploymentStatus.DeleteFailed)
                {
                    failed++;
                    continue;
                }

                var current = SemanticVersion.Parse(r.TemplateVersion);
                if (TemplateRegistry.Recommended(versions, current.Major) is { } minor && minor.SemanticVersion > current)
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

    /// <summary>Plans moving every environment, instance or pipeline of a template to the recommended (or a given) version. Changes nothing.</summary>
    /// <param name="templateName">The template.</param>
    /// <param name="toVersion">A version or constraint; the recommended version when null.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>One step per resource below that version, with the reason when it cannot move.</returns>
    public async Task<UpgradePlan> PlanUpgradeAsync(string templateName, string? toVersion = null, CancellationToken cancellationToken = default)
    {
        var target = toVersion is null
            ? await Registry.GetRecommendedAsync(templateName, null, cancellationToken).ConfigureAwait(false)
                ?? throw new PlatformException(PlatformErrorCodes.VersionUnavailable, $"{templateName} has no recommended version to upgrade to.")
            : await ResolveConstraintAsync(templateName, toVersion, includeDeprecated: true, cancellationToken).ConfigureAwait(false);
        var (_, schema) = await LoadAsync(target, cancellationToken).ConfigureAwait(false);
        var to = target.SemanticVersion;
        var steps = new List<UpgradeStep>();
        var environments = (await ListEnvironmentsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var (type, display, r) in await AllResourcesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (r.TemplateName != templateName || SemanticVersion.Parse(r.TemplateVersion) >= to)
            {
                continue;
            }

            var step = new UpgradeStep(type, display, r.TemplateVersion, target.Version, SemanticVersion.Parse(r.TemplateVersion).Major == to.Major ? DeploymentUpdateType.MinorVersion : DeploymentUpdateType.MajorVersion);
            string? blocked = null;
            if (r.IsBusy)
            {
                blocked = $"deployment {r.LastAttemptedDeploymentId} is running";
            }
            else if (r is EnvironmentRecord { Provisioning: EnvironmentProvisioning.CustomerManaged })
            {
                blocked = "customer-managed: the platform does not deploy it";
            }
            else if (r is ServiceInstanceRecord i)
            {
                blocked = environments.TryGetValue(i.EnvironmentName, out var env) ? Incompatibility(target, env) : $"environment {i.EnvironmentName} is gone";
            }

            var kind = type switch { DeploymentTargetType.Environment => InputKind.Environment, DeploymentTargetType.ServiceInstance => InputKind.ServiceInstance, _ => InputKind.Pipeline };
            var secrets = (schema.InputType(kind)?.Properties ?? []).Where(p => p.IsSecret && Equals(r.Inputs.GetValueOrDefault(p.Name), InputValues.Mask)).Select(p => p.Name).ToList();
            if (blocked is null && secrets.Count > 0)
            {
                blocked = $"secret inputs {string.Join(", ", secrets)} must be given again; update it on its own";
            }

            steps.Add(step with { BlockedReason = blocked });
        }

        return new UpgradePlan(templateName, target.Version, steps);
    }

    /// <summary>
    /// Runs a fleet upgrade: at most <see cref="UpgradeOptions.MaxConcurrency"/> deployments at once; once more than
    /// <see cref="UpgradeOptions.FailureTolerance"/> steps have failed, no new step starts (running ones finish).
    /// </summary>
    /// <param name="plan">The plan, from <see cref="PlanUpgradeAsync"/>.</param>
    /// <param name="options">Concurrency and tolerance.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels running deployments and stops the rollout.</param>
    /// <returns>Each step's outcome.</returns>
    public async Task<UpgradeResult> UpgradeAsync(UpgradePlan plan, UpgradeOptions? options = null, IProgress<DeploymentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        options ??= new UpgradeOptions();
        if (options.MaxConcurrency < 1 || options.FailureTolerance < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxConcurrency is at least 1 and FailureTolerance at least 0.");
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
                    var d = await RunStepAsync(step, progress, cancellationToken).ConfigureAwait(false);
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

    private async Task<List<(DeploymentTargetType Type, string Display, DeployableRecord Record)>> AllResourcesAsync(CancellationToken cancellationToken)
    {
        var all = new List<(DeploymentTargetType, string, DeployableRecord)>();
        all.AddRange((await ListEnvironmentsAsync(cancellationToken).ConfigureAwait(false)).Select(e => (DeploymentTargetType.Environment, e.Name, (DeployableRecord)e)));
        all.AddRange((await ListAllInstancesAsync(cancellationToken).ConfigureAwait(false)).Select(i => (DeploymentTargetType.ServiceInstance, $"{i.ServiceName}/{i.Name}", (DeployableRecord)i)));
        all.AddRange((await ListServicesAsync(cancellationToken).ConfigureAwait(false)).Where(s => s.Pipeline is not null).Select(s => (DeploymentTargetType.ServicePipeline, s.Name, (DeployableRecord)s.Pipeline!)));
        return all;
    }
}
