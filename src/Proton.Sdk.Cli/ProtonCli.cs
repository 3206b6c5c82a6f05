using System.Text.Json;
using System.Text.Json.Nodes;
using Proton.Sdk.Rendering;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Cli;

/// <summary>The <c>proton</c> command line. Exit codes: 0 success, 1 invalid input (diagnostics on stderr), 2 usage error.</summary>
internal static class ProtonCli
{
    public const int Ok = 0;
    public const int Invalid = 1;
    public const int Usage = 2;

    private const string Help = """
        proton: AWS Proton's model as a command line (Proton.Sdk)

        usage:
          proton bundle inspect <dir|file.tar.gz> [--output text|json]
          proton render <template> --context <context.json> [--engine jinja|scriban] [-o file]

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

    private static readonly HashSet<string> Flags = ["help"];

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
        var inputTypes = Schema.SchemaInputTypes.Read(bundle);
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
