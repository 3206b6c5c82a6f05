using System.Globalization;
using System.Text.Json;
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Cli;

/// <summary>The lifecycle commands: environments, services, deployments, rollback, reconcile, summary, upgrade.</summary>
internal static partial class ProtonCli
{
    private static ProtonPlatform OpenPlatform(CliArgs a, string? storePath = null)
    {
        storePath ??= a.Option("store") ?? ".proton";
        var kind = a.Option("provisioner") ?? "local";
        var stacks = a.Option("stacks") ?? Path.Combine(storePath, "stacks");
        var accountId = a.Option("account-id");
        var endpoint = a.Option("endpoint-url");
        var region = a.Option("region");
        var profile = a.Option("profile");
        IProvisioner provisioner = kind switch
        {
            "local" when endpoint is null && profile is null => new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = stacks, Region = region ?? "us-east-1", AccountId = accountId ?? "123456789012" }),
            "local" => throw new UsageException("--endpoint-url and --profile go with --provisioner cloudformation"),
            "cloudformation" => AwsCli.CreateProvisioner(endpoint, region, profile),
            _ => throw new UsageException($"--provisioner takes 'local' or 'cloudformation', not '{kind}'"),
        };
        return new ProtonPlatform(new FileSystemProtonStore(storePath), provisioner, new ProtonPlatformOptions { DefaultAccountId = accountId ?? (kind == "local" ? "123456789012" : null) });
    }

    private static async Task<IReadOnlyDictionary<string, object?>?> EnvironmentInputsAsync(string? specPath, CancellationToken cancellationToken)
    {
        if (specPath is null)
        {
            return null;
        }

        var spec = (await SpecParser.ParseFileAsync(specPath, cancellationToken: cancellationToken).ConfigureAwait(false)).GetSpecOrThrow();
        return spec is EnvironmentSpec e ? e.Spec : throw new UsageException($"{specPath} is a service spec; an environment spec ('proton: EnvironmentSpec') is needed");
    }

    private static async Task<ServiceSpec> ServiceSpecAsync(string specPath, CancellationToken cancellationToken)
    {
        var spec = (await SpecParser.ParseFileAsync(specPath, cancellationToken: cancellationToken).ConfigureAwait(false)).GetSpecOrThrow();
        return spec as ServiceSpec ?? throw new UsageException($"{specPath} is an environment spec; a service spec ('proton: ServiceSpec') is needed");
    }

    private static DeploymentUpdateType UpdateType(CliArgs a)
    {
        var text = a.Option("type") ?? throw new UsageException("update needs --type none|current|minor|major");
        return text switch
        {
            "none" => DeploymentUpdateType.None,
            "current" => DeploymentUpdateType.CurrentVersion,
            "minor" => DeploymentUpdateType.MinorVersion,
            "major" => DeploymentUpdateType.MajorVersion,
            _ => throw new UsageException($"--type takes none, current, minor or major, not '{text}'"),
        };
    }

    private static IProgress<DeploymentProgress>? LiveProgress(string format, TextWriter stderr)
        => format == "json" ? null : new LineProgress(stderr);

    private sealed class LineProgress(TextWriter writer) : IProgress<DeploymentProgress>
    {
        public void Report(DeploymentProgress value)
        {
            lock (writer)
            {
                writer.WriteLine($"  {value.Target}: {value.Message}");
            }
        }
    }

    private static async Task WriteJsonAsync(TextWriter stdout, object? value)
        => await stdout.WriteLineAsync(JsonSerializer.Serialize(value, CliJson)).ConfigureAwait(false);

    private static async Task<int> ReportAsync(string format, TextWriter stdout, IReadOnlyList<DeploymentRecord> deployments, object? json = null)
    {
        if (format == "json")
        {
            await WriteJsonAsync(stdout, json ?? deployments).ConfigureAwait(false);
        }
        else
        {
            await WriteTableAsync(stdout, ["DEPLOYMENT", "TARGET", "STATUS", "VERSION", "MESSAGE"], deployments.Select(d => new[]
            {
                d.Id, d.Target, d.Status.ToString(), d.TargetState is null ? "-" : $"{d.TargetState.TemplateName} {d.TargetState.TemplateVersion}", d.StatusMessage ?? string.Empty,
            })).ConfigureAwait(false);
            foreach (var d in deployments.Where(d => d.DependentsToRedeploy.Count > 0))
            {
                await stdout.WriteLineAsync($"environment outputs changed: redeploy {string.Join(", ", d.DependentsToRedeploy)}").ConfigureAwait(false);
            }
        }

        return deployments.All(d => d.Status is DeploymentStatus.Succeeded or DeploymentStatus.DeleteComplete) ? Ok : Invalid;
    }

    private static async Task WriteTableAsync(TextWriter stdout, string[] headers, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        await stdout.WriteLineAsync(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd()).ConfigureAwait(false);
        foreach (var r in all)
        {
            await stdout.WriteLineAsync(string.Join("  ", r.Select((c, i) => c.PadRight(widths[i]))).TrimEnd()).ConfigureAwait(false);
        }
    }

    private static async Task<int> EnvironmentAsync(string verb, CliArgs a, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var format = OutputFormat(a);
        var platform = OpenPlatform(a);
        switch (verb)
        {
            case "create":
            {
                var template = a.Option("template") ?? throw new UsageException("env create needs --template");
                var version = a.Option("version");
                var spec = a.Option("spec");
                var account = a.Option("account-id");
                a.Done(1);
                var d = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest
                {
                    Name = a.Positionals[0],
                    TemplateName = template,
                    TemplateVersion = version,
                    Inputs = await EnvironmentInputsAsync(spec, cancellationToken).ConfigureAwait(false) ?? new Dictionary<string, object?>(),
                    AccountId = account,
                }, LiveProgress(format, stderr), cancellationToken).ConfigureAwait(false);
                return await ReportAsync(format, stdout, [d]).ConfigureAwait(false);
            }

            case "update":
            {
                var type = UpdateType(a);
                var version = a.Option("version");
                var spec = a.Option("spec");
                var description = a.Option("description");
                a.Done(1);
                var d = await platform.UpdateEnvironmentAsync(a.Positionals[0], new UpdateRequest { UpdateType = type, TemplateVersion = version, Inputs = await EnvironmentInputsAsync(spec, cancellationToken).ConfigureAwait(false), Description = description }, LiveProgress(format, stderr), cancellationToken).ConfigureAwait(false);
                if (d is null)
                {
                    await stdout.WriteLineAsync($"environment {a.Positionals[0]}: description updated, nothing deployed").ConfigureAwait(false);
                    return Ok;
                }

                return await ReportAsync(format, stdout, [d]).ConfigureAwait(false);
            }

            case "import":
            {
                var template = a.Option("template") ?? throw new UsageException("env import needs --template");
                var version = a.Option("version");
                var spec = a.Option("spec");
                var stack = a.Option("stack");
                var outputsPath = a.Option("outputs");
                var account = a.Option("account-id");
                a.Done(1);
                Dictionary<string, string>? outputs = null;
                if (outputsPath is not null)
                {
                    try
                    {
                        outputs = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(outputsPath, cancellationToken).ConfigureAwait(false))
                            ?? throw new JsonException("null");
                    }
                    catch (JsonException ex)
                    {
                        await stderr.WriteLineAsync($"{outputsPath}: error cli.outputs: expected a JSON object of string outputs ({ex.Message})").ConfigureAwait(false);
                        return Invalid;
                    }
                }

                var d = await platform.ImportEnvironmentAsync(new ImportEnvironmentRequest
                {
                    Name = a.Positionals[0],
                    TemplateName = template,
                    TemplateVersion = version,
                    Inputs = await EnvironmentInputsAsync(spec, cancellationToken).ConfigureAwait(false) ?? new Dictionary<string, object?>(),
                    StackName = stack,
                    Outputs = outputs,
                    AccountId = account,
                }, cancellationToken).ConfigureAwait(false);
                return await ReportAsync(format, stdout, [d]).ConfigureAwait(false);
            }

            case "delete":
                a.Done(1);
                return await ReportAsync(format, stdout, [await platform.DeleteEnvironmentAsync(a.Positionals[0], LiveProgress(format, stderr), cancellationToken).ConfigureAwait(false)]).ConfigureAwait(false);
            case "list":
            {
                a.Done(0);
                var envs = await platform.ListEnvironmentsAsync(cancellationToken).ConfigureAwait(false);
                if (format == "json")
                {
                    await WriteJsonAsync(stdout, envs).ConfigureAwait(false);
                }
                else
                {
                    await WriteTableAsync(stdout, ["ENVIRONMENT", "TEMPLATE", "VERSION", "STATUS", "PROVISIONING"], envs.Select(e => new[] { e.Name, e.TemplateName, e.TemplateVersion, e.DeploymentStatus.ToString(), e.Provisioning.ToString() })).ConfigureAwait(false);
                }

                return Ok;
            }

            case "show":
            {
                a.Done(1);
                var env = await platform.GetEnvironmentAsync(a.Positionals[0], cancellationToken).ConfigureAwait(false)
                    ?? throw new PlatformException(PlatformErrorCodes.NotFound, $"No environment {a.Positionals[0]}.");
                await WriteJsonAsync(stdout, env).ConfigureAwait(false);
                return Ok;
            }

            default:
                throw new UsageException($"unknown command 'env {verb}'");
        }
    }

    private static async Task<int> ServiceAsync(string verb, CliArgs a, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var format = OutputFormat(a);
        var platform = OpenPlatform(a);
        switch (verb)
        {
            case "create":
            {
                var template = a.Option("template") ?? throw new UsageException("service create needs --template");
                var version = a.Option("version");
                var spec = a.Option("spec") ?? throw new UsageException("service create needs --spec");
                var repository = a.Option("repository");
                var branch = a.Option("branch");
                var connection = a.Option("connection");
                a.Done(1);
                var r = await platform.CreateServiceAsync(new CreateServiceRequest
                {
                    Name = a.Positionals[0],
                    TemplateName = template,
                    TemplateVersion = version,
                    Spec = await ServiceSpecAsync(spec, cancellationToken).ConfigureAwait(false),
                    RepositoryId = repository,
                    BranchName = branch,
                    RepositoryConnectionArn = connection,
                }, LiveProgress(format, stderr), cancellationToken).ConfigureAwait(false);
                return await ReportAsync(format, stdout, r.Deployments, r).ConfigureAwait(false);
            }

            case "update":
            {
                var instance = a.Option("instance");
                var pipeline = a.Flag("pipeline");
                var specPath = a.Option("spec");
                if (instance is null && !pipeline)
                {
                    a.Done(1);
                    var spec = await ServiceSpecAsync(specPath ?? throw new UsageException("service update needs --spec, --instance or --pipeline"), cancellationToken).ConfigureAwait(false);
                    var r = await platform.UpdateServiceAsync(a.Positionals[0], spec, LiveProgress(format, stderr), cancellationToken).ConfigureAwait(false);
                    return await ReportAsync(format, stdout, r.Deployments, r).ConfigureAwait(false);
                }

                var type = UpdateType(a);
                var version = a.Option("version");
                a.Done(1);
                var given = specPath is null ? null : await ServiceSpecAsync(specPath, cancellationToken).ConfigureAwait(false);
                IReadOnlyDictionary<string, object?>? inputs = pipeline
                    ? given?.Pipeline
                    : given is null ? null : (given.Instances.FirstOrDefault(i => i.Name == instance) ?? throw new UsageException($"{specPath} has no instance {instance}")).Spec;
                var request = new UpdateRequest { UpdateType = type, TemplateVersion = version, Inputs = inputs };
                var d = pipeline
                    ? await platform.UpdateServicePipelineAsync(a.Positionals[0], request, LiveProgress(format, stderr), cancellationToken).ConfigureAwait(false)
                    : await platform.UpdateServiceInstanceAsync(a.Positionals[0], instance!, request, LiveProgress(format, stderr), cancellationToken).ConfigureAwait(false);
                return d is null ? Ok : await ReportAsync(format, stdout, [d]).ConfigureAwait(false);
            }

            case "delete":
            {
                a.Done(1);
                var r = await platform.DeleteServiceAsync(a.Positionals[0], LiveProgress(format, stderr), cancellationToken).ConfigureAwait(false);
                return await ReportAsync(format, stdout, r.Deployments, r).ConfigureAwait(false);
            }

            case "list":
            {
                a.Done(0);
                var services = await platform.ListServicesAsync(cancellationToken).ConfigureAwait(false);
                if (format == "json")
                {
                    await WriteJsonAsync(stdout, services).ConfigureAwait(false);
                    return Ok;
                }

                var rows = new List<string[]>();
                foreach (var s in services)
                {
                    foreach (var i in await platform.ListServiceInstancesAsync(s.Name, cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add([s.Name, s.Status.ToString(), i.Name, i.EnvironmentName, $"{i.TemplateName} {i.TemplateVersion}", i.DeploymentStatus.ToString()]);
                    }

                    if (s.Pipeline is { } p)
                    {
                        rows.Add([s.Name, s.Status.ToString(), "(pipeline)", "-", $"{p.TemplateName} {p.TemplateVersion}", p.DeploymentStatus.ToString()]);
                    }
                }

                await WriteTableAsync(stdout, ["SERVICE", "STATUS", "INSTANCE", "ENVIRONMENT", "VERSION", "DEPLOYMENT"], rows).ConfigureAwait(false);
                return Ok;
            }

            case "show":
            {
                a.Done(1);
                var s = await platform.GetServiceAsync(a.Positionals[0], cancellationToken).ConfigureAwait(false)
                    ?? throw new PlatformException(PlatformErrorCodes.NotFound, $"No service {a.Positionals[0]}.");
                await WriteJsonAsync(stdout, new { service = s, instances = await platform.ListServiceInstancesAsync(s.Name, cancellationToken).ConfigureAwait(false) }).ConfigureAwait(false);
                return Ok;
            }

            default:
                throw new UsageException($"unknown command 'service {verb}'");
        }
    }

    private static async Task<int> DeploymentsAsync(string verb, CliArgs a, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var format = OutputFormat(a);
        var platform = OpenPlatform(a);
        switch (verb)
        {
            case "list":
            {
                var env = a.Option("env");
                var service = a.Option("service");
                var instance = a.Option("instance");
                a.Done(0);
                var list = await platform.ListDeploymentsAsync(env, service, instance, cancellationToken).ConfigureAwait(false);
                if (format == "json")
                {
                    await WriteJsonAsync(stdout, list).ConfigureAwait(false);
                }
                else
                {
                    await WriteTableAsync(stdout, ["CREATED", "DEPLOYMENT", "TARGET", "KIND", "STATUS", "FROM", "TO"], list.Select(d => new[]
                    {
                        d.CreatedAt.ToString("u", CultureInfo.InvariantCulture), d.Id, d.Target, d.IsDelete ? "delete" : d.RollbackOf is null ? (d.UpdateType?.ToString() ?? "create") : "rollback", d.Status.ToString(),
                        d.InitialState?.TemplateVersion ?? "-", d.TargetState?.TemplateVersion ?? "-",
                    })).ConfigureAwait(false);
                }

                return Ok;
            }

            case "show":
            {
                a.Done(1);
                var d = await platform.GetDeploymentAsync(a.Positionals[0], cancellationToken).ConfigureAwait(false)
                    ?? throw new PlatformException(PlatformErrorCodes.NotFound, $"No deployment {a.Positionals[0]}.");
                await WriteJsonAsync(stdout, d).ConfigureAwait(false);
                return Ok;
            }

            default:
                throw new UsageException($"unknown command 'deployments {verb}'");
        }
    }

    private static async Task<int> RollbackAsync(CliArgs a, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var format = OutputFormat(a);
        var platform = OpenPlatform(a);
        a.Done(1);
        return await ReportAsync(format, stdout, [await platform.RollbackAsync(a.Positionals[0], null, LiveProgress(format, stderr), cancellationToken).ConfigureAwait(false)]).ConfigureAwait(false);
    }

    private static async Task<int> ReconcileAsync(CliArgs a, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var format = OutputFormat(a);
        var platform = OpenPlatform(a);
        a.Done(0);
        var done = await platform.ReconcileAsync(cancellationToken).ConfigureAwait(false);
        if (format == "text" && done.Count == 0)
        {
            await stdout.WriteLineAsync("nothing to reconcile").ConfigureAwait(false);
            return Ok;
        }

        await ReportAsync(format, stdout, done).ConfigureAwait(false);
        return Ok;
    }

    private static async Task<int> SummaryAsync(CliArgs a, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var format = OutputFormat(a);
        var platform = OpenPlatform(a);
        a.Done(0);
        var rows = await platform.GetSummaryAsync(cancellationToken).ConfigureAwait(false);
        if (format == "json")
        {
            await WriteJsonAsync(stdout, rows).ConfigureAwait(false);
            return Ok;
        }

        await WriteTableAsync(stdout, ["TEMPLATE", "RESOURCES", "RECOMMENDED", "UP-TO-DATE", "BEHIND-MINOR", "BEHIND-MAJOR", "FAILED", "TOTAL"], rows.Select(r => new[]
        {
            r.TemplateName, r.ResourceType.ToString(), r.RecommendedVersion ?? "-", Num(r.UpToDate), Num(r.BehindMinor), Num(r.BehindMajor), Num(r.Failed), Num(r.Total),
        })).ConfigureAwait(false);
        return Ok;
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static async Task<int> UpgradeAsync(CliArgs a, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var format = OutputFormat(a);
        var platform = OpenPlatform(a);
        var version = a.Option("version");
        var concurrency = IntOption(a, "max-concurrency", 1);
        var tolerance = IntOption(a, "failure-tolerance", 0);
        var planOnly = a.Flag("plan-only");
        a.Done(1);
        var plan = await platform.PlanUpgradeAsync(a.Positionals[0], version, cancellationToken).ConfigureAwait(false);
        if (format == "text")
        {
            await stdout.WriteLineAsync($"plan: {plan.Steps.Count} resource(s) of {plan.TemplateName} to {plan.ToVersion}").ConfigureAwait(false);
            await WriteTableAsync(stdout, ["TARGET", "KIND", "FROM", "TO", "TYPE", "BLOCKED"], plan.Steps.Select(s => new[] { s.Target, s.TargetType.ToString(), s.FromVersion, s.ToVersion, s.UpdateType.ToString(), s.BlockedReason ?? string.Empty })).ConfigureAwait(false);
        }

        if (planOnly)
        {
            if (format == "json")
            {
                await WriteJsonAsync(stdout, plan).ConfigureAwait(false);
            }

            return Ok;
        }

        var result = await platform.UpgradeAsync(plan, new UpgradeOptions { MaxConcurrency = concurrency, FailureTolerance = tolerance }, LiveProgress(format, stderr), cancellationToken).ConfigureAwait(false);
        if (format == "json")
        {
            await WriteJsonAsync(stdout, result).ConfigureAwait(false);
        }
        else
        {
            await WriteTableAsync(stdout, ["TARGET", "OUTCOME", "DEPLOYMENT", "MESSAGE"], result.Steps.Select(s => new[] { s.Step.Target, s.Outcome, s.Deployment?.Id ?? "-", s.Message ?? string.Empty })).ConfigureAwait(false);
            if (result.Stopped)
            {
                await stdout.WriteLineAsync($"stopped: more than {tolerance} failure(s)").ConfigureAwait(false);
            }
        }

        return result.Steps.All(s => s.Outcome == "succeeded") ? Ok : Invalid;
    }

    private static int IntOption(CliArgs a, string name, int fallback)
    {
        var text = a.Option(name);
        return text is null ? fallback
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw new UsageException($"--{name} takes a whole number, not '{text}'");
    }
}
