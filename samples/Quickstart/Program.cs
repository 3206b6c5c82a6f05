// Proton.Sdk quickstart: runs offline on the sample bundles in samples/templates.
using Proton.Sdk.Platform;
using Proton.Sdk.Provisioning;
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

// 4. A platform over a store and a provisioner. Both are on disk here (a temporary folder): the local provisioner writes each
//    rendered stack and evaluates the outputs it can, like `cdk synth`. Swap in S3ProtonStore and the CloudFormation
//    provisioner from Proton.Sdk.Aws to run the same code against AWS.
var work = Directory.CreateTempSubdirectory("proton-quickstart-").FullName;
var platform = new ProtonPlatform(
    new FileSystemProtonStore(Path.Combine(work, "store")),
    new LocalProvisioner(new LocalProvisionerOptions { RootDirectory = Path.Combine(work, "stacks") }),
    new ProtonPlatformOptions { DefaultAccountId = "123456789012" });
var registry = platform.Registry;

// 5. Register and publish the environment template and a service template (a load-balanced Fargate service with a pipeline).
await registry.CreateTemplateAsync("vpc-ecs-env", TemplateKind.Environment);
await registry.CreateTemplateAsync("fargate-svc", TemplateKind.Service);
var env1 = await registry.RegisterVersionAsync("vpc-ecs-env", new DirectoryBundleSource(bundlePath));
var svcPath = Path.Combine(templates, "fargate-svc", "v1");
var svc1 = await registry.RegisterVersionAsync("fargate-svc", new DirectoryBundleSource(svcPath));
await registry.PublishAsync("vpc-ecs-env", env1.Version.Version);
await registry.PublishAsync("fargate-svc", svc1.Version.Version);
Console.WriteLine($"Published vpc-ecs-env {env1.Version.Version} and fargate-svc {svc1.Version.Version} (runs in {string.Join(", ", svc1.Version.CompatibleEnvironments)})");

// 6. Create an environment and a service with two instances and a pipeline; outputs flow env -> instances -> pipeline.
var progress = new Progress<DeploymentProgress>(_ => { });
var envDeployment = await platform.CreateEnvironmentAsync(new CreateEnvironmentRequest { Name = "dev", TemplateName = "vpc-ecs-env", Inputs = spec.Spec });
Console.WriteLine($"Environment dev: {envDeployment.Status}; outputs: {string.Join(", ", envDeployment.Outputs.Select(o => $"{o.Key}={o.Value}"))}");
var serviceSpec = (ServiceSpec)(await SpecParser.ParseFileAsync(Path.Combine(templates, "specs", "svc-spec.yaml"))).GetSpecOrThrow();
var service = await platform.CreateServiceAsync(new CreateServiceRequest { Name = "web", TemplateName = "fargate-svc", Spec = serviceSpec, RepositoryId = "my-org/web", BranchName = "main" }, progress);
foreach (var d in service.Deployments)
{
    Console.WriteLine($"  {d.TargetType} {d.Target}: {d.Status} (stack {d.StackName})");
}

// 7. A compatible minor version (a new optional input) registers; an incompatible one (an input removed) is refused as a minor.
var svcFiles = Directory.EnumerateFiles(svcPath, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(svcPath, f).Replace('\\', '/'), File.ReadAllText);
svcFiles["schema/schema.yaml"] = svcFiles["schema/schema.yaml"].Replace("        desired_count:\n", "        health_check_path:\n          type: string\n          default: \"/\"\n        desired_count:\n", StringComparison.Ordinal);
var minor = await registry.RegisterVersionAsync("fargate-svc", new InMemoryBundleSource(svcFiles), new RegisterVersionOptions { Version = "1.1.0" });
await registry.PublishAsync("fargate-svc", minor.Version.Version);
Console.WriteLine($"Registered fargate-svc {minor.Version.Version}: {string.Join("; ", minor.Changes.Select(c => c.ToString()))}");
var broken = new Dictionary<string, string>(svcFiles);
broken["schema/schema.yaml"] = broken["schema/schema.yaml"].Replace("        task_size:", "        size:", StringComparison.Ordinal);
broken["instance_infrastructure/cloudformation.yaml"] = broken["instance_infrastructure/cloudformation.yaml"].Replace("inputs.task_size", "inputs.size", StringComparison.Ordinal);
try
{
    await registry.RegisterVersionAsync("fargate-svc", new InMemoryBundleSource(broken), new RegisterVersionOptions { Version = "1.2.0" });
}
catch (RegistryException ex)
{
    Console.WriteLine($"Refused fargate-svc 1.2.0: {ex.Message}");
}

// 8. Upgrade the fleet: a plan first, then the deployments (one at a time, stop at the first failure).
var plan = await platform.PlanUpgradeAsync("fargate-svc");
Console.WriteLine($"Upgrade plan to {plan.ToVersion}: {string.Join(", ", plan.Steps.Select(s => $"{s.Target} {s.FromVersion}->{s.ToVersion} ({s.UpdateType})"))}");
var upgrade = await platform.UpgradeAsync(plan, new UpgradeOptions { MaxConcurrency = 2, FailureTolerance = 0 });
Console.WriteLine($"Upgrade: {string.Join(", ", upgrade.Steps.Select(s => $"{s.Step.Target} {s.Outcome}"))}");

// 9. History: every deployment, recorded before it started, with its initial and target state.
Console.WriteLine("History:");
foreach (var d in await platform.ListDeploymentsAsync())
{
    Console.WriteLine($"  {d.CreatedAt:HH:mm:ss} {d.Target,-16} {d.Status,-10} {d.InitialState?.TemplateVersion ?? "-",6} -> {d.TargetState?.TemplateVersion ?? "-"}");
}

foreach (var row in await platform.GetSummaryAsync())
{
    Console.WriteLine($"Summary {row.TemplateName} {row.ResourceType}: {row.UpToDate} up to date, {row.BehindMinor} behind a minor, {row.BehindMajor} behind a major, {row.Failed} failed");
}

Console.WriteLine($"Stacks and state are under {work}");
