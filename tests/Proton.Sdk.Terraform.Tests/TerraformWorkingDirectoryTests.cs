using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Proton.Sdk.Provisioning;
using Proton.Sdk.Templates;

namespace Proton.Sdk.Terraform.Tests;

public sealed class TerraformWorkingDirectoryTests
{
    private static string Text(IReadOnlyList<BundleFile> files, string name) => files.Single(f => f.Path == name).Text;

    private static string Collapse(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    [Fact]
    public void Compile_Environment_MatchesTheUserGuideExample()
    {
        // AWS Proton user guide, "Terraform IaC files", Example 2: compiled IaC files for an environment named "dev".
        const string environmentTf = "resource \"aws_ssm_parameter\" \"my_ssm_parameter\" {\n  value = var.environment.inputs.ssm_parameter_value\n}\n";
        var part = TestBundles.Part(InfrastructurePartKind.Infrastructure, ("environment.tf", environmentTf));
        var request = TestBundles.Request("dev", part, TestBundles.Environment("dev", ("ssm_parameter_value", "MyNewParamValue"))) with
        {
            Tags = new Dictionary<string, string>
            {
                ["proton:account"] = "123456789012",
                ["proton:template"] = "arn:aws:proton:us-east-1:123456789012:environment-template/fargate-env",
                ["proton:environment"] = "arn:aws:proton:us-east-1:123456789012:environment/dev",
                ["team"] = "not a proton tag",
            },
        };

        var files = TerraformWorkingDirectory.Compile(request);

        Assert.Equal(["environment.tf", "proton.environment.variables.tf", "proton.auto.tfvars.json"], files.Select(f => f.Path));
        Assert.Equal(environmentTf, Text(files, "environment.tf"));
        const string guideVariables = """
            variable "environment" {
              type = object({
                inputs = map(string)
                name = string
              })
            }

            variable "proton_tags" {
              type = map(string)
              default = null
            }
            """;
        Assert.Equal(Collapse(guideVariables), Collapse(Text(files, "proton.environment.variables.tf")));
        var expected = JsonNode.Parse("""
            {
              "environment": { "name": "dev", "inputs": { "ssm_parameter_value": "MyNewParamValue" } },
              "proton_tags": {
                "proton:account": "123456789012",
                "proton:template": "arn:aws:proton:us-east-1:123456789012:environment-template/fargate-env",
                "proton:environment": "arn:aws:proton:us-east-1:123456789012:environment/dev"
              }
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(Text(files, "proton.auto.tfvars.json"))), Text(files, "proton.auto.tfvars.json"));
    }

    [Theory]
    [InlineData(InfrastructurePartKind.InstanceInfrastructure, "service-templates/backend-ecs-ec2-svc/dev-resources/instance")]
    [InlineData(InfrastructurePartKind.PipelineInfrastructure, "service-templates/scheduled-ecs-ec2-svc/dev-resources/pipeline")]
    [InlineData(InfrastructurePartKind.Infrastructure, "environment-templates/vpc-env/dev-resources")]
    public void Compile_DeclaresEveryAttributeOfAwsTerraformSamples(InfrastructurePartKind kind, string sample)
    {
        var folder = Path.Combine(TestBundles.Corpus, "bundles", "aws-samples+aws-proton-terraform-sample-templates", sample);
        var sampleVars = Declared(System.IO.File.ReadAllText(Path.Combine(folder, "proton.variables.tf")));
        var sampleValues = JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(folder, "proton.auto.tfvars.json")))!.AsObject();
        var variables = sampleValues.ToDictionary(kv => kv.Key, kv => Plain(kv.Value));
        var part = TestBundles.Part(kind, ("main.tf", "# empty\n"));

        var files = TerraformWorkingDirectory.Compile(TestBundles.Request("s", part, variables));

        var ours = Declared(Text(files, TerraformWorkingDirectory.VariablesFileName(kind)));
        foreach (var name in sampleValues.Select(kv => kv.Key))
        {
            // Every variable that the sample gives a value is declared by us with (at least) the sample's attributes.
            Assert.True(ours.ContainsKey(name), $"{name} is not declared");
            Assert.Subset(ours[name], sampleVars[name]);
        }

        var ourValues = JsonNode.Parse(Text(files, TerraformWorkingDirectory.TfvarsFileName))!;
        foreach (var path in Paths(sampleValues, string.Empty))
        {
            Assert.Contains(path, Paths(ourValues, string.Empty));
        }
    }

    [SkippableFact]
    public async Task Compile_FilesAreInTerraformsCanonicalFormat()
    {
        Skip.If(TestBundles.Terraform is null, TestBundles.NoTerraform);
        using var dir = new TempDir();
        var instance = TestBundles.Request("i", TestBundles.Part(InfrastructurePartKind.InstanceInfrastructure, ("main.tf", "locals {}\n")), TestBundles.Instance("dev", new Dictionary<string, string> { ["Vpc"] = "vpc-1" }, "web", "web-dev", ("port", 80L)));
        await TerraformWorkingDirectory.WriteAsync(TerraformWorkingDirectory.Compile(instance), dir.Path);

        var psi = new ProcessStartInfo(TestBundles.Terraform!, ["fmt", "-check", "-diff", "-no-color"]) { WorkingDirectory = dir.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        using var fmt = Process.Start(psi)!;
        var diff = await fmt.StandardOutput.ReadToEndAsync();
        await fmt.WaitForExitAsync();

        Assert.True(fmt.ExitCode == 0, "terraform fmt would change the files:\n" + diff);
    }

    [Fact]
    public void Compile_ListInputs_AreDeclaredAsAny_AndValuesKeepTheirJsonTypes()
    {
        var part = TestBundles.Part(InfrastructurePartKind.Infrastructure, ("main.tf", "\n"));
        var files = TerraformWorkingDirectory.Compile(TestBundles.Request("dev", part, TestBundles.Environment("dev", ("subnets", new List<object?> { "a", "b" }), ("port", 8080L), ("public", true))));

        Assert.Contains("inputs = any", Text(files, "proton.environment.variables.tf"), StringComparison.Ordinal);
        var inputs = JsonNode.Parse(Text(files, "proton.auto.tfvars.json"))!["environment"]!["inputs"]!;
        Assert.Equal("[\"a\",\"b\"]", inputs["subnets"]!.ToJsonString());
        Assert.Equal("8080", inputs["port"]!.ToJsonString());
        Assert.Equal("true", inputs["public"]!.ToJsonString());
    }

    [Fact]
    public void Compile_WithoutATerraformPart_IsRefusedWithItsCode()
    {
        var request = new DeployRequest { StackName = "s", TemplateBody = "Resources: {}" };

        var ex = Assert.Throws<ProvisioningException>(() => TerraformWorkingDirectory.Compile(request));

        Assert.Equal(TerraformErrorCodes.NoTerraformPart, ex.ErrorCode);
    }

    [Fact]
    public async Task WriteAsync_RemovesFilesThatLeftTheBundle_AndKeepsEverythingElse()
    {
        using var dir = new TempDir();
        await TerraformWorkingDirectory.WriteAsync([File("a.tf", "1"), File("modules/m/b.tf", "2")], dir.Path);
        await System.IO.File.WriteAllTextAsync(Path.Combine(dir.Path, "terraform.tfstate"), "{}");

        await TerraformWorkingDirectory.WriteAsync([File("a.tf", "3")], dir.Path);

        Assert.Equal("3", await System.IO.File.ReadAllTextAsync(Path.Combine(dir.Path, "a.tf")));
        Assert.False(System.IO.File.Exists(Path.Combine(dir.Path, "modules/m/b.tf")));
        Assert.True(System.IO.File.Exists(Path.Combine(dir.Path, "terraform.tfstate")));
    }

    [Fact]
    public async Task WriteAsync_RefusesAPathOutsideTheFolder()
    {
        using var dir = new TempDir();

        var ex = await Assert.ThrowsAsync<ProvisioningException>(() => TerraformWorkingDirectory.WriteAsync([File("../evil.tf", "x")], Path.Combine(dir.Path, "w")));

        Assert.Equal(TerraformErrorCodes.InvalidPath, ex.ErrorCode);
        Assert.False(System.IO.File.Exists(Path.Combine(dir.Path, "evil.tf")));
    }

    [Theory]
    [InlineData(true, "environments/dev", "environments/dev/web-dev")]
    [InlineData(false, "dev", "dev/web-dev")]
    public void RepositoryFolder_FollowsProtonsLayouts(bool hasEnvironmentsFolder, string envFolder, string instanceFolder)
    {
        using var repo = new TempDir();
        if (hasEnvironmentsFolder)
        {
            Directory.CreateDirectory(Path.Combine(repo.Path, "environments"));
        }

        var env = TestBundles.Request("dev", TestBundles.Part(InfrastructurePartKind.Infrastructure, ("main.tf", "\n")), TestBundles.Environment("dev"));
        var instance = TestBundles.Request("web-dev", TestBundles.Part(InfrastructurePartKind.InstanceInfrastructure, ("main.tf", "\n")), TestBundles.Instance("dev", new Dictionary<string, string>(), "web", "web-dev"));

        Assert.Equal(Path.Combine(repo.Path, envFolder), TerraformWorkingDirectory.RepositoryFolder(env, repo.Path));
        Assert.Equal(Path.Combine(repo.Path, instanceFolder), TerraformWorkingDirectory.RepositoryFolder(instance, repo.Path));
    }

    private static BundleFile File(string path, string text) => new(path, Encoding.UTF8.GetBytes(text));

    /// <summary>For each <c>variable "x"</c> block, every attribute name declared in its type (any depth).</summary>
    private static Dictionary<string, HashSet<string>> Declared(string tf)
    {
        var result = new Dictionary<string, HashSet<string>>();
        foreach (Match block in Regex.Matches(tf, "variable \"(\\w+)\" \\{(.*?)\\n\\}", RegexOptions.Singleline))
        {
            result[block.Groups[1].Value] = Regex.Matches(block.Groups[2].Value, @"(\w+)\s*=").Select(m => m.Groups[1].Value).Where(n => n is not ("type" or "default")).ToHashSet();
        }

        return result;
    }

    private static IEnumerable<string> Paths(JsonNode node, string prefix) => node switch
    {
        JsonObject o when prefix.EndsWith("inputs", StringComparison.Ordinal) || prefix.EndsWith("outputs", StringComparison.Ordinal) => [prefix],
        JsonObject o => o.SelectMany(kv => kv.Value is null ? [prefix + "/" + kv.Key] : Paths(kv.Value, prefix + "/" + kv.Key)),
        JsonArray a => a.Count == 0 ? [prefix] : Paths(a[0]!, prefix + "[]"),
        _ => [prefix],
    };

    private static object? Plain(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => Plain(kv.Value)),
        JsonArray a => a.Select(Plain).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v => v.GetValue<double>(),
        _ => null,
    };
}
