// Proton.Sdk quickstart: runs offline on the sample bundles in samples/templates.
using Proton.Sdk.Rendering;
using Proton.Sdk.Schema;
using Proton.Sdk.Storage;
using Proton.Sdk.Templates;
using Proton.Sdk.Versioning;

var templates = Path.Combine(AppContext.BaseDirectory, "templates");
var bundlePath = Path.Combine(templates, "vpc-ecs-env", "v1");

// 1. Load a Proton environment template bundle (a folder; a .tar.gz works the same way).
var load = await TemplateBundleLoader.LoadAsync(bundlePath);
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

// 2. Read an environment spec and validate it against the bundle's schema (defaults applied, typed values).
var schema = SchemaParser.Parse(bundle).GetSchemaOrThrow();
var spec = (EnvironmentSpec)(await SpecParser.ParseFileAsync(Path.Combine(templates, "specs", "env-spec.yaml"))).GetSpecOrThrow();
var validation = new SpecValidator(schema).Validate(spec);
foreach (var failure in validation.ToDiagnostics(spec))
{
    Console.Error.WriteLine(failure);
}

Console.WriteLine($"Spec is valid: {validation.IsValid}; inputs: {validation.Environment}");

// 3. Render the infrastructure template with Proton's namespaces, as Proton's Jinja would.
var context = ProtonContexts.ForEnvironment(new EnvironmentInfo("dev") { Inputs = validation.Environment! });
var file = bundle.Part(InfrastructurePartKind.Infrastructure)!.TemplateFiles[0];
var rendered = TemplateRenderer.Default.Render(file.Text, file.Path, context);
Console.WriteLine($"Rendered {file.Path}: {rendered.Length} characters");
Console.WriteLine(string.Join('\n', rendered.Split('\n').Take(9)));
Console.WriteLine("...");

// 4. Register the bundle as a template version, publish it, and see a too-small version bump refused.
var registry = new TemplateRegistry(new InMemoryProtonStore());
await registry.CreateTemplateAsync("vpc-ecs-env", TemplateKind.Environment);
var v1 = await registry.RegisterVersionAsync("vpc-ecs-env", new DirectoryBundleSource(bundlePath));
await registry.PublishAsync("vpc-ecs-env", v1.Version.Version);
Console.WriteLine($"Registered and published vpc-ecs-env {v1.Version.Version}; recommended: {(await registry.GetRecommendedAsync("vpc-ecs-env"))!.Version}");

// A new version that drops the vpc_cidr input is a breaking schema change: as a minor version it is refused.
var files = bundle.Files.Values.ToDictionary(f => f.Path, f => f.Text);
files["schema/schema.yaml"] = files["schema/schema.yaml"].Replace("vpc_cidr", "cidr_block", StringComparison.Ordinal);
files["infrastructure/cloudformation.yaml"] = files["infrastructure/cloudformation.yaml"].Replace("vpc_cidr", "cidr_block", StringComparison.Ordinal);
try
{
    await registry.RegisterVersionAsync("vpc-ecs-env", new InMemoryBundleSource(files), new RegisterVersionOptions { Version = "1.1.0" });
}
catch (RegistryException ex)
{
    Console.WriteLine($"Refused: {ex.Message}");
}

var v2 = await registry.RegisterVersionAsync("vpc-ecs-env", new InMemoryBundleSource(files));
Console.WriteLine($"Registered without a requested number: vpc-ecs-env {v2.Version.Version} ({v2.Version.SchemaBump.ToString().ToLowerInvariant()} change)");
