using Proton.Sdk.Schema;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Cli.Commands;

/// <summary>Loads bundles for the authoring commands and prints their diagnostics located in the bundle's folder.</summary>
internal static class BundleLoading
{
    /// <summary>Loads the bundle and its schema; diagnostics go to stderr. Null bundle when it failed to load.</summary>
    public static async Task<(TemplateBundle? Bundle, SchemaParseResult? Schema)> LoadAsync(CliSession s, string path)
    {
        var source = BundleLocation.Open(path, s.Aws);
        var load = await TemplateBundleLoader.LoadAsync(source, cancellationToken: s.CancellationToken).ConfigureAwait(false);
        await WriteAsync(s, path, load.Diagnostics).ConfigureAwait(false);
        if (!load.Succeeded)
        {
            return (null, null);
        }

        var schema = SchemaParser.Parse(load.Bundle!);
        await WriteAsync(s, path, schema.Diagnostics).ConfigureAwait(false);
        return (load.Bundle, schema);
    }

    /// <summary>True when any diagnostic is an error.</summary>
    public static bool HasErrors(SchemaParseResult? schema)
        => schema is null || schema.Schema is null || schema.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    public static async Task WriteAsync(CliSession s, string bundlePath, IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            await s.Console.ErrorAsync(Locate(bundlePath, d).ToString()).ConfigureAwait(false);
        }
    }

    /// <summary>Puts the bundle's folder before a file name inside it, so that every command reports the same location.</summary>
    public static Diagnostic Locate(string bundlePath, Diagnostic d)
        => d.File is not null && Directory.Exists(bundlePath) && !Path.IsPathRooted(d.File) ? d with { File = Path.Combine(bundlePath, d.File) } : d;
}
