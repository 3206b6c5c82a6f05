using System.CommandLine;
using System.Text.Json.Nodes;
using Proton.Sdk.Schema;

namespace Proton.Sdk.Cli.Commands;

/// <summary><c>proton schema diff</c>.</summary>
internal static class SchemaCommand
{
    public static Command Build(CliOptions o, ActionBinder bind)
    {
        var schema = new Command("schema", "Compare parameter schemas");
        var diff = new Command("diff", "Classify every schema change between two bundles and name the version bump it needs");
        var before = CliOptions.PathArgument("old", "The older bundle (folder, .tar.gz or s3://bucket/key.tar.gz)", bundle: true);
        var after = CliOptions.PathArgument("new", "The newer bundle", bundle: true);
        diff.Arguments.Add(before);
        diff.Arguments.Add(after);
        diff.Options.Add(o.Output);
        diff.Options.Add(o.EndpointUrl);
        diff.Options.Add(o.Region);
        diff.Options.Add(o.Profile);
        bind(diff, s => DiffAsync(s, s.Value(before), s.Value(after)));
        schema.Subcommands.Add(diff);
        return schema;
    }

    private static async Task<int> DiffAsync(CliSession s, string beforePath, string afterPath)
    {
        var (_, oldSchema) = await BundleLoading.LoadAsync(s, beforePath).ConfigureAwait(false);
        var (_, newSchema) = await BundleLoading.LoadAsync(s, afterPath).ConfigureAwait(false);
        if (oldSchema?.Schema is null || newSchema?.Schema is null)
        {
            return ExitCodes.Invalid;
        }

        var diff = SchemaDiff.Compare(oldSchema.Schema, newSchema.Schema);
        if (s.Json)
        {
            await s.Console.WriteJsonAsync(new JsonObject
            {
                ["bump"] = diff.RequiredBump.ToString().ToLowerInvariant(),
                ["changes"] = new JsonArray(diff.Changes.Select(c => (JsonNode)new JsonObject
                {
                    ["impact"] = c.Impact.ToString().ToLowerInvariant(),
                    ["path"] = c.Path,
                    ["code"] = c.Code,
                    ["reason"] = c.Reason,
                }).ToArray()),
            }).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        await s.Console.LineAsync($"bump: {diff.RequiredBump.ToString().ToLowerInvariant()}").ConfigureAwait(false);
        foreach (var c in diff.Changes)
        {
            await s.Console.LineAsync($"  {c.Impact.ToString().ToLowerInvariant(),-8} {c.Path}: {c.Reason}").ConfigureAwait(false);
        }

        if (diff.Changes.Count == 0)
        {
            await s.Console.LineAsync("  no schema change (an IaC-only change needs a patch version)").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }
}
