using System.CommandLine;
using Proton.Sdk.Migration;

namespace Proton.Sdk.Cli.Commands;

/// <summary><c>proton migrate ...</c>: take over an AWS Proton estate in place (discover, prove and adopt its stacks).</summary>
internal static class MigrateCommand
{
    public static Command Build(CliOptions o, ActionBinder bind)
    {
        var migrate = new Command("migrate", "Take over the stacks AWS Proton made, in place: discover, prove by rendering, adopt");
        migrate.Subcommands.Add(Discover(o, bind));
        migrate.Subcommands.Add(Adopt(o, bind));
        return migrate;
    }

    private static Command Discover(CliOptions o, ActionBinder bind)
    {
        var command = new Command("discover", "List the account's stacks that carry Proton's tags, grouped into environments, services (instances, pipeline) and components; reads only");
        command.Options.Add(o.EndpointUrl);
        command.Options.Add(o.Region);
        command.Options.Add(o.Profile);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            using var inventory = new Aws.CloudFormation.CloudFormationStackInventory(s.Aws.Connection());
            var estate = await ProtonEstate.DiscoverAsync(inventory, s.CancellationToken).ConfigureAwait(false);
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(new
                {
                    resources = estate.Resources.Select(Json).ToList(),
                    unclassified = estate.Unclassified.Select(u => new { stack = u.Stack.StackName, status = u.Stack.Status, reason = u.Reason, tags = u.Stack.Tags }).ToList(),
                }).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await s.Console.WriteTableAsync(["RESOURCE", "TEMPLATE", "STACK", "STATUS", "LAST UPDATE"], estate.Resources.Select(r => new[]
            {
                r.Display, r.TemplateName ?? "-", r.Stack.StackName, r.Stack.Status, (r.Stack.LastUpdatedAt ?? r.Stack.CreatedAt)?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            })).ConfigureAwait(false);
            foreach (var u in estate.Unclassified)
            {
                await s.Console.LineAsync($"unclassified {u.Stack.StackName}: {u.Reason}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Adopt(CliOptions o, ActionBinder bind)
    {
        var command = new Command("adopt", "Register the bundles, prove each discovered resource by rendering it with its spec, and record it on its existing stack; changes nothing in AWS");
        var templates = CliOptions.PathOption("--templates", "Template bundles in Proton's template-sync layout (<template>/v<major>/...) [default: the registry's versions only]", "dir");
        var specs = CliOptions.PathOption("--specs", "Spec files: environments/<env>.yaml and services/<service>.yaml", "dir", required: true);
        var dryRun = new Option<bool>("--dry-run") { Description = "Prove only: register and record nothing" };
        var acceptDrift = new Option<bool>("--accept-drift") { Description = "Adopt resources whose deployed template differs, with the closest version (their first update is a change: run plan first)" };
        var drafts = new Option<bool>("--write-drafts") { Description = "Write a spec draft (<spec>.draft.yaml) for each resource without a spec file" };
        command.Options.Add(templates);
        command.Options.Add(specs);
        command.Options.Add(dryRun);
        command.Options.Add(acceptDrift);
        command.Options.Add(drafts);
        o.AddPlatform(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            // Adopted resources are CloudFormation stacks: recorded against the local provisioner, their next update would
            // write local stacks instead of changing the real ones.
            if (!s.Value(dryRun) && s.Value(o.Provisioner) != "cloudformation")
            {
                throw new CliException("error cli.migrate-provisioner: adopt records the stacks Proton made for later updates; run it with --provisioner cloudformation (or --dry-run to prove only)");
            }

            Platform.ProtonPlatform platform;
            try
            {
                platform = s.OpenPlatform(create: !s.Value(dryRun));
            }
            catch (CliException ex) when (s.Value(dryRun) && ex.Message.Contains("cli.no-store", StringComparison.Ordinal))
            {
                // A dry run records nothing: without a store it proves against the templates folder alone.
                platform = new Platform.ProtonPlatform(new Storage.InMemoryProtonStore(), new Provisioning.LocalProvisioner(new Provisioning.LocalProvisionerOptions { RootDirectory = Path.Combine(Path.GetTempPath(), "proton-migrate-dry-run") }));
            }
            using var inventory = new Aws.CloudFormation.CloudFormationStackInventory(s.Aws.Connection());
            var report = await new ProtonMigration(platform, inventory).AdoptAsync(new AdoptRequest
            {
                TemplatesDirectory = s.Value(templates),
                SpecsDirectory = s.Value(specs)!,
                DryRun = s.Value(dryRun),
                AcceptDrift = s.Value(acceptDrift),
            }, s.CancellationToken).ConfigureAwait(false);

            var written = new List<string>();
            if (s.Value(drafts))
            {
                foreach (var path in report.Results.Where(r => r.SpecDraft is not null && r.SpecPath is not null).GroupBy(r => r.SpecPath!))
                {
                    var draftPath = Path.ChangeExtension(path.Key, ".draft.yaml");
                    Directory.CreateDirectory(Path.GetDirectoryName(draftPath)!);
                    await File.WriteAllTextAsync(draftPath, path.First().SpecDraft, s.CancellationToken).ConfigureAwait(false);
                    written.Add(draftPath);
                }
            }

            if (s.Json)
            {
                await s.Console.WriteJsonAsync(new
                {
                    dryRun = report.DryRun,
                    allAdopted = report.AllAdopted,
                    templateVersions = report.TemplateVersions,
                    templateProblems = report.TemplateProblems,
                    results = report.Results.Select(r => new
                    {
                        resource = r.Resource.Display,
                        stack = r.Resource.Stack.StackName,
                        template = r.Resource.TemplateName,
                        outcome = r.Outcome.ToString(),
                        version = r.TemplateVersion,
                        exactMatch = r.ExactMatch,
                        differences = r.Differences.Select(d => d.ToString()).ToList(),
                        reason = r.Reason,
                        specPath = r.SpecPath,
                        deploymentId = r.DeploymentId,
                    }).ToList(),
                    unclassified = report.Unclassified.Select(u => new { stack = u.Stack.StackName, reason = u.Reason }).ToList(),
                    draftsWritten = written,
                }).ConfigureAwait(false);
            }
            else
            {
                foreach (var v in report.TemplateVersions)
                {
                    await s.Console.LineAsync($"template {v}{(report.DryRun ? " (read, not registered: dry run)" : " registered")}").ConfigureAwait(false);
                }

                foreach (var p in report.TemplateProblems)
                {
                    await s.Console.ErrorAsync($"proton: template bundle not usable: {p}").ConfigureAwait(false);
                }

                await s.Console.WriteTableAsync(["RESOURCE", "STACK", "OUTCOME", "VERSION"], report.Results.Select(r => new[] { r.Resource.Display, r.Resource.Stack.StackName, r.Outcome.ToString(), r.TemplateVersion ?? "-" })).ConfigureAwait(false);
                foreach (var r in report.Results.Where(r => r.Reason is not null || r.DifferenceText is not null))
                {
                    await s.Console.LineAsync($"{r.Resource.Display}: {r.Reason}").ConfigureAwait(false);
                    if (r.DifferenceText is { } diff)
                    {
                        await s.Console.LineAsync(diff.TrimEnd()).ConfigureAwait(false);
                    }
                }

                foreach (var u in report.Unclassified)
                {
                    await s.Console.LineAsync($"unclassified {u.Stack.StackName}: {u.Reason}").ConfigureAwait(false);
                }

                foreach (var w in written)
                {
                    await s.Console.LineAsync($"spec draft written: {w}").ConfigureAwait(false);
                }

                if (report.DryRun)
                {
                    await s.Console.LineAsync("dry run: nothing registered or recorded").ConfigureAwait(false);
                }
            }

            return report.AllAdopted ? ExitCodes.Ok : ExitCodes.Invalid;
        });
        return command;
    }

    private static object Json(DiscoveredResource r) => new
    {
        resource = r.Display,
        kind = r.Kind.ToString(),
        name = r.Name,
        service = r.ServiceName,
        environment = r.EnvironmentName,
        template = r.TemplateName,
        account = r.AccountId,
        region = r.Region,
        stack = r.Stack.StackName,
        status = r.Stack.Status,
        roleArn = r.Stack.RoleArn,
        lastUpdated = r.Stack.LastUpdatedAt ?? r.Stack.CreatedAt,
        outputs = r.Stack.Outputs,
        parameters = r.Stack.Parameters,
    };
}
