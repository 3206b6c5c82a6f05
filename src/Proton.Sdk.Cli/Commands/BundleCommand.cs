using System.CommandLine;
using System.Text.Json.Nodes;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Cli.Commands;

/// <summary><c>proton bundle inspect</c>.</summary>
internal static class BundleCommand
{
    public static Command Build(CliOptions o, ActionBinder bind)
    {
        var bundle = new Command("bundle", "Look into a template bundle");
        var inspect = new Command("inspect", "Show a bundle's kind, parts, input types and compatible environments; exit 1 when it has errors");
        var path = CliOptions.PathArgument("bundle", "A folder, a .tar.gz file or s3://bucket/key.tar.gz", bundle: true);
        inspect.Arguments.Add(path);
        inspect.Options.Add(o.Output);
        inspect.Options.Add(o.EndpointUrl);
        inspect.Options.Add(o.Region);
        inspect.Options.Add(o.Profile);
        bind(inspect, s => InspectAsync(s, s.Value(path)));
        bundle.Subcommands.Add(inspect);
        return bundle;
    }

    private static async Task<int> InspectAsync(CliSession s, string path)
    {
        var (bundle, schemaResult) = await BundleLoading.LoadAsync(s, path).ConfigureAwait(false);
        if (bundle is null)
        {
            return ExitCodes.Invalid;
        }

        var inputTypes = new Dictionary<string, string>();
        if (schemaResult?.Schema is { } schema)
        {
            foreach (var (key, type) in new[] { ("environment_input_type", schema.EnvironmentInput), ("service_input_type", schema.ServiceInput), ("pipeline_input_type", schema.PipelineInput) })
            {
                if (type is not null)
                {
                    inputTypes[key] = $"{type.Name} ({string.Join(", ", type.Properties.Select(p => p.Name + (type.MustBeGiven(p.Name) ? "*" : string.Empty)))})";
                }
            }
        }

        var exit = BundleLoading.HasErrors(schemaResult) ? ExitCodes.Invalid : ExitCodes.Ok;
        if (s.Json)
        {
            await s.Console.WriteJsonAsync(new JsonObject
            {
                ["source"] = bundle.Source,
                ["kind"] = bundle.Kind.ToString(),
                ["contentHash"] = bundle.ContentHash,
                ["customerManaged"] = bundle.IsCustomerManaged,
                ["valid"] = exit == ExitCodes.Ok,
                ["parts"] = new JsonArray(bundle.Parts.Select(p => (JsonNode)new JsonObject
                {
                    ["folder"] = p.Folder,
                    ["renderingEngine"] = p.RenderingEngine,
                    ["provisioning"] = p.ProvisioningMethod.ToString(),
                    ["files"] = new JsonArray(p.TemplateFiles.Select(f => (JsonNode)f.Path).ToArray()),
                }).ToArray()),
                ["inputTypes"] = new JsonObject(inputTypes.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value))),
                ["compatibleEnvironments"] = new JsonArray((bundle.Registration?.CompatibleEnvironments ?? []).Select(e => (JsonNode)e.ToString()).ToArray()),
            }).ConfigureAwait(false);
            return exit;
        }

        await s.Console.LineAsync($"bundle:       {bundle.Source}").ConfigureAwait(false);
        await s.Console.LineAsync($"kind:         {bundle.Kind}{(bundle.IsCustomerManaged ? " (customer managed: schema only)" : string.Empty)}").ConfigureAwait(false);
        await s.Console.LineAsync($"content hash: {bundle.ContentHash}").ConfigureAwait(false);
        foreach (var part in bundle.Parts)
        {
            var files = string.Join(", ", part.TemplateFiles.Select(f => f.Path));
            var note = part.ProvisioningMethod == ProvisioningMethod.CloudFormation ? string.Empty : " (loaded; Proton.Sdk does not provision this method)";
            await s.Console.LineAsync($"part:         {(part.Folder.Length == 0 ? "." : part.Folder)}/ engine={part.RenderingEngine} provisioning={part.ProvisioningMethod}{note} files=[{files}]").ConfigureAwait(false);
        }

        foreach (var (key, value) in inputTypes)
        {
            await s.Console.LineAsync($"{key + ":",-14}{value}").ConfigureAwait(false);
        }

        if (bundle.Registration is { } reg)
        {
            await s.Console.LineAsync($"compatible:   {string.Join(", ", reg.CompatibleEnvironments)} (from {reg.SourceFile})").ConfigureAwait(false);
        }

        return exit;
    }
}
