using System.CommandLine;
using System.Globalization;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;

namespace Proton.Sdk.Cli.Commands;

/// <summary><c>proton summary</c> and <c>proton upgrade</c>: the fleet on each template version.</summary>
internal static class FleetCommand
{
    public static Command Summary(CliOptions o, ActionBinder bind)
    {
        var command = new Command("summary", "Count the resources on each template: up to date, behind a minor or a major, failed");
        o.AddStore(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var rows = await s.OpenPlatform().GetSummaryAsync(s.CancellationToken).ConfigureAwait(false);
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(rows).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await s.Console.WriteTableAsync(["TEMPLATE", "RESOURCES", "RECOMMENDED", "UP-TO-DATE", "BEHIND-MINOR", "BEHIND-MAJOR", "FAILED", "TOTAL"], rows.Select(r => new[]
            {
                r.TemplateName, r.ResourceType.ToString(), r.RecommendedVersion ?? "-", Num(r.UpToDate), Num(r.BehindMinor), Num(r.BehindMajor), Num(r.Failed), Num(r.Total),
            })).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Upgrade(CliOptions o, ActionBinder bind)
    {
        var command = new Command("upgrade", "Plan and run the upgrade of every resource on a template to a version");
        var template = CliOptions.Name("template", "The template");
        var version = CliOptions.VersionOption("--version", "The version to move to [default: the recommended one]");
        var concurrency = CliOptions.Count("--max-concurrency", "Deployments at once", 1, 1);
        var tolerance = CliOptions.Count("--failure-tolerance", "Failures allowed before the upgrade stops", 0, 0);
        var planOnly = new Option<bool>("--plan-only") { Description = "Print the plan with each step's impact (diff, replacements, deletions, IAM actions added) and stop" };
        var allowStateful = new Option<bool>("--allow-stateful-replacement") { Description = "Run even when a step replaces or deletes a database, bucket, table or file system" };
        command.Arguments.Add(template);
        foreach (var option in new Option[] { version, concurrency, tolerance, planOnly, allowStateful })
        {
            command.Options.Add(option);
        }

        o.AddPlatform(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var platform = s.OpenPlatform();
            var plan = await platform.PlanUpgradeAsync(s.Value(template), s.Value(version), s.CancellationToken).ConfigureAwait(false);
            var allow = s.Value(allowStateful);
            if (s.Value(planOnly) || !allow)
            {
                plan = await platform.AnalyzeUpgradeAsync(plan, s.CancellationToken).ConfigureAwait(false);
            }

            if (!s.Json)
            {
                await s.Console.LineAsync($"plan: {plan.Steps.Count} resource(s) of {plan.TemplateName} to {plan.ToVersion}").ConfigureAwait(false);
                await s.Console.WriteTableAsync(["TARGET", "KIND", "FROM", "TO", "TYPE", "IMPACT", "BLOCKED"], plan.Steps.Select(st => new[]
                {
                    st.Target, st.TargetType.ToString(), st.FromVersion, st.ToVersion, DeploymentOutput.UpdateTypeText(st.UpdateType), ImpactText(st.Impact), st.BlockedReason ?? string.Empty,
                })).ConfigureAwait(false);
                if (plan.HasStatefulChanges && !allow)
                {
                    await s.Console.LineAsync("stateful resources would be replaced or deleted: the upgrade needs --allow-stateful-replacement").ConfigureAwait(false);
                }
            }

            if (s.Value(planOnly))
            {
                if (s.Json)
                {
                    await s.Console.WriteJsonAsync(plan).ConfigureAwait(false);
                }

                return ExitCodes.Ok;
            }

            var options = new UpgradeOptions { MaxConcurrency = s.Value(concurrency), FailureTolerance = s.Value(tolerance), AllowStatefulReplacement = allow };
            var result = await s.Console.WithProgressAsync(s.Json, plan.Steps.Count, p => platform.UpgradeAsync(plan, options, p, s.CancellationToken)).ConfigureAwait(false);
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(result).ConfigureAwait(false);
            }
            else
            {
                await s.Console.WriteTableAsync(["TARGET", "OUTCOME", "DEPLOYMENT", "MESSAGE"], result.Steps.Select(st => new[] { st.Step.Target, st.Outcome, st.Deployment?.Id ?? "-", st.Message ?? string.Empty })).ConfigureAwait(false);
                if (result.Stopped)
                {
                    await s.Console.LineAsync($"stopped: more than {options.FailureTolerance} failure(s)").ConfigureAwait(false);
                }
            }

            if (s.CancellationToken.IsCancellationRequested && result.Steps.Any(st => st.Outcome != "succeeded"))
            {
                await s.Console.ErrorAsync("proton: cancelled; deployments that were running are recorded Cancelled").ConfigureAwait(false);
                return ExitCodes.Cancelled;
            }

            return result.Steps.All(st => st.Outcome == "succeeded") ? ExitCodes.Ok : ExitCodes.Invalid;
        });
        return command;
    }

    /// <summary>One cell per step: what the provisioner would replace or delete, stateful ones marked, or why it could not tell.</summary>
    internal static string ImpactText(UpgradeImpact? impact)
    {
        if (impact is null)
        {
            return "-";
        }

        if (impact.Error is not null)
        {
            return "unknown: " + impact.Error;
        }

        var stateful = impact.StatefulChanges.Select(c => c.Resource).ToHashSet(StringComparer.Ordinal);
        string Mark(ResourceChange c) => stateful.Contains(c.Resource) ? c.Resource + " (stateful)" : c.Resource;
        var parts = new List<string>();
        if (impact.Replacements.Count > 0)
        {
            parts.Add("replaces " + string.Join(", ", impact.Replacements.Select(Mark)));
        }

        if (impact.Deletions.Count > 0)
        {
            parts.Add("deletes " + string.Join(", ", impact.Deletions.Select(Mark)));
        }

        if (impact.AddedActions is { Count: > 0 } added)
        {
            parts.Add($"+{added.Count} IAM action(s)");
        }

        return parts.Count == 0 ? (impact.TemplateDiff.Length == 0 ? "none" : "in place") : string.Join("; ", parts);
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
