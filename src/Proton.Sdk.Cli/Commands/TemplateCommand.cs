using System.CommandLine;
using System.Text.Json.Nodes;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

namespace Proton.Sdk.Cli.Commands;

/// <summary><c>proton template ...</c>: the registry of templates and versions.</summary>
internal static class TemplateCommand
{
    public static Command Build(CliOptions o, ActionBinder bind)
    {
        var template = new Command("template", "Register, publish and list template versions");

        var create = new Command("create", "Create a template (and the store, if it is a folder that does not exist yet)");
        var createName = CliOptions.Name("name", "The template's name");
        var kind = CliOptions.Choice("--kind", "environment", "environment or service", "environment", "service");
        kind.Required = true;
        kind.DefaultValueFactory = null;
        var display = new Option<string?>("--display-name") { Description = "A display name", HelpName = "text" };
        var description = new Option<string?>("--description") { Description = "A description", HelpName = "text" };
        create.Arguments.Add(createName);
        create.Options.Add(kind);
        create.Options.Add(display);
        create.Options.Add(description);
        o.AddStore(create);
        create.Options.Add(o.Output);
        bind(create, async s =>
        {
            var registry = s.OpenPlatform(create: true).Registry;
            var t = await registry.CreateTemplateAsync(s.Value(createName), s.Value(kind) == "service" ? TemplateKind.Service : TemplateKind.Environment, s.Value(display), s.Value(description), s.CancellationToken).ConfigureAwait(false);
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(t).ConfigureAwait(false);
            }
            else
            {
                await s.Console.LineAsync($"template {t.Name} ({t.Kind.ToString().ToLowerInvariant()})").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });

        var register = new Command("register", "Register a bundle as a new draft version; the schema diff decides the smallest valid version");
        var registerName = CliOptions.Name("name", "The template");
        var bundle = CliOptions.PathArgument("bundle", "A folder, a .tar.gz file or s3://bucket/key.tar.gz", bundle: true);
        var version = CliOptions.VersionOption("--version", "The version to register [default: the smallest valid one]");
        var compatible = new Option<string?>("--compatible") { Description = "Compatible environment templates, name:major,... (service templates)", HelpName = "env:major,..." };
        compatible.Validators.Add(r =>
        {
            foreach (var c in (r.GetValueOrDefault<string?>() ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (CompatibleEnvironment.TryParse(c) is null)
                {
                    r.AddError($"--compatible takes name:major, not '{CliOptions.Shorten(c)}'");
                }
            }
        });
        register.Arguments.Add(registerName);
        register.Arguments.Add(bundle);
        register.Options.Add(version);
        register.Options.Add(compatible);
        o.AddStore(register);
        register.Options.Add(o.Output);
        bind(register, async s =>
        {
            var registry = s.OpenPlatform().Registry;
            var source = BundleLocation.Open(s.Value(bundle), s.Aws);
            var list = s.Value(compatible)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => CompatibleEnvironment.TryParse(c)!).ToList();
            var result = await registry.RegisterVersionAsync(s.Value(registerName), source, new RegisterVersionOptions { Version = s.Value(version), CompatibleEnvironments = list }, s.CancellationToken).ConfigureAwait(false);
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(new { alreadyRegistered = result.AlreadyRegistered, version = result.Version }).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var v = result.Version;
            await s.Console.LineAsync(result.AlreadyRegistered
                ? $"{v.TemplateName} {v.Version} (already registered with this content)"
                : v.ComparedWith is null
                    ? $"{v.TemplateName} {v.Version} registered as draft (first version)"
                    : $"{v.TemplateName} {v.Version} registered as draft ({v.SchemaBump.ToString().ToLowerInvariant()} schema change from {v.ComparedWith})").ConfigureAwait(false);
            return ExitCodes.Ok;
        });

        template.Subcommands.Add(create);
        template.Subcommands.Add(register);
        template.Subcommands.Add(StatusCommand(o, bind, "publish", "Publish a draft version (the highest published one is recommended)", (r, n, v, ct) => r.PublishAsync(n, v, ct)));
        template.Subcommands.Add(StatusCommand(o, bind, "deprecate", "Deprecate a version: no new resources; existing ones may still update to it", (r, n, v, ct) => r.DeprecateAsync(n, v, ct)));
        template.Subcommands.Add(List(o, bind));
        template.Subcommands.Add(Show(o, bind));
        template.Subcommands.Add(Delete(o, bind));
        template.Subcommands.Add(Test(o, bind));
        return template;
    }

    private static Command StatusCommand(CliOptions o, ActionBinder bind, string verb, string description, Func<TemplateRegistry, string, string, CancellationToken, ValueTask<TemplateVersionRecord>> change)
    {
        var command = new Command(verb, description);
        var name = CliOptions.Name("name", "The template");
        var version = CliOptions.VersionArgument("The version");
        command.Arguments.Add(name);
        command.Arguments.Add(version);
        o.AddStore(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var v = await change(s.OpenPlatform().Registry, s.Value(name), s.Value(version), s.CancellationToken).ConfigureAwait(false);
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(v).ConfigureAwait(false);
            }
            else
            {
                await s.Console.LineAsync($"{v.TemplateName} {v.Version} {v.Status.ToString().ToLowerInvariant()}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliOptions o, ActionBinder bind)
    {
        var command = new Command("list", "List templates with their recommended version");
        o.AddStore(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var registry = s.OpenPlatform().Registry;
            var rows = new List<(TemplateRecord T, TemplateVersionRecord? R, int N)>();
            foreach (var t in await registry.ListTemplatesAsync(s.CancellationToken).ConfigureAwait(false))
            {
                var versions = await registry.ListVersionsAsync(t.Name, s.CancellationToken).ConfigureAwait(false);
                rows.Add((t, TemplateRegistry.Recommended(versions), versions.Count));
            }

            if (s.Json)
            {
                await s.Console.WriteJsonAsync(new JsonArray(rows.Select(r => (JsonNode)new JsonObject
                {
                    ["name"] = r.T.Name,
                    ["kind"] = r.T.Kind.ToString().ToLowerInvariant(),
                    ["versions"] = r.N,
                    ["recommended"] = r.R?.Version,
                }).ToArray())).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await s.Console.WriteTableAsync(["TEMPLATE", "KIND", "VERSIONS", "RECOMMENDED"], rows.Select(r => new[]
            {
                r.T.Name, r.T.Kind.ToString().ToLowerInvariant(), r.N.ToString(System.Globalization.CultureInfo.InvariantCulture), r.R?.Version ?? "-",
            })).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliOptions o, ActionBinder bind)
    {
        var command = new Command("show", "Show a template and its versions");
        var name = CliOptions.Name("name", "The template");
        command.Arguments.Add(name);
        o.AddStore(command);
        command.Options.Add(o.Output);
        bind(command, async s =>
        {
            var registry = s.OpenPlatform().Registry;
            var t = await registry.GetTemplateAsync(s.Value(name), s.CancellationToken).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryErrorCodes.NotFound, $"No template '{s.Value(name)}'.");
            var versions = await registry.ListVersionsAsync(t.Name, s.CancellationToken).ConfigureAwait(false);
            var recommended = TemplateRegistry.Recommended(versions);
            if (s.Json)
            {
                await s.Console.WriteJsonAsync(new { template = t, recommended = recommended?.Version, versions }).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await s.Console.LineAsync($"{t.Name} ({t.Kind.ToString().ToLowerInvariant()}) recommended={recommended?.Version ?? "-"}").ConfigureAwait(false);
            await s.Console.WriteTableAsync(["VERSION", "STATUS", "CONTENT", "COMPATIBLE"], versions.Select(v => new[]
            {
                v.Version, v.Status.ToString().ToLowerInvariant(), v.ContentHash[..Math.Min(12, v.ContentHash.Length)], string.Join(",", v.CompatibleEnvironments),
            })).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete(CliOptions o, ActionBinder bind)
    {
        var command = new Command("delete", "Delete a version, or a template with no versions; versions that resources run on are refused");
        var name = CliOptions.Name("name", "The template");
        var version = CliOptions.VersionArgument("The version to delete [default: the template itself]");
        version.Arity = ArgumentArity.ZeroOrOne;
        command.Arguments.Add(name);
        command.Arguments.Add(version);
        o.AddStore(command);
        bind(command, async s =>
        {
            var registry = s.OpenPlatform().Registry;
            var n = s.Value(name);
            if (s.Parse.GetValue(version) is { } v)
            {
                await registry.DeleteVersionAsync(n, v, s.CancellationToken).ConfigureAwait(false);
                await s.Console.LineAsync($"deleted {n} {v}").ConfigureAwait(false);
            }
            else
            {
                await registry.DeleteTemplateAsync(n, s.CancellationToken).ConfigureAwait(false);
                await s.Console.LineAsync($"deleted {n}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Test(CliOptions o, ActionBinder bind)
    {
        var command = new Command("test", "Render a bundle with each test spec, compare with snapshots and lint the results; exit 1 on any failure");
        var path = CliOptions.PathArgument("bundle", "A folder, a .tar.gz file or s3://bucket/key.tar.gz", bundle: true);
        var specs = new Option<string?>("--specs") { Description = "The folder of spec files (default: the bundle's test/ folder)", HelpName = "dir" };
        var update = new Option<bool>("--update-snapshots") { Description = "Write the snapshots instead of comparing with them" };
        var junit = new Option<string?>("--junit") { Description = "Also write the results as JUnit XML to this file", HelpName = "file" };
        var schemas = CliOptions.PathOption("--schemas", "A folder of CloudFormation provider schemas: warn on unknown resource types, fail on missing required properties", helpName: "dir");
        var environmentBundle = new Option<string?>("--environment-bundle") { Description = "The compatible environment template's bundle: every environment.outputs.X a service template reads must be one of its outputs", HelpName = "bundle" };
        command.Arguments.Add(path);
        command.Options.Add(specs);
        command.Options.Add(update);
        command.Options.Add(junit);
        command.Options.Add(schemas);
        command.Options.Add(environmentBundle);
        command.Options.Add(o.Output);
        command.Options.Add(o.EndpointUrl);
        command.Options.Add(o.Region);
        command.Options.Add(o.Profile);
        bind(command, async s =>
        {
            var bundlePath = s.Value(path);
            var (bundle, schemaResult) = await BundleLoading.LoadAsync(s, bundlePath).ConfigureAwait(false);
            if (bundle is null || BundleLoading.HasErrors(schemaResult))
            {
                return ExitCodes.Invalid;
            }

            var folder = s.Value(specs) ?? (Directory.Exists(bundlePath) ? Path.Combine(bundlePath, "test") : null);
            if (folder is null || !Directory.Exists(folder))
            {
                throw new UsageException(folder is null ? "give --specs: the bundle is not a folder, so it has no test/ folder" : $"no folder of test specs at '{folder}' (give --specs)");
            }

            if (s.Value(schemas) is { } schemaFolder && !Directory.Exists(schemaFolder))
            {
                throw new CliException($"{schemaFolder}: error cli.not-found: no such folder");
            }

            TemplateBundle? environment = null;
            if (s.Value(environmentBundle) is { } environmentPath)
            {
                var (loaded, environmentSchema) = await BundleLoading.LoadAsync(s, environmentPath).ConfigureAwait(false);
                if (loaded is null || BundleLoading.HasErrors(environmentSchema))
                {
                    return ExitCodes.Invalid;
                }

                environment = loaded;
            }

            var options = new Testing.TemplateTestOptions { UpdateSnapshots = s.Value(update), ProviderSchemaFolder = s.Value(schemas), EnvironmentBundle = environment };
            var report = await new Testing.TemplateTester(Rendering.TemplateRenderer.Default).RunAsync(bundle, schemaResult!.Schema!, folder, options, s.CancellationToken).ConfigureAwait(false);
            if (s.Value(junit) is { } junitFile)
            {
                await File.WriteAllTextAsync(junitFile, Testing.TemplateTestReportWriter.ToJUnitXml(report), s.CancellationToken).ConfigureAwait(false);
            }

            await s.Console.LineAsync(s.Json ? Testing.TemplateTestReportWriter.ToJson(report) : Testing.TemplateTestReportWriter.ToText(report)).ConfigureAwait(false);
            return report.Succeeded ? ExitCodes.Ok : ExitCodes.Invalid;
        });
        return command;
    }
}
