// Proton.Sdk quickstart: runs offline on the sample bundles in samples/templates.
using Proton.Sdk.Rendering;
using Proton.Sdk.Templates;

var templates = Path.Combine(AppContext.BaseDirectory, "templates");

// 1. Load a Proton environment template bundle (a folder; a .tar.gz works the same way).
var load = await TemplateBundleLoader.LoadAsync(Path.Combine(templates, "vpc-ecs-env", "v1"));
foreach (var diagnostic in load.Diagnostics)
{
    Console.Error.WriteLine(diagnostic);
}

var bundle = load.GetBundleOrThrow();
Console.WriteLine($"Loaded {bundle.Kind} template bundle ({bundle.ContentHash[..12]})");
foreach (var part in bundle.Parts)
{
    Console.WriteLine($"  {part.Folder}/: {part.RenderingEngine} -> {part.ProvisioningMethod}, files: {string.Join(", ", part.TemplateFiles.Select(f => f.Path))}");
}

// 2. Read an environment spec.
var spec = (EnvironmentSpec)(await SpecParser.ParseFileAsync(Path.Combine(templates, "specs", "env-spec.yaml"))).GetSpecOrThrow();
Console.WriteLine($"Spec inputs: {string.Join(", ", spec.Spec.Select(kv => $"{kv.Key}={kv.Value}"))}");

// 3. Render the infrastructure template with Proton's namespaces, as Proton's Jinja would.
var context = RenderContext.From(new Dictionary<string, object?>
{
    ["environment"] = new Dictionary<string, object?> { ["name"] = "dev", ["inputs"] = spec.Spec },
});
var file = bundle.Part(InfrastructurePartKind.Infrastructure)!.TemplateFiles[0];
var rendered = TemplateRenderer.Default.Render(file.Text, file.Path, context);
Console.WriteLine($"Rendered {file.Path}: {rendered.Length} characters");
Console.WriteLine(string.Join('\n', rendered.Split('\n').Take(12)));
Console.WriteLine("...");
