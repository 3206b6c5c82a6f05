using System.Globalization;
using Proton.Sdk.Platform;

namespace Proton.Sdk.Cli.Commands;

/// <summary>How deployments and resources are printed, and which exit code a finished deployment gives.</summary>
internal static class DeploymentOutput
{
    /// <summary>Prints the deployments (a table, or JSON: <paramref name="json"/> or the list) and returns 0, 1, or 130 when cancelled.</summary>
    public static async Task<int> ReportAsync(CliSession s, IReadOnlyList<DeploymentRecord> deployments, object? json = null)
    {
        if (s.Json)
        {
            await s.Console.WriteJsonAsync(json ?? deployments).ConfigureAwait(false);
        }
        else
        {
            await s.Console.WriteTableAsync(["DEPLOYMENT", "TARGET", "STATUS", "VERSION", "MESSAGE"], deployments.Select(d => new[]
            {
                d.Id, d.Target, d.Status.ToString(), d.TargetState is null ? "-" : $"{d.TargetState.TemplateName} {d.TargetState.TemplateVersion}", d.StatusMessage ?? string.Empty,
            })).ConfigureAwait(false);
            foreach (var d in deployments.Where(d => d.DependentsToRedeploy.Count > 0))
            {
                await s.Console.LineAsync($"environment outputs changed: redeploy {string.Join(", ", d.DependentsToRedeploy)}").ConfigureAwait(false);
            }

            foreach (var d in deployments.Where(d => d.Status == DeploymentStatus.AwaitingExternalApply))
            {
                await s.Console.LineAsync($"{d.Target} waits for an external {(d.IsDelete ? "destroy" : "apply")}: report it with `proton deployments notify {d.Id} --status succeeded|failed{(d.IsDelete ? string.Empty : " [--outputs file]")}`").ConfigureAwait(false);
            }
        }

        // Handed to an external apply is what the command had to do: the outcome comes with `proton deployments notify`.
        if (deployments.All(d => d.Status is DeploymentStatus.Succeeded or DeploymentStatus.DeleteComplete or DeploymentStatus.AwaitingExternalApply))
        {
            return ExitCodes.Ok;
        }

        if (s.CancellationToken.IsCancellationRequested && deployments.Any(d => d.Status is DeploymentStatus.Cancelled or DeploymentStatus.Cancelling))
        {
            await s.Console.ErrorAsync("proton: cancelled; the deployment is recorded Cancelled and the resource keeps its previous version").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }

        return ExitCodes.Invalid;
    }

    /// <summary>One line on a service's state after service work: its status and why (failed, or what it waits for).</summary>
    public static string ServiceLine(ServiceRecord service)
        => $"service {service.Name}: {service.Status}{(service.StatusMessage is null ? string.Empty : " - " + service.StatusMessage)}";

    /// <summary>What a deployment did: create, update:none|current|minor|major, delete or rollback.</summary>
    public static string Kind(DeploymentRecord d)
        => d.IsDelete ? "delete"
            : d.RollbackOf is not null ? "rollback"
            : d.UpdateType is { } t ? "update:" + UpdateTypeText(t)
            : "create";

    public static string UpdateTypeText(DeploymentUpdateType type) => type switch
    {
        DeploymentUpdateType.None => "none",
        DeploymentUpdateType.CurrentVersion => "current",
        DeploymentUpdateType.MinorVersion => "minor",
        DeploymentUpdateType.MajorVersion => "major",
        _ => type.ToString().ToLowerInvariant(),
    };

    public static string Time(DateTimeOffset? t) => t?.ToString("u", CultureInfo.InvariantCulture) ?? "-";

    public static string Map(IReadOnlyDictionary<string, string>? map)
        => map is null || map.Count == 0 ? "-" : string.Join(", ", map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));

    public static string Map(IReadOnlyDictionary<string, object?>? map)
        => map is null || map.Count == 0 ? "-" : string.Join(", ", map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={Value(kv.Value)}"));

    private static string Value(object? value) => value switch
    {
        null => "null",
        string text => text,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable<object?> list => "[" + string.Join(", ", list.Select(Value)) + "]",
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>The fields of a deployable resource for <c>show</c>.</summary>
    public static IEnumerable<(string, string?)> Fields(DeployableRecord r) =>
    [
        ("template", $"{r.TemplateName} {r.TemplateVersion}"),
        ("status", r.DeploymentStatus.ToString()),
        ("message", r.DeploymentStatusMessage),
        ("description", r.Description),
        ("stack", r.StackName),
        ("inputs", Map(r.Inputs)),
        ("outputs", Map(r.Outputs)),
        ("last attempted", r.LastAttemptedDeploymentId is null ? null : $"{r.LastAttemptedDeploymentId} at {Time(r.LastDeploymentAttemptedAt)}"),
        ("last succeeded", r.LastSucceededDeploymentId is null ? null : $"{r.LastSucceededDeploymentId} at {Time(r.LastDeploymentSucceededAt)}"),
        ("created", Time(r.CreatedAt)),
    ];
}
