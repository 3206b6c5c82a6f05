using Proton.Sdk.Terraform;

namespace Proton.Sdk.Tests.Cli;

/// <summary>The CLI deploys Terraform bundles with terraform, as their manifest says, with no --provisioner.</summary>
public sealed class EngineSelectionCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proton-cli-engines-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public async Task EnvCreate_TerraformBundle_RunsTerraform_AndRecordsItsOutputs()
    {
        Skip.If(TerraformProvisioner.FindExecutable() is null, "no terraform or tofu on PATH");
        var bundle = Path.Combine(_dir, "tf-env");
        Directory.CreateDirectory(Path.Combine(bundle, "schema"));
        Directory.CreateDirectory(Path.Combine(bundle, "infrastructure"));
        await File.WriteAllTextAsync(Path.Combine(bundle, "schema", "schema.yaml"), Infrastructure.TestSchemas.Environment("name_prefix:\n  type: string\n  default: demo"));
        await File.WriteAllTextAsync(Path.Combine(bundle, "infrastructure", "manifest.yaml"), "infrastructure:\n  templates:\n    - file: \"*\"\n      rendering_engine: hcl\n      template_language: terraform\n");
        await File.WriteAllTextAsync(Path.Combine(bundle, "infrastructure", "main.tf"), "resource \"terraform_data\" \"marker\" {\n  input = \"${var.environment.inputs.name_prefix}-${var.environment.name}\"\n}\n\noutput \"marker\" {\n  value = terraform_data.marker.output\n}\n");
        var store = Path.Combine(_dir, "store");

        Assert.Equal(0, (await CliRunner.Run("template", "create", "tf-env", "--kind", "environment", "--store", store)).Exit);
        Assert.Equal(0, (await CliRunner.Run("template", "register", "tf-env", bundle, "--store", store)).Exit);
        Assert.Equal(0, (await CliRunner.Run("template", "publish", "tf-env", "1.0.0", "--store", store)).Exit);
        var (exit, stdout, stderr) = await CliRunner.Run("env", "create", "dev", "--template", "tf-env", "--store", store, "--output", "json");

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("\"provisioner\": \"terraform\"", stdout, StringComparison.Ordinal);
        var (_, shown, _) = await CliRunner.Run("env", "show", "dev", "--store", store, "--output", "json");
        Assert.Contains("demo-dev", shown, StringComparison.Ordinal);
    }
}
