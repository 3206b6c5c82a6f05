using Proton.Sdk.Versioning;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proton.Sdk.Rendering;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Cli;

/// <summary>The <c>proton</c> command line. Exit codes: 0 success, 1 invalid input (diagnostics on stderr), 2 usage error.</summary>
internal static partial class ProtonCli
{
    public const int Ok = 0;
    public const int Invalid = 1;
    public const int Usage = 2;

    private const string Help = """
        proton: AWS Proton's model as a command line (Proton.Sdk)

        usage:
          proton bundle inspect <dir|file.tar.gz> [--output text|json]
          proton render <template> --context <context.json> [--engine jinja|scriban] [-o file]
          proton schema diff <old bundle> <new bundle> [--output text|json]
          proton spec validate <bundle> <spec.yaml> [--ignore-unknown-inputs] [--output text|json]
          proton template create <name> --kind environment|service [--display-name n] [--description d] [--store dir]
          proton template register <name> <dir|file.tar.gz> [--version v] [--compatible env:major,...] [--store dir]
          proton template publish|deprecate <name> <version> [--store dir]
          proton template list [--store dir] [--output text|json]
          proton template show <name> [--store dir] [--output text|json]
          proton template delete <name> [<version>] [--store dir]

          proton env create <name> --template t [--version v] [--spec env-spec.yaml] [--account-id id]
          proton env update <name> --type none|current|minor|major [--version v] [--spec file] [--description d]
          proton env import <name> --template t [--version v] [--spec file] (--stack name | --outputs outputs.json)
          proton env delete <name> | env list | env show <name>
          proton service create <name> --template t [--version v] --spec svc-spec.yaml [--repository owner/repo] [--branch b] [--connection arn]
          proton service update <name> --spec svc-spec.yaml                  (adds and removes instances, redeploys the pipeline)
          proton service update <name> --instance i --type current|minor|major [--version v] [--spec svc-spec.yaml]
          proton service update <name> --pipeline --type current|minor|major [--version v] [--spec svc-spec.yaml]
          proton service delete <name> | service list | service show <name>
          proton deployments list [--env e] [--service s] [--instance i] | deployments show <id>
          proton rollback <deployment-id>
          proton reconcile
          proton summary
          proton upgrade <template> [--version v] [--max-concurrency n] [--failure-tolerance n] [--plan-only]
          proton policy <bundle|template> (--schemas dir | --describe-type) [--spec file] [--operation create|update|delete|all]
                        [--from-version v --to-version v] [--check role-policy.json] [--cache dir] [--output json|text]

        common options: --store dir (default ./.proton), --output text|json,
          --provisioner local|cloudformation (default local), --stacks dir (local stacks; default <store>/stacks),
          --endpoint-url url, --region r, --profile p (cloudformation)

        exit codes: 0 success, 1 invalid input (file:line:col: message on stderr), 2 usage error
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                (args.Length == 0 ? stderr : stdout).Write(Help);
                return args.Length == 0 ? Usage : Ok;
            }

            return (args[0], args.ElementAtOrDefault(1)) switch
            {
                ("bundle", "inspect") => await BundleInspectAsync(new CliArgs(args.Skip(2), Flags), stdout, stderr, cancellationToken).ConfigureAwait(false),
                ("render", _) => Render(new CliArgs(args.Skip(1), Flags), stdout, stderr, cancellationToken),
                ("schema", "diff") => await SchemaDiffAsync(new CliArgs(args.Skip(2), Flags), stdout, stderr, cancellationToken).ConfigureAwait(false),
                ("template", _) => await TemplateAsync(args.ElementAtOrDefault(1) ?? string.Empty, new CliArgs(args.Skip(2), Flags), stdout, stderr, cancellationToken).ConfigureAwait(false),
                ("env", _) => await EnvironmentAsync(args.ElementAtOrDefault(1) ?? string.Empty, new CliArgs(args.Skip(2), Flags), stdout, stderr, cancellationToken).ConfigureAwait(false),
                ("service", _) => await ServiceAsync(args.ElementAtOrDefault(1) ?? string.Empty, new CliArgs(args.Skip(2), Flags), stdout, stderr, cancellationToken).ConfigureAwait(false),
                ("deployments", _) => await DeploymentsAsync(args.ElementAtOrDefault(1) ?? string.Empty, new CliArgs(args.Skip(2), Flags), stdout, stderr, cancellationToken).ConfigureAwait(false),
                ("rollback", _) => await RollbackAsync(new CliArgs(args.Skip(1), Flags), stdout, stderr, cancellationToken).ConfigureAwait(false),
                ("reconcile", _) => await ReconcileAsync(new CliArgs(args.Skip(1), Flags), stdout, stderr, cancellationToken).ConfigureAwait(false),
                ("summary", _) => await SummaryAsync(new CliArgs(args.Skip(1), Flags), stdout, stderr, cancellationToken).ConfigureAwait(false),
                ("policy", _) => await PolicyAsync(new CliArgs(args.Skip(1), Flags), stdout, stderr, cancellationToken).ConfigureAwait(false),
                ("upgrade", _) => await UpgradeAsync(new CliArgs(args.Skip(1), Flags), stdout, stderr, cancellationToken).ConfigureAwait(false),
                ("spec", "validate") => await SpecValidateAsync(new CliArgs(args.Skip(2), Flags), stdout, stderr, cancellationToken).ConfigureAwait(false),
                _ => throw new UsageException($"unknown command '{string.Join(' ', args.Take(2))}'"),
            };
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"proton: {ex.Message}").ConfigureAwait(false);
            await stderr.WriteLineAsync("run 'proton --help' for usage").ConfigureAwait(false);
            return Usage;
        }
        catch (ProtonValidationException ex)
        {
            foreach (var d in ex.Diagnostics)
            {
                await stderr.WriteLineAsync(d.ToString()).ConfigureAwait(false);
            }

            return Invalid;
        }
        catch (ProtonException ex)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return Invalid;
        }
    }

    private static readonly HashSet<string> Flags = ["help", "ignore-unknown-inputs", "plan-only", "pipeline", "describe-type"];

    private static readonly JsonSerializerOptions CliJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private static string OutputFormat(CliArgs a)
    {
        var format = a.Option("output") ?? "text";
        return format is "text" or "json" ? format : throw new UsageException($"--output takes 'text' or 'json', not '{format}'");
    }

    private static async Task<int> BundleInspectAsync(CliArgs a, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var format = OutputFormat(a);
        a.Done(1);
        var path = a.Positionals[0];
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            await stderr.WriteLineAsync($"{path}: error bundle.not-found: no folder or archive there").ConfigureAwait(false);
            return Invalid;
        }

        var result = await TemplateBundleLoader.LoadAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var d in result.Diagnostics)
        {
            await stderr.WriteLineAsync(d.ToString()).ConfigureAwait(false);
        }

        if (!result.Succeeded)
        {
            return Invalid;
        }

        var bundle = result.Bundle!;
        var schemaResult = Schema.SchemaParser.Parse(bundle);
        foreach (var d in schemaResult.Diagnostics)
        {
            await stderr.WriteLineAsync(d.ToString()).ConfigureAwait(false);
        }

        var inputTypes = new Dictionary<string, string>();
        if (schemaResult.Schema is { } schema)
        {
            foreach (var (key, type) in new[] { ("environment_input_type", schema.EnvironmentInput), ("service_input_type", schema.ServiceInput), ("pipeline_input_type", schema.PipelineInput) })
            {
                if (type is not null)
                {
                    inputTypes[key] = $"{type.Name} ({string.Join(", ", type.Properties.Select(p => p.Name + (type.MustBeGiven(p.Name) ? "*" : string.Empty)))})";
                }
            }
        }
        if (format == "json")
        {
            var json = new JsonObject
            {
                ["source"] = bundle.Source,
                ["kind"] = bundle.Kind.ToString(),
                ["contentHash"] = bundle.ContentHash,
                ["customerManaged"] = bundle.IsCustomerManaged,
                ["parts"] = new JsonArray(bundle.Parts.Select(p => (JsonNode)new JsonObject
                {
                    ["folder"] = p.Folder,
                    ["renderingEngine"] = p.RenderingEngine,
                    ["provisioning"] = p.ProvisioningMethod.ToString(),
                    ["files"] = new JsonArray(p.TemplateFiles.Select(f => (JsonNode)f.Path).ToArray()),
                }).ToArray()),
                ["inputTypes"] = new JsonObject(inputTypes.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value))),
                ["compatibleEnvironments"] = new JsonArray((bundle.Registration?.CompatibleEnvironments ?? []).Select(e => (JsonNode)e.ToString()).ToArray()),
            };
            await stdout.WriteLineAsync(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
            return Ok;
        }

        await stdout.WriteLineAsync($"bundle:       {bundle.Source}").ConfigureAwait(false);
        await stdout.WriteLineAsync($"kind:         {bundle.Kind}{(bundle.IsCustomerManaged ? " (customer managed: schema only)" : string.Empty)}").ConfigureAwait(false);
        await stdout.WriteLineAsync($"content hash: {bundle.ContentHash}").ConfigureAwait(false);
        foreach (var part in bundle.Parts)
        {
            var files = string.Join(", ", part.TemplateFiles.Select(f => f.Path));
            var note = part.ProvisioningMethod == ProvisioningMethod.CloudFormation ? string.Empty : " (loaded; Proton.Sdk does not provision this method)";
            await stdout.WriteLineAsync($"part:         {(part.Folder.Length == 0 ? "." : part.Folder)}/ engine={part.RenderingEngine} provisioning={part.ProvisioningMethod}{note} files=[{files}]").ConfigureAwait(false);
        }

        foreach (var (key, value) in inputTypes)
        {
            await stdout.WriteLineAsync($"{key + ":",-14}{value}").ConfigureAwait(false);
        }

        if (bundle.Registration is { } reg)
        {
            await stdout.WriteLineAsync($"compatible:   {string.Join(", ", reg.CompatibleEnvironments)} (from {reg.SourceFile})").ConfigureAwait(false);
        }

        return Ok;
    }

    private static async Task<(Templates.TemplateBundle? Bundle, Schema.ParameterSchema? Schema)> LoadWithSchemaAsync(string path, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            await stderr.WriteLineAsync($"{path}: error bundle.not-found: no folder or archive there").ConfigureAwait(false);
            return (null, null);
        }

        var load = await TemplateBundleLoader.LoadAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var d in load.Diagnostics)
        {
            await stderr.WriteLineAsync(Locate(path, d)).ConfigureAwait(false);
        }

        if (!load.Succeeded)
        {
            return (null, null);
        }

        var schema = Schema.SchemaParser.Parse(load.Bundle!);
        foreach (var d in schema.Diagnostics)
        {
            await stderr.WriteLineAsync(Locate(path, d)).ConfigureAwait(false);
        }

        return (load.Bundle, schema.Schema);
    }

    private static string Locate(string bundlePath, Diagnostic d)
        => d.File is not null && Directory.Exists(bundlePath) && !Path.IsPathRooted(d.File) ? (d with { File = Path.Combine(bundlePath, d.File) }).ToString() : d.ToString();

    private static async Task<int> SchemaDiffAsync(CliArgs a, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var format = OutputFormat(a);
        a.Done(2);
        var (_, oldSchema) = await LoadWithSchemaAsync(a.Positionals[0], stderr, cancellationToken).ConfigureAwait(false);
        var (_, newSchema) = await LoadWithSchemaAsync(a.Positionals[1], stderr, cancellationToken).ConfigureAwait(false);
        if (oldSchema is null || newSchema is null)
        {
            return Invalid;
        }

        var diff = Schema.SchemaDiff.Compare(oldSchema, newSchema);
        if (format == "json")
        {
            var json = new JsonObject
            {
                ["bump"] = diff.RequiredBump.ToString().ToLowerInvariant(),
                ["changes"] = new JsonArray(diff.Changes.Select(c => (JsonNode)new JsonObject
                {
                    ["impact"] = c.Impact.ToString().ToLowerInvariant(),
                    ["path"] = c.Path,
                    ["code"] = c.Code,
                    ["reason"] = c.Reason,
                }).ToArray()),
            };
            await stdout.WriteLineAsync(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
            return Ok;
        }

        await stdout.WriteLineAsync($"bump: {diff.RequiredBump.ToString().ToLowerInvariant()}").ConfigureAwait(false);
        foreach (var c in diff.Changes)
        {
            await stdout.WriteLineAsync($"  {c.Impact.ToString().ToLowerInvariant(),-8} {c.Path}: {c.Reason}").ConfigureAwait(false);
        }

        if (diff.Changes.Count == 0)
        {
            await stdout.WriteLineAsync("  no schema change (an IaC-only change needs a patch version)").ConfigureAwait(false);
        }

        return Ok;
    }

    private static async Task<int> SpecValidateAsync(CliArgs a, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var format = OutputFormat(a);
        var ignoreUnknown = a.Flag("ignore-unknown-inputs");
        a.Done(2);
        var (_, schema) = await LoadWithSchemaAsync(a.Positionals[0], stderr, cancellationToken).ConfigureAwait(false);
        if (schema is null)
        {
            return Invalid;
        }

        var parsed = await SpecParser.ParseFileAsync(a.Positionals[1], cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var d in parsed.Diagnostics)
        {
            await stderr.WriteLineAsync(d.ToString()).ConfigureAwait(false);
        }

        if (parsed.Spec is not { } spec)
        {
            return Invalid;
        }

        var result = new Schema.SpecValidator(schema, new Schema.SpecValidationOptions { IgnoreUnknownInputs = ignoreUnknown }).Validate(spec);
        if (format == "json")
        {
            var json = new JsonObject
            {
                ["valid"] = result.IsValid,
                ["failures"] = new JsonArray(result.ToDiagnostics(spec).Select(d => (JsonNode)new JsonObject
                {
                    ["path"] = d.Path,
                    ["code"] = d.Code,
                    ["message"] = d.Message,
                    ["file"] = d.File,
                    ["line"] = d.Line,
                    ["column"] = d.Column,
                }).ToArray()),
            };
            await stdout.WriteLineAsync(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
        }
        else
        {
            foreach (var d in result.ToDiagnostics(spec))
            {
                await stderr.WriteLineAsync(d.ToString()).ConfigureAwait(false);
            }

            if (result.IsValid)
            {
                var parts = result.Environment is not null ? "environment spec" : $"{result.Instances.Count} instance(s){(result.Pipeline is null ? string.Empty : " and a pipeline")}";
                await stdout.WriteLineAsync($"valid: {parts}").ConfigureAwait(false);
            }
        }

        return result.IsValid ? Ok : Invalid;
    }

    private static async Task<int> TemplateAsync(string verb, CliArgs a, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var storePath = a.Option("store") ?? ".proton";
        var format = OutputFormat(a);
        var registry = OpenPlatform(a, storePath).Registry;
        try
        {
            switch (verb)
            {
                case "create":
                {
                    var kindText = a.Option("kind") ?? throw new UsageException("template create needs --kind environment|service");
                    var kind = kindText switch
                    {
                        "environment" => TemplateKind.Environment,
                        "service" => TemplateKind.Service,
                        _ => throw new UsageException($"--kind takes 'environment' or 'service', not '{kindText}'"),
                    };
                    var display = a.Option("display-name");
                    var description = a.Option("description");
                    a.Done(1);
                    var t = await registry.CreateTemplateAsync(a.Positionals[0], kind, display, description, cancellationToken).ConfigureAwait(false);
                    await stdout.WriteLineAsync($"template {t.Name} ({t.Kind.ToString().ToLowerInvariant()})").ConfigureAwait(false);
                    return Ok;
                }

                case "register":
                {
                    var version = a.Option("version");
                    var compatibleText = a.Option("compatible");
                    a.Done(2);
                    var compatible = compatibleText?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(c => CompatibleEnvironment.TryParse(c) ?? throw new UsageException($"--compatible takes name:major, not '{c}'"))
                        .ToList();
                    var path = a.Positionals[1];
                    ITemplateBundleSource source = Directory.Exists(path) ? new DirectoryBundleSource(path) : new TarGzBundleSource(path);
                    var result = await registry.RegisterVersionAsync(a.Positionals[0], source, new Versioning.RegisterVersionOptions { Version = version, CompatibleEnvironments = compatible }, cancellationToken).ConfigureAwait(false);
                    await stdout.WriteLineAsync(result.AlreadyRegistered
                        ? $"{result.Version.TemplateName} {result.Version.Version} (already registered with this content)"
                        : result.Version.ComparedWith is null
                            ? $"{result.Version.TemplateName} {result.Version.Version} registered as draft (first version)"
                            : $"{result.Version.TemplateName} {result.Version.Version} registered as draft ({result.Version.SchemaBump.ToString().ToLowerInvariant()} schema change from {result.Version.ComparedWith})").ConfigureAwait(false);
                    return Ok;
                }

                case "publish" or "deprecate":
                {
                    a.Done(2);
                    var v = verb == "publish"
                        ? await registry.PublishAsync(a.Positionals[0], a.Positionals[1], cancellationToken).ConfigureAwait(false)
                        : await registry.DeprecateAsync(a.Positionals[0], a.Positionals[1], cancellationToken).ConfigureAwait(false);
                    await stdout.WriteLineAsync($"{v.TemplateName} {v.Version} {v.Status.ToString().ToLowerInvariant()}").ConfigureAwait(false);
                    return Ok;
                }

                case "list":
                {
                    a.Done(0);
                    var rows = new List<(Versioning.TemplateRecord T, Versioning.TemplateVersionRecord? R, int N)>();
                    foreach (var t in await registry.ListTemplatesAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var versions = await registry.ListVersionsAsync(t.Name, cancellationToken).ConfigureAwait(false);
                        rows.Add((t, Versioning.TemplateRegistry.Recommended(versions), versions.Count));
                    }

                    if (format == "json")
                    {
                        await stdout.WriteLineAsync(new JsonArray(rows.Select(r => (JsonNode)new JsonObject
                        {
                            ["name"] = r.T.Name,
                            ["kind"] = r.T.Kind.ToString().ToLowerInvariant(),
                            ["versions"] = r.N,
                            ["recommended"] = r.R?.Version,
                        }).ToArray()).ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
                    }
                    else
                    {
                        foreach (var (t, r, n) in rows)
                        {
                            await stdout.WriteLineAsync($"{t.Name,-30} {t.Kind.ToString().ToLowerInvariant(),-12} versions={n,-4} recommended={r?.Version ?? "-"}").ConfigureAwait(false);
                        }
                    }

                    return Ok;
                }

                case "show":
                {
                    a.Done(1);
                    var t = await registry.GetTemplateAsync(a.Positionals[0], cancellationToken).ConfigureAwait(false)
                        ?? throw new Versioning.RegistryException(RegistryErrorCodes.NotFound, $"No template '{a.Positionals[0]}'.");
                    var versions = await registry.ListVersionsAsync(t.Name, cancellationToken).ConfigureAwait(false);
                    var recommended = Versioning.TemplateRegistry.Recommended(versions);
                    if (format == "json")
                    {
                        await stdout.WriteLineAsync(JsonSerializer.Serialize(new { template = t, recommended = recommended?.Version, versions }, CliJson)).ConfigureAwait(false);
                        return Ok;
                    }

                    await stdout.WriteLineAsync($"{t.Name} ({t.Kind.ToString().ToLowerInvariant()}) recommended={recommended?.Version ?? "-"}").ConfigureAwait(false);
                    foreach (var v in versions)
                    {
                        var compatible = v.CompatibleEnvironments.Count == 0 ? string.Empty : $" compatible={string.Join(",", v.CompatibleEnvironments)}";
                        await stdout.WriteLineAsync($"  {v.Version,-16} {v.Status.ToString().ToLowerInvariant(),-10} {v.ContentHash[..12]}{compatible}").ConfigureAwait(false);
                    }

                    return Ok;
                }

                case "delete":
                {
                    if (a.Positionals.Count == 2)
                    {
                        a.Done(2);
                        await registry.DeleteVersionAsync(a.Positionals[0], a.Positionals[1], cancellationToken).ConfigureAwait(false);
                        await stdout.WriteLineAsync($"deleted {a.Positionals[0]} {a.Positionals[1]}").ConfigureAwait(false);
                    }
                    else
                    {
                        a.Done(1);
                        await registry.DeleteTemplateAsync(a.Positionals[0], cancellationToken).ConfigureAwait(false);
                        await stdout.WriteLineAsync($"deleted {a.Positionals[0]}").ConfigureAwait(false);
                    }

                    return Ok;
                }

                default:
                    throw new UsageException($"unknown command 'template {verb}'");
            }
        }
        catch (Versioning.RegistryException ex)
        {
            await stderr.WriteLineAsync($"{ex.ErrorCode}: {ex.Message}").ConfigureAwait(false);
            return Invalid;
        }
    }

    private static int Render(CliArgs a, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var contextPath = a.Option("context") ?? throw new UsageException("render needs --context <context.json>");
        var engine = a.Option("engine") ?? RenderingEngines.Jinja;
        if (engine is not (RenderingEngines.Jinja or RenderingEngines.Scriban))
        {
            throw new UsageException($"--engine takes 'jinja' or 'scriban', not '{engine}'");
        }

        var outFile = a.Option("out", "o");
        a.Done(1);
        var templatePath = a.Positionals[0];
        foreach (var p in new[] { templatePath, contextPath })
        {
            if (!File.Exists(p))
            {
                stderr.WriteLine($"{p}: error render.not-found: no such file");
                return Invalid;
            }
        }

        try
        {
            var context = RenderContext.FromJson(File.ReadAllText(contextPath));
            var output = TemplateRenderer.Default.Render(File.ReadAllText(templatePath), templatePath, context, engine, cancellationToken);
            if (outFile is null)
            {
                stdout.Write(output);
            }
            else
            {
                File.WriteAllText(outFile, output);
            }

            return Ok;
        }
        catch (RenderException ex)
        {
            stderr.WriteLine($"{ex.File}:{ex.Line}:{ex.Column}: {ex.ErrorCode}: {ex.Detail}");
            return Invalid;
        }
        catch (ProtonException ex)
        {
            stderr.WriteLine($"{contextPath}: {ex.ErrorCode}: {ex.Message}");
            return Invalid;
        }
    }
}
