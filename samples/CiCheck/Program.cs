// Proton.Sdk CI-step sample: validates template bundles (layout, schema, every template rendered with defaults) and
// spec files against them, runs the bundle's template tests (TemplateTester, what `proton template test` runs: every
// spec of a folder rendered and compared with its snapshots), prints each problem as a GitHub Actions annotation
// (::error file=..,line=..,col=..::), and exits 1 when anything is wrong, so the build fails.
//
// usage: dotnet run --project samples/CiCheck -- <bundle folder or .tar.gz> [--specs <folder of test specs>] [<spec.yaml> ...]
using Proton.Sdk;
using Proton.Sdk.Rendering;
using Proton.Sdk.Schema;
using Proton.Sdk.Templates;
using Proton.Sdk.Testing;
using Proton.Sdk.Versioning;

if (args.Length == 0 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine("usage: CiCheck <bundle> [--specs <folder>] [<spec.yaml> ...]");
    return 2;
}

// --specs <folder>: the template tests' specs (and snapshots); without it, the bundle's own test/ folder when there is one.
string? specFolder = null;
var specFiles = new List<string>();
for (var i = 1; i < args.Length; i++)
{
    if (args[i] == "--specs" && i + 1 < args.Length)
    {
        specFolder = args[++i];
    }
    else
    {
        specFiles.Add(args[i]);
    }
}

var errors = 0;
void Report(Diagnostic d, string fallbackFile)
{
    var level = d.Severity == DiagnosticSeverity.Error ? "error" : "warning";
    errors += d.Severity == DiagnosticSeverity.Error ? 1 : 0;
    var file = d.File ?? fallbackFile;
    var at = d.Line > 0 ? $",line={d.Line},col={Math.Max(1, d.Column)}" : string.Empty;
    Console.WriteLine($"::{level} file={file}{at},title={d.Code}::{(d.Path is null ? string.Empty : d.Path + ": ")}{d.Message}");
}

var bundlePath = args[0];
var load = await TemplateBundleLoader.LoadAsync(bundlePath);
foreach (var d in load.Diagnostics)
{
    Report(d, bundlePath);
}

if (load.Bundle is { } bundle)
{
    var schemaResult = SchemaParser.Parse(bundle);
    foreach (var d in schemaResult.Diagnostics)
    {
        Report(d with { File = d.File is null ? null : Path.Combine(bundlePath, d.File) }, bundlePath);
    }

    if (schemaResult.Schema is { } schema)
    {
        // Registering into a throw-away registry renders every template with defaults: template errors surface here.
        var registry = new TemplateRegistry(new Proton.Sdk.Storage.InMemoryProtonStore());
        await registry.CreateTemplateAsync("ci-check", bundle.Kind);
        try
        {
            await registry.RegisterVersionAsync("ci-check", new InMemoryBundleSource(bundle.Files.Values.ToDictionary(f => f.Path, f => f.Text)));
        }
        catch (ProtonValidationException ex)
        {
            foreach (var d in ex.Diagnostics)
            {
                Report(d with { File = d.File is null ? null : Path.Combine(bundlePath, d.File) }, bundlePath);
            }
        }

        specFolder ??= Directory.Exists(Path.Combine(bundlePath, "test")) ? Path.Combine(bundlePath, "test") : null;
        if (specFolder is not null)
        {
            var report = await new TemplateTester(TemplateRenderer.Default).RunAsync(bundle, schema, specFolder);
            foreach (var testCase in report.Cases)
            {
                foreach (var d in testCase.Messages)
                {
                    Report(d with { File = d.File is null ? null : Path.IsPathRooted(d.File) ? d.File : File.Exists(Path.Combine(bundlePath, d.File)) ? Path.Combine(bundlePath, d.File) : Path.Combine(specFolder, d.File) }, specFolder);
                }
            }

            Console.WriteLine($"template tests: {report.Passed} passed, {report.Warnings} with warnings, {report.Failed} failed ({specFolder})");
        }

        foreach (var specPath in specFiles)
        {
            var parsed = await SpecParser.ParseFileAsync(specPath);
            foreach (var d in parsed.Diagnostics)
            {
                Report(d, specPath);
            }

            if (parsed.Spec is { } spec)
            {
                foreach (var d in new SpecValidator(schema).Validate(spec).ToDiagnostics(spec))
                {
                    Report(d, specPath);
                }
            }
        }
    }
}

Console.WriteLine(errors == 0 ? $"ok: {bundlePath} and {specFiles.Count} spec file(s) are valid" : $"{errors} error(s)");
return errors == 0 ? 0 : 1;
