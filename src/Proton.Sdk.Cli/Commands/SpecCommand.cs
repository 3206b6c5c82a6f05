using System.CommandLine;
using System.Text.Json.Nodes;
using Proton.Sdk.Schema;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Cli.Commands;

/// <summary><c>proton spec validate</c>, and the spec reading every command shares.</summary>
internal static class SpecCommand
{
    public static Command Build(CliOptions o, ActionBinder bind)
    {
        var spec = new Command("spec", "Check spec files against a bundle's schema");
        var validate = new Command("validate", "Validate a spec against a bundle's schema; every failure with file:line:col");
        var bundle = CliOptions.PathArgument("bundle", "The bundle (folder, .tar.gz or s3://bucket/key.tar.gz)", bundle: true);
        var file = CliOptions.PathArgument("spec", "The spec file (proton: EnvironmentSpec or ServiceSpec)");
        var ignore = new Option<bool>("--ignore-unknown-inputs") { Description = "Do not refuse inputs the schema does not define" };
        validate.Arguments.Add(bundle);
        validate.Arguments.Add(file);
        validate.Options.Add(ignore);
        validate.Options.Add(o.Output);
        validate.Options.Add(o.EndpointUrl);
        validate.Options.Add(o.Region);
        validate.Options.Add(o.Profile);
        bind(validate, s => ValidateAsync(s, s.Value(bundle), s.Value(file), s.Value(ignore)));
        spec.Subcommands.Add(validate);
        return spec;
    }

    /// <summary>Reads and parses a spec file; parse diagnostics become a validation failure (exit 1).</summary>
    public static async Task<ProtonSpec> ReadAsync(CliSession s, string path)
    {
        InputFiles.RequireRegularFile(path);
        var parsed = await SpecParser.ParseFileAsync(path, cancellationToken: s.CancellationToken).ConfigureAwait(false);
        var spec = parsed.GetSpecOrThrow();
        foreach (var warning in parsed.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning))
        {
            await s.Console.ErrorAsync(warning.ToString()).ConfigureAwait(false);
        }

        s.Spec = spec;
        return spec;
    }

    private static async Task<int> ValidateAsync(CliSession s, string bundlePath, string specPath, bool ignoreUnknown)
    {
        var (_, schemaResult) = await BundleLoading.LoadAsync(s, bundlePath).ConfigureAwait(false);
        if (schemaResult?.Schema is not { } schema)
        {
            return ExitCodes.Invalid;
        }

        InputFiles.RequireRegularFile(specPath);
        var parsed = await SpecParser.ParseFileAsync(specPath, cancellationToken: s.CancellationToken).ConfigureAwait(false);
        foreach (var d in parsed.Diagnostics)
        {
            await s.Console.ErrorAsync(d.ToString()).ConfigureAwait(false);
        }

        if (parsed.Spec is not { } spec)
        {
            return ExitCodes.Invalid;
        }

        var result = new SpecValidator(schema, new SpecValidationOptions { IgnoreUnknownInputs = ignoreUnknown }).Validate(spec);
        if (s.Json)
        {
            await s.Console.WriteJsonAsync(new JsonObject
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
            }).ConfigureAwait(false);
        }
        else
        {
            foreach (var d in result.ToDiagnostics(spec))
            {
                await s.Console.ErrorAsync(d.ToString()).ConfigureAwait(false);
            }

            if (result.IsValid)
            {
                var parts = result.Environment is not null ? "environment spec" : $"{result.Instances.Count} instance(s){(result.Pipeline is null ? string.Empty : " and a pipeline")}";
                await s.Console.LineAsync($"valid: {parts}").ConfigureAwait(false);
            }
        }

        return result.IsValid ? ExitCodes.Ok : ExitCodes.Invalid;
    }
}
