using Proton.Sdk.Policies;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Testing;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Platform;

/// <summary>
/// Computes each upgrade step's <see cref="UpgradeImpact"/>: renders the resource's current and target version with its
/// own inputs (the same requests a deployment would send, injection guard included), diffs them, asks the provisioner to
/// plan the target, derives the IAM actions the upgrade adds, and flags stateful resources it would replace or delete.
/// Reads records one by one and deploys nothing; a step whose impact cannot be computed gets <see cref="UpgradeImpact.Error"/>.
/// </summary>
internal sealed class UpgradeImpactAnalyzer(PlatformRecords records, VersionResolver versions, EnvironmentLifecycle environments, ServiceLifecycle services, ProvisionerSelector provisioners, ProtonPlatformOptions options)
{
    public async Task<UpgradePlan> AnalyzeAsync(UpgradePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var target = await versions.Registry.GetVersionAsync(plan.TemplateName, plan.ToVersion, cancellationToken).ConfigureAwait(false);
        var source = options.UpgradePermissionSource ?? options.PermissionCheck?.Source;
        var steps = new List<UpgradeStep>(plan.Steps.Count);
        foreach (var step in plan.Steps)
        {
            if (step.Impact is not null || step.BlockedReason is not null)
            {
                steps.Add(step);
                continue;
            }

            UpgradeImpact impact;
            try
            {
                impact = target is null
                    ? new UpgradeImpact { Error = $"{plan.TemplateName} {plan.ToVersion} is not registered" }
                    : await AnalyzeAsync(plan.TemplateName, step, target, source, cancellationToken).ConfigureAwait(false);
            }
            catch (ProtonException ex)
            {
                impact = new UpgradeImpact { Error = $"{ex.ErrorCode}: {ex.Message}" };
            }

            steps.Add(step with { Impact = impact });
        }

        return plan with { Steps = steps };
    }

    /// <summary>Refuses a plan that replaces or deletes stateful resources unless the options allow it.</summary>
    public static void CheckStateful(UpgradePlan plan, UpgradeOptions? options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (options?.AllowStatefulReplacement == true || !plan.HasStatefulChanges)
        {
            return;
        }

        var what = plan.Steps.Where(s => s.BlockedReason is null && s.Stateful)
            .Select(s => $"{s.Target} ({string.Join(", ", s.Impact!.StatefulChanges.Select(c => $"{Verb(c.Action)} {c.Resource} {c.ResourceType}"))})");
        throw new PlatformException(PlatformErrorCodes.StatefulReplacement, $"The upgrade of {plan.TemplateName} to {plan.ToVersion} replaces or deletes stateful resources: {string.Join("; ", what)}. Nothing was deployed; set UpgradeOptions.AllowStatefulReplacement (proton upgrade --allow-stateful-replacement) to run it anyway.");
    }

    internal static string Verb(ResourceChangeAction action) => action switch
    {
        ResourceChangeAction.Add => "adds",
        ResourceChangeAction.Modify => "may replace",
        ResourceChangeAction.Replace => "replaces",
        _ => "deletes",
    };

    private async Task<UpgradeImpact> AnalyzeAsync(string templateName, UpgradeStep step, TemplateVersionRecord target, IResourcePermissionSource? source, CancellationToken cancellationToken)
    {
        var from = await versions.Registry.GetVersionAsync(templateName, step.FromVersion, cancellationToken).ConfigureAwait(false);
        if (from is null)
        {
            return new UpgradeImpact { Error = $"{templateName} {step.FromVersion}, the version {step.Target} runs, is no longer registered" };
        }

        var current = await RequestAsync(step, from, cancellationToken).ConfigureAwait(false);
        var next = await RequestAsync(step, target, cancellationToken).ConfigureAwait(false);
        var secrets = current.SecretValues.Concat(next.SecretValues).ToList();
        var diff = current.TemplateBody == next.TemplateBody
            ? string.Empty
            : SecretRedactor.Redact(LineDiff.Unified(current.TemplateBody, next.TemplateBody, $"{step.Target} {step.FromVersion}", $"{step.Target} {step.ToVersion}"), secrets) ?? string.Empty;

        StackPlan? plan = null;
        string? unavailable = null;
        try
        {
            plan = await provisioners.For(next.Part, $"{step.TargetType} {step.Target}").PlanAsync(next, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ProtonException or NotSupportedException or InvalidOperationException)
        {
            unavailable = ex is ProtonException p ? $"{p.ErrorCode}: {p.Message}" : ex.Message;
        }

        // Without a plan, what the rendered templates alone say: resources gone, or with another type.
        var changes = plan?.Changes ?? TemplateChanges(current.TemplateBody, next.TemplateBody);
        var replacements = changes.Where(c => c.Action == ResourceChangeAction.Replace || (c.Action == ResourceChangeAction.Modify && c.MayReplace)).ToList();
        var deletions = changes.Where(c => c.Action == ResourceChangeAction.Remove).ToList();
        var stateful = changes.Where(c => c.Action is ResourceChangeAction.Replace or ResourceChangeAction.Remove && StatefulResourceTypes.Contains(c.ResourceType)).ToList();

        IReadOnlyList<string>? added = null, removed = null;
        if (source is not null && current.TemplateBody.Length > 0 && next.TemplateBody.Length > 0)
        {
            var builder = new PolicyBuilder(source);
            var policyDiff = PolicyBuilder.Compare(
                await builder.BuildAsync([current.TemplateBody], StackOperations.All, cancellationToken).ConfigureAwait(false),
                await builder.BuildAsync([next.TemplateBody], StackOperations.All, cancellationToken).ConfigureAwait(false));
            (added, removed) = (policyDiff.Added, policyDiff.Removed);
        }

        return new UpgradeImpact
        {
            TemplateDiff = diff,
            Plan = plan,
            PlanUnavailable = unavailable,
            Replacements = replacements,
            Deletions = deletions,
            StatefulChanges = stateful,
            AddedActions = added,
            RemovedActions = removed,
        };
    }

    private async Task<DeployRequest> RequestAsync(UpgradeStep step, TemplateVersionRecord version, CancellationToken cancellationToken)
    {
        switch (step.TargetType)
        {
            case DeploymentTargetType.Environment:
                var env = await records.GetEnvironmentAsync(step.Target, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("environment", step.Target);
                return await environments.RequestForAsync(env, version, cancellationToken).ConfigureAwait(false);
            case DeploymentTargetType.ServiceInstance:
                var slash = step.Target.IndexOf('/', StringComparison.Ordinal);
                var instance = await records.GetInstanceAsync(step.Target[..slash], step.Target[(slash + 1)..], cancellationToken).ConfigureAwait(false)
                    ?? throw PlatformRecords.NotFound("service instance", step.Target);
                return await services.InstanceRequestForAsync(instance, version, cancellationToken).ConfigureAwait(false);
            default:
                var service = await records.GetServiceAsync(step.Target, cancellationToken).ConfigureAwait(false) ?? throw PlatformRecords.NotFound("service", step.Target);
                return await services.PipelineRequestForAsync(service, version, cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<ResourceChange> TemplateChanges(string current, string next)
    {
        if (current.Length == 0 || next.Length == 0)
        {
            return [];
        }

        var before = CloudFormationTemplate.Parse(current, "current template").Resources.ToDictionary(r => r.LogicalId, r => r.Type, StringComparer.Ordinal);
        var after = CloudFormationTemplate.Parse(next, "target template").Resources.ToDictionary(r => r.LogicalId, r => r.Type, StringComparer.Ordinal);
        var changes = new List<ResourceChange>();
        foreach (var (id, type) in after)
        {
            if (!before.TryGetValue(id, out var old))
            {
                changes.Add(new ResourceChange(ResourceChangeAction.Add, id, type));
            }
            else if (old != type)
            {
                changes.Add(new ResourceChange(ResourceChangeAction.Replace, id, type));
            }
        }

        changes.AddRange(before.Where(kv => !after.ContainsKey(kv.Key)).Select(kv => new ResourceChange(ResourceChangeAction.Remove, kv.Key, kv.Value)));
        return changes;
    }
}
