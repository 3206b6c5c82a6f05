using System.Text;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Terraform.Tests;

/// <summary>Terraform bundle parts written by the tests (terraform_data, locals, variables and outputs only: no provider download).</summary>
internal static class TestBundles
{
    public static string? Terraform { get; } = TerraformProvisioner.FindExecutable();

    public const string NoTerraform = "no terraform (or tofu) executable on PATH";

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Corpus => System.Environment.GetEnvironmentVariable("PROTON_SDK_CORPUS") ?? Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "corpus"));

    public static InfrastructurePart Part(InfrastructurePartKind kind, params (string Name, string Text)[] files)
    {
        var folder = kind switch
        {
            InfrastructurePartKind.Infrastructure => "infrastructure",
            InfrastructurePartKind.InstanceInfrastructure => "instance_infrastructure",
            InfrastructurePartKind.PipelineInfrastructure => "pipeline_infrastructure",
            _ => string.Empty,
        };
        var prefix = folder.Length == 0 ? string.Empty : folder + "/";
        var all = files.Select(f => new BundleFile(prefix + f.Name, Encoding.UTF8.GetBytes(f.Text))).ToList();
        all.Add(new BundleFile(prefix + "manifest.yaml", Encoding.UTF8.GetBytes("infrastructure:\n  templates:\n    - file: \"*\"\n      rendering_engine: hcl\n      template_language: terraform\n")));
        return new InfrastructurePart
        {
            Kind = kind,
            Folder = folder,
            Templates = [new ManifestTemplate { File = "*", RenderingEngine = "hcl", TemplateLanguage = "terraform" }],
            ProvisioningMethod = ProvisioningMethod.Terraform,
            TemplateFiles = all.Where(f => f.Path.EndsWith(".tf", StringComparison.Ordinal)).ToList(),
            Files = all,
        };
    }

    public static Dictionary<string, object?> Environment(string name, params (string Key, object? Value)[] inputs)
        => new() { ["environment"] = new Dictionary<string, object?> { ["name"] = name, ["inputs"] = inputs.ToDictionary(i => i.Key, i => i.Value) } };

    public static Dictionary<string, object?> Instance(string env, IReadOnlyDictionary<string, string> envOutputs, string service, string instance, params (string Key, object? Value)[] inputs)
    {
        var environment = new Dictionary<string, object?> { ["name"] = env, ["account_id"] = "123456789012", ["outputs"] = envOutputs.ToDictionary(kv => kv.Key, kv => (object?)kv.Value) };
        return new()
        {
            ["environment"] = environment,
            ["service"] = new Dictionary<string, object?> { ["name"] = service },
            ["service_instance"] = new Dictionary<string, object?>
            {
                ["name"] = instance,
                ["inputs"] = inputs.ToDictionary(i => i.Key, i => i.Value),
                ["environment"] = environment,
                ["components"] = new Dictionary<string, object?> { ["default"] = new Dictionary<string, object?> { ["outputs"] = new Dictionary<string, object?>() } },
            },
        };
    }

    public static DeployRequest Request(string stack, InfrastructurePart part, Dictionary<string, object?> variables, IReadOnlyCollection<string>? secrets = null) => new()
    {
        StackName = stack,
        TemplateBody = string.Empty,
        Part = part,
        Variables = variables,
        Tags = new Dictionary<string, string>
        {
            ["proton:account"] = "123456789012",
            ["proton:environment"] = "arn:aws:proton:us-east-1:123456789012:environment/dev",
            ["proton:template"] = "arn:aws:proton:us-east-1:123456789012:environment-template/tf-env",
            ["team"] = "platform",
        },
        SecretValues = secrets ?? [],
        DeploymentId = "d-" + stack,
    };

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Proton.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("No Proton.Sdk.sln above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("proton-tf-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
