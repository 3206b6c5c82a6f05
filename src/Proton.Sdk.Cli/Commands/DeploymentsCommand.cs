using System.CommandLine;
using System.Text.Json;
using Proton.Sdk.Platform;

namespace Proton.Sdk.Cli.Commands;

/// <summary><c>proton deployments ...</c> and <c>proton rollback</c>.</summary>
internal static class DeploymentsCommand
{
    public static Command Build(CliOptions o, ActionBinder bind)
    {
        var deployments = new Command("deployments", "List, show, cancel and notify deployments");

        var list = new Command("list", "List deployments, oldest first");
        var env = CliOptions.NameOption("--env", "Only this environment's deployments and those of instances in it", required: false);
        var service = CliOptions.NameOption("--service", "Only this service's instances and pipeline", required: false);
        var instance = CliOptions.NameOption("--instance", "With --service: only this instance", required: false);
        list.Options.Add(env);
        list.Options.Add(service);
        list.Options.Add(instance);
        o.AddStore(list);
        list.Options.Add(o.Output);
        bind(list, async s =>
        {
            var all = await s.OpenPlatform().ListDeploymentsAsync(s.Value(env), s.Value(service), s.Value(instance), s.CancellationToken).ConfigureAwait(false);
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(all).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await s.Console.WriteTableAsync(["CREATED", "DEPLOYMENT", "TARGET", "KIND", "STATUS", "FROM", "TO"], all.Select(d => new[]
            {
                DeploymentOutput.Time(d.CreatedAt), d.Id, d.Target, DeploymentOutput.Kind(d), d.Status.ToString(), d.InitialState?.TemplateVersion ?? "-", d.TargetState?.TemplateVersion ?? "-",
            })).ConfigureAwait(false);
            return ExitCodes.Ok;
        });

        var show = new Command("show", "Show a deployment");
        var showId = CliOptions.DeploymentId();
        show.Arguments.Add(showId);
        o.AddStore(show);
        show.Options.Add(o.Output);
        bind(show, async s =>
        {
            var d = await s.OpenPlatform().GetDeploymentAsync(s.Value(showId), s.CancellationToken).ConfigureAwait(false)
                ?? throw new PlatformException(PlatformErrorCodes.NotFound, $"No deployment {s.Value(showId)}.");
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(d).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await s.Console.WriteFieldsAsync(
            [
                ("deployment", d.Id), ("target", $"{d.Target} ({d.TargetType})"), ("kind", DeploymentOutput.Kind(d)), ("status", d.Status.ToString()), ("message", d.StatusMessage),
                ("from", d.InitialState is null ? null : $"{d.InitialState.TemplateName} {d.InitialState.TemplateVersion}"),
                ("to", d.TargetState is null ? null : $"{d.TargetState.TemplateName} {d.TargetState.TemplateVersion}"),
                ("inputs", d.TargetState is null ? null : DeploymentOutput.Map(d.TargetState.Inputs)),
                ("outputs", DeploymentOutput.Map(d.Outputs)), ("stack", d.StackName), ("provisioner", d.Provisioner), ("rollback of", d.RollbackOf),
                ("created", DeploymentOutput.Time(d.CreatedAt)), ("completed", d.CompletedAt is null ? null : DeploymentOutput.Time(d.CompletedAt)),
                ("failures", d.Failures.Count == 0 ? null : string.Join("; ", d.Failures.Select(f => f.ToString()))),
                ("redeploy", d.DependentsToRedeploy.Count == 0 ? null : string.Join(", ", d.DependentsToRedeploy)),
            ]).ConfigureAwait(false);
            return ExitCodes.Ok;
        });

        var cancel = new Command("cancel", "Cancel a deployment in progress");
        var cancelId = CliOptions.DeploymentId();
        cancel.Arguments.Add(cancelId);
        o.AddPlatform(cancel); // cancelling a new instance that a service update waits on de-provisions the new instances
        cancel.Options.Add(o.Output);
        bind(cancel, s => CancelAsync(s, s.Value(cancelId)));

        var notify = new Command("notify", "Report the outcome of a deployment that waits for an external apply (Proton's NotifyResourceDeploymentStatusChange)");
        var notifyId = CliOptions.DeploymentId();
        var status = new Option<string>("--status")
        {
            Description = "The external apply's status: succeeded, failed, or in_progress (the deployment keeps waiting, with --reason as its message)",
            Required = true,
        };
        status.AcceptOnlyFromAmong("succeeded", "failed", "in_progress");
        var outputsFile = new Option<string>("--outputs")
        {
            Description = "The resource's outputs: a JSON object of strings, Proton's [{\"key\",\"valueString\"}] list, or `terraform output -json`",
            HelpName = "file",
        };
        var reason = new Option<string>("--reason")
        {
            Description = "A one-line message (why it failed, or how far it got)",
        };
        notify.Arguments.Add(notifyId);
        notify.Options.Add(status);
        notify.Options.Add(outputsFile);
        notify.Options.Add(reason);
        o.AddPlatform(notify); // the notification can deploy: the pipeline, the rest of a service update
        notify.Options.Add(o.Output);
        bind(notify, async s =>
        {
            IReadOnlyDictionary<string, string>? outputs = null;
            if (s.Value(outputsFile) is { } path)
            {
                outputs = ParseOutputs(path, await InputFiles.ReadTextAsync(path, s.CancellationToken).ConfigureAwait(false));
            }

            var platform = s.OpenPlatform();
            var reported = s.Value(status) switch
            {
                "succeeded" => ExternalApplyStatus.Succeeded,
                "in_progress" => ExternalApplyStatus.InProgress,
                _ => ExternalApplyStatus.Failed,
            };
            var d = await platform.NotifyDeploymentStatusAsync(s.Value(notifyId), reported, outputs, s.Value(reason), s.CancellationToken).ConfigureAwait(false);
            if (d.IsFinished && d.ServiceName is { } service)
            {
                // What the notification set going: the pipeline a create waited for, or the rest of an update (deletes, the pipeline redeploy, or the de-provisioning of the new instances).
                var followUps = (await platform.ListDeploymentsAsync(serviceName: service, cancellationToken: s.CancellationToken).ConfigureAwait(false))
                    .Where(f => f.Id != d.Id && f.CreatedAt >= d.CompletedAt).OrderBy(f => f.CreatedAt).ToList();
                await DeploymentOutput.ReportAsync(s, [d, .. followUps]).ConfigureAwait(false);
                if (!s.Json && await platform.GetServiceAsync(service, s.CancellationToken).ConfigureAwait(false) is { } svc && (followUps.Count > 0 || svc.PendingUpdate is not null))
                {
                    await s.Console.LineAsync(DeploymentOutput.ServiceLine(svc)).ConfigureAwait(false);
                }

                return ExitCodes.Ok;
            }

            await DeploymentOutput.ReportAsync(s, [d]).ConfigureAwait(false);
            return ExitCodes.Ok; // The notification was recorded; a reported failure is not this command's failure.
        });

        deployments.Subcommands.Add(list);
        deployments.Subcommands.Add(show);
        deployments.Subcommands.Add(cancel);
        deployments.Subcommands.Add(notify);
        return deployments;
    }

    /// <summary>Reads outputs as a flat JSON object of strings, Proton's <c>[{"key", "valueString"}]</c> list, or <c>terraform output -json</c> (<c>{"name": {"value": ...}}</c>).</summary>
    internal static Dictionary<string, string> ParseOutputs(string path, string text)
    {
        var error = new CliException($"{path}: error cli.outputs: expected a JSON object of strings, a list of {{\"key\", \"valueString\"}} or `terraform output -json`");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            throw error;
        }

        using (doc)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (doc.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in doc.RootElement.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String)
                    {
                        throw error;
                    }

                    result[key.GetString()!] = item.TryGetProperty("valueString", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;
                }

                return result;
            }

            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw error;
            }

            foreach (var p in doc.RootElement.EnumerateObject())
            {
                var value = p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("value", out var tf) ? tf : p.Value;
                result[p.Name] = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString()!,
                    JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                    _ => throw error,
                };
            }

            return result;
        }
    }

    private static async Task<int> CancelAsync(CliSession s, string id)
    {
        var platform = s.OpenPlatform();
        try
        {
            var d = await platform.CancelDeploymentAsync(id, s.CancellationToken).ConfigureAwait(false);
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(d).ConfigureAwait(false);
            }
            else
            {
                await s.Console.LineAsync(d.Status == DeploymentStatus.Cancelling
                    ? $"deployment {d.Id} of {d.Target}: Cancelling (the process that runs it stops it at its next lease renewal)"
                    : $"deployment {d.Id} of {d.Target}: {d.Status}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }
        catch (PlatformException ex) when (ex.ErrorCode == PlatformErrorCodes.NotCancellable)
        {
            await s.Console.ErrorAsync($"{ex.ErrorCode}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Invalid;
        }
    }

    public static Command Rollback(CliOptions o, ActionBinder bind)
    {
        var command = new Command("rollback", "Deploy the state an earlier deployment started from again");
        var id = CliOptions.DeploymentId();
        var secrets = new Option<string[]>("--secret")
        {
            Description = "A secret input of that state as name=value (secrets are never stored, so a state with secrets needs them again); repeat for each",
            HelpName = "name=value",
            AllowMultipleArgumentsPerToken = false,
        };
        command.Arguments.Add(id);
        command.Options.Add(secrets);
        o.AddPlatform(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var given = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var pair in s.Value(secrets) ?? [])
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new UsageException("--secret takes name=value");
                }

                given[pair[..eq]] = pair[(eq + 1)..];
            }

            var platform = s.OpenPlatform();
            var d = await s.Console.WithProgressAsync(s.Json, null, p => platform.RollbackAsync(s.Value(id), given.Count == 0 ? null : given, p, s.CancellationToken)).ConfigureAwait(false);
            return await DeploymentOutput.ReportAsync(s, [d]).ConfigureAwait(false);
        });
        return command;
    }

    public static Command Reconcile(CliOptions o, ActionBinder bind)
    {
        var command = new Command("reconcile", "Complete deployments left in progress by a process that stopped, from the stacks' real state");
        o.AddPlatform(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var done = await s.OpenPlatform().ReconcileAsync(s.CancellationToken).ConfigureAwait(false);
            if (!s.Json && done.Count == 0)
            {
                await s.Console.LineAsync("nothing to reconcile").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await DeploymentOutput.ReportAsync(s, done).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
